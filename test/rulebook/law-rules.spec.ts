/**
 * The rules as the organic laws word them, read from the shipped rulebook: eligibility per level,
 * the session calendars and the agenda cut-off, reason codes tied to their articles.
 * Each test names the article it checks.
 */
import { Council, CouncilRegistry, eligibilityRule, Rulebook, sessionCalendarFor, sessionOpening, targetSessionFor } from '../../src/domain/rules/rulebook';
import { loadRulebook } from '../../src/infrastructure/rulebook/rulebook.loader';
import * as path from 'node:path';

const SHIPPED_DIR = path.join(__dirname, '..', '..', 'rulebook');

describe('the law in the rulebook', () => {
  let rulebook: Rulebook;
  let registry: CouncilRegistry;
  const council = (id: string): Council => registry.councils.find((c) => c.id === id)!;

  beforeAll(() => {
    ({ rulebook, registry } = loadRulebook(SHIPPED_DIR));
  });

  it('cites the petition articles of each law: 113-14 arts. 121–125, 112-14 arts. 112–116, 111-14 arts. 118–122', () => {
    expect(rulebook.levels.commune!.law).toMatchObject({ organicLaw: '113-14', articles: '121–125' });
    expect(rulebook.levels.province!.law).toMatchObject({ organicLaw: '112-14', articles: '112–116' });
    expect(rulebook.levels.region!.law).toMatchObject({ organicLaw: '111-14', articles: '118–122' });
  });

  it('cites the articles for the refusal deadlines (113-14 art. 125, 112-14 art. 116, 111-14 art. 122), not a guide', () => {
    expect(rulebook.levels.commune!.responseDeadlineMonths).toMatchObject({ value: 3, source: 'Organic law 113-14, art. 125' });
    expect(rulebook.levels.province!.responseDeadlineMonths).toMatchObject({ value: 2, source: 'Organic law 112-14, art. 116' });
    expect(rulebook.levels.region!.responseDeadlineMonths).toMatchObject({ value: 2, source: 'Organic law 111-14, art. 122' });
  });

  it('111-14 art. 120: regions have no electoral-list condition; 113-14 art. 123 and 112-14 art. 114 ask to meet the conditions for registration', () => {
    expect(eligibilityRule(rulebook, 'region', 'electoral-lists')).toBeUndefined();
    expect(eligibilityRule(rulebook, 'commune', 'electoral-lists')).toMatchObject({ article: 'Organic law 113-14, art. 123', confidence: 'verified' });
    expect(eligibilityRule(rulebook, 'province', 'electoral-lists')).toMatchObject({ article: 'Organic law 112-14, art. 114' });
    expect(eligibilityRule(rulebook, 'commune', 'electoral-lists')!.wording.fr).toMatch(/Remplir les conditions d'inscription/);
  });

  it('112-14 art. 114 says "common interest"; 113-14 art. 123 and 111-14 art. 120 say "direct common interest"', () => {
    expect(eligibilityRule(rulebook, 'province', 'interest')!.wording.en).toBe('Have a common interest in the petition');
    expect(eligibilityRule(rulebook, 'commune', 'interest')!.wording.en).toMatch(/direct common interest/);
    expect(eligibilityRule(rulebook, 'region', 'interest')!.wording.en).toMatch(/direct common interest/);
  });

  it('112-14 art. 115: only provinces ask associations for more than 100 members', () => {
    expect(eligibilityRule(rulebook, 'province', 'association-members')).toMatchObject({ value: 100, article: 'Organic law 112-14, art. 115' });
    expect(eligibilityRule(rulebook, 'commune', 'association-members')).toBeUndefined();
    expect(eligibilityRule(rulebook, 'region', 'association-members')).toBeUndefined();
  });

  it('ties every accepted reason code to an article per level; "other" has no legal basis and is not accepted in new decisions', () => {
    for (const reason of rulebook.inadmissibilityReasons) {
      if (reason.code === 'other') {
        expect(reason.legalBasis).toBeNull();
        expect(reason.acceptedInNewDecisions).toBe(false);
      } else {
        expect(reason.legalBasis).not.toBeNull();
        expect(reason.acceptedInNewDecisions).not.toBe(false);
      }
    }
    const form = rulebook.inadmissibilityReasons.find((r) => r.code === 'form_defect')!;
    expect(form.legalBasis).toMatchObject({ commune: expect.stringContaining('2.16.403'), province: expect.stringContaining('112-14, art. 116') });
    expect(rulebook.inadmissibilityReasons.find((r) => r.code === 'province_share_not_met')!.legalBasis).toEqual({ region: '111-14, art. 120' });
  });

  it('records RGPH 2024 populations (decree 2.24.1009) for the communes', () => {
    expect(council('commune-tan-tan').population).toMatchObject({ value: 76134, year: 2024, source: expect.stringContaining('2.24.1009') });
    expect(council('commune-sefrou').population).toMatchObject({ value: 86903, year: 2024 });
    expect(council('commune-tanger').population).toMatchObject({ value: 1275428, year: 2024 });
  });

  describe('session calendars and the agenda cut-off (20 days: 113-14 art. 38, 112-14 art. 39, 111-14 art. 41)', () => {
    const commune = () => sessionCalendarFor(rulebook, council('commune-tan-tan'));

    it('113-14 arts. 33 and 38: a commune petition accepted on 20 January targets the May session (the February agenda closed on 12 January)', () => {
      expect(targetSessionFor(commune(), '2027-01-20T10:00:00.000Z')).toEqual({
        month: '2027-05',
        opensOn: '2027-05-01',
        agendaClosesOn: '2027-04-11',
        endsOn: '2027-05-15',
        endsAt: '2027-05-16T00:00:00.000Z',
      });
    });

    it('113-14 arts. 33 and 38: one accepted on 5 January targets February; one accepted on the cut-off day itself still makes it', () => {
      expect(targetSessionFor(commune(), '2027-01-05T10:00:00.000Z')).toMatchObject({ month: '2027-02', opensOn: '2027-02-01', agendaClosesOn: '2027-01-12' });
      expect(targetSessionFor(commune(), '2027-01-12T23:59:00.000Z').month).toBe('2027-02');
      expect(targetSessionFor(commune(), '2027-01-13T00:00:00.000Z').month).toBe('2027-05');
    });

    it('113-14 art. 33: after the October agenda closes, the next session is February of the following year', () => {
      expect(targetSessionFor(commune(), '2027-09-20T10:00:00.000Z')).toMatchObject({ month: '2028-02', opensOn: '2028-02-01' });
    });

    it('112-14 art. 34: provinces sit on the second Monday of January, June and September', () => {
      const calendar = sessionCalendarFor(rulebook, council('province-tan-tan'));
      // 2027: 1 June is a Tuesday, so the first Monday is 7 June and the second 14 June.
      expect(targetSessionFor(calendar, '2027-02-01T10:00:00.000Z')).toMatchObject({ month: '2027-06', opensOn: '2027-06-14', agendaClosesOn: '2027-05-25' });
      expect(new Date(sessionOpening(2027, 1, 'second-monday')).toISOString().slice(0, 10)).toBe('2027-01-11');
    });

    it('111-14 art. 36: regions sit on the first Monday of March, July and October', () => {
      const calendar = sessionCalendarFor(rulebook, council('region-guelmim-oued-noun'));
      // 1 March 2027 is a Monday.
      expect(targetSessionFor(calendar, '2027-01-10T10:00:00.000Z')).toMatchObject({ month: '2027-03', opensOn: '2027-03-01', agendaClosesOn: '2027-02-09' });
      expect(targetSessionFor(calendar, '2027-02-10T10:00:00.000Z')).toMatchObject({ month: '2027-07', opensOn: '2027-07-05' });
    });

    it("a council's own calendar overrides its level's", () => {
      const tanTan = council('commune-tan-tan');
      const calendar = sessionCalendarFor(rulebook, {
        ...tanTan,
        sessionCalendar: { months: { value: [3], source: 'council rules', confidence: 'to-confirm' } },
      });
      expect(targetSessionFor(calendar, '2027-01-05T10:00:00.000Z').month).toBe('2027-03');
      expect(calendar.agendaNoticeDays.value).toBe(20);
    });
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Council, CouncilRegistry, Rulebook, RulebookError, addMonthsUtc, provincesOf, responseDueAt, thresholdFor } from '../../src/domain/rules/rulebook';
import { RULEBOOK, loadRulebook } from '../../src/infrastructure/rulebook/rulebook.loader';

const SHIPPED_DIR = path.resolve(__dirname, '../../rulebook');

describe('the shipped rulebook', () => {
  let rulebook: Rulebook;
  let registry: CouncilRegistry;
  const council = (id: string): Council => {
    const found = registry.councils.find((c) => c.id === id);
    if (!found) throw new Error(`no council ${id}`);
    return found;
  };

  beforeAll(() => {
    ({ rulebook, registry } = loadRulebook(SHIPPED_DIR));
  });

  it('loads and validates, with the expected version, levels and reason codes', () => {
    expect(rulebook.version).toBe('2026-11-29.2');
    expect(Object.keys(rulebook.levels).sort()).toEqual(['commune', 'province', 'region']);
    expect(rulebook.inadmissibilityReasons.map((r) => r.code)).toEqual([
      'outside_competence',
      'kingdom_constants',
      'petitioners_not_eligible',
      'association_conditions_unmet',
      'threshold_not_met',
      'province_share_not_met',
      'form_defect',
      'other',
    ]);
    expect(rulebook.association.minYearsConstituted.value).toBe(3);
    expect(rulebook.limits.decisionText).toEqual({ min: 10, max: 10000 });
  });

  it('is found by default by walking up from the loader, and RULEBOOK_DIR overrides it', () => {
    const saved = process.env.RULEBOOK_DIR;
    try {
      delete process.env.RULEBOOK_DIR;
      expect(loadRulebook().rulebook.version).toBe('2026-11-29.2');
      process.env.RULEBOOK_DIR = path.join(os.tmpdir(), 'no-such-rulebook-dir');
      expect(() => loadRulebook()).toThrow(/no-such-rulebook-dir/);
    } finally {
      if (saved === undefined) delete process.env.RULEBOOK_DIR;
      else process.env.RULEBOOK_DIR = saved;
    }
  });

  it('exports a DI token', () => {
    expect(typeof RULEBOOK).toBe('symbol');
  });

  it('lists every prefecture/province of the three regions', () => {
    const ids = (regionId: string) =>
      provincesOf(registry, regionId)
        .map((p) => p.id)
        .sort();
    expect(ids('region-guelmim-oued-noun')).toEqual(['province-assa-zag', 'province-guelmim', 'province-sidi-ifni', 'province-tan-tan'].sort());
    expect(ids('region-tanger-tetouan-al-hoceima')).toHaveLength(8);
    expect(ids('region-tanger-tetouan-al-hoceima')).toEqual(expect.arrayContaining(['prefecture-tanger-assilah', 'prefecture-mdiq-fnideq']));
    expect(ids('region-fes-meknes')).toHaveLength(9);
    expect(ids('region-fes-meknes')).toEqual(expect.arrayContaining(['prefecture-fes', 'prefecture-meknes', 'province-sefrou']));
  });

  it('gives the Tan-Tan commune 100 or 200 signatures according to its population band', () => {
    const tanTan = council('commune-tan-tan');
    const expected = tanTan.population.value < 35000 ? 100 : 200;
    expect(thresholdFor(rulebook, registry, tanTan)).toEqual({ required: expected });
    // Both bands, whatever the recorded population.
    expect(thresholdFor(rulebook, registry, { ...tanTan, population: { ...tanTan.population, value: 34999 } }).required).toBe(100);
    expect(thresholdFor(rulebook, registry, { ...tanTan, population: { ...tanTan.population, value: 35000 } }).required).toBe(200);
  });

  it('gives Tanger, a commune with arrondissements, 400 signatures', () => {
    const tanger = council('commune-tanger');
    expect(tanger.hasArrondissements).toBe(true);
    expect(thresholdFor(rulebook, registry, tanger)).toEqual({ required: 400 });
  });

  it('gives the Tan-Tan province 300 signatures', () => {
    expect(thresholdFor(rulebook, registry, council('province-tan-tan'))).toEqual({ required: 300 });
  });

  it('gives Guelmim-Oued Noun 300 signatures with 15 from each of its 4 provinces', () => {
    const rule = thresholdFor(rulebook, registry, council('region-guelmim-oued-noun'));
    expect(rule.required).toBe(300);
    expect(rule.provinceShares).toHaveLength(4);
    for (const share of rule.provinceShares!) expect(share.required).toBe(15);
  });

  it('gives Tanger-Tétouan-Al Hoceïma the band of its population, with 8 provincial shares of 5 %', () => {
    const region = council('region-tanger-tetouan-al-hoceima');
    const population = region.population.value;
    const expected = population > 3_000_000 ? 500 : population >= 1_000_000 ? 400 : 300;
    const rule = thresholdFor(rulebook, registry, region);
    expect(rule.required).toBe(expected);
    expect(rule.provinceShares).toHaveLength(8);
    for (const share of rule.provinceShares!) expect(share.required).toBe(Math.ceil(expected * 0.05));
  });

  it('places the region band edges at 1,000,000 and 3,000,000 inclusive', () => {
    const region = council('region-fes-meknes');
    const at = (value: number) => thresholdFor(rulebook, registry, { ...region, population: { ...region.population, value } }).required;
    expect(at(999_999)).toBe(300);
    expect(at(1_000_000)).toBe(400);
    expect(at(3_000_000)).toBe(400);
    expect(at(3_000_001)).toBe(500);
  });

  it('is due 3 months after submission for a commune, clamped to the month end', () => {
    expect(responseDueAt(rulebook, 'commune', '2027-01-31T09:30:00.000Z')).toEqual({
      dueAt: '2027-04-30T09:30:00.000Z',
      months: 3,
    });
    expect(responseDueAt(rulebook, 'commune', '2027-05-31T00:00:00.000Z').dueAt).toBe('2027-08-31T00:00:00.000Z');
    expect(responseDueAt(rulebook, 'commune', '2027-11-30T23:59:59.999Z').dueAt).toBe('2028-02-29T23:59:59.999Z');
  });

  it('is due 2 months after submission for a region or a province, clamped to the month end', () => {
    expect(responseDueAt(rulebook, 'region', '2027-03-15T12:00:00.000Z')).toEqual({
      dueAt: '2027-05-15T12:00:00.000Z',
      months: 2,
    });
    expect(responseDueAt(rulebook, 'region', '2026-12-31T08:00:00.000Z').dueAt).toBe('2027-02-28T08:00:00.000Z');
    expect(responseDueAt(rulebook, 'region', '2027-12-31T08:00:00.000Z').dueAt).toBe('2028-02-29T08:00:00.000Z');
    expect(responseDueAt(rulebook, 'province', '2027-08-31T08:00:00.000Z').dueAt).toBe('2027-10-31T08:00:00.000Z');
    expect(addMonthsUtc('2027-01-31T00:00:00.000Z', 1)).toBe('2027-02-28T00:00:00.000Z');
  });
});

describe('the rulebook loader on broken files', () => {
  let dir: string;
  const shipped = (file: string) => JSON.parse(fs.readFileSync(path.join(SHIPPED_DIR, file), 'utf8'));
  const write = (file: string, data: unknown) => fs.writeFileSync(path.join(dir, file), JSON.stringify(data, null, 2));
  const errorOf = (): Error => {
    try {
      loadRulebook(dir);
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected loadRulebook to throw');
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulebook-'));
    write('rulebook.json', shipped('rulebook.json'));
    write('councils.json', shipped('councils.json'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('accepts an unmodified copy', () => {
    expect(() => loadRulebook(dir)).not.toThrow();
  });

  it('reports every problem of a bad councils.json with its JSON path', () => {
    const registry = shipped('councils.json') as { councils: Record<string, unknown>[] };
    const index = (id: string) => registry.councils.findIndex((c) => c.id === id);
    const sefrou = index('commune-sefrou');
    const tanger = index('commune-tanger');
    const assaZag = index('province-assa-zag');
    const tanTanProvince = index('province-tan-tan');
    expect(registry.councils[3].level).toBe('province');
    registry.councils[3] = { ...registry.councils[3], regionId: 'region-x' };
    registry.councils[assaZag] = { ...registry.councils[assaZag], id: 'province-tan-tan' };
    registry.councils[sefrou] = { ...registry.councils[sefrou], provinceId: 'province-nowhere' };
    registry.councils[tanger] = {
      ...registry.councils[tanger],
      population: { ...(registry.councils[tanger].population as object), confidence: 'probably' },
    };
    registry.councils.push({ id: 'commune-somewhere', level: 'national', name: { ar: 'x', fr: 'x', en: '' } });
    write('councils.json', registry);

    const error = errorOf();
    expect(error).toBeInstanceOf(RulebookError);
    expect(error.message).toContain('councils[3].regionId: unknown region "region-x"');
    const [first, second] = [assaZag, tanTanProvince].sort((a, b) => a - b);
    expect(error.message).toContain(`councils[${second}].id: duplicate id "province-tan-tan" (also councils[${first}])`);
    expect(error.message).toContain(`councils[${sefrou}].provinceId: unknown province "province-nowhere"`);
    expect(error.message).toContain(`councils[${tanger}].population.confidence: expected one of "verified", "to-confirm"`);
    const last = `councils[${registry.councils.length - 1}]`;
    expect(error.message).toContain(`${last}.level: the rulebook has no rules for the national level`);
    expect(error.message).toContain(`${last}.name.en: expected a non-empty string`);
    expect(error.message).toContain(`${last}.population: expected an object`);
  });

  it('reports a commune pointing at a region as its province, and a region left without provinces', () => {
    const registry = shipped('councils.json') as { councils: Record<string, unknown>[] };
    const kept = registry.councils
      .filter((c) => !(c.level === 'province' && c.regionId === 'region-fes-meknes'))
      .map((c) => (c.id === 'commune-tan-tan' ? { ...c, provinceId: 'region-guelmim-oued-noun' } : c));
    const index = (id: string) => kept.findIndex((c) => c.id === id);
    write('councils.json', { councils: kept });

    const message = errorOf().message;
    expect(message).toContain(`councils[${index('commune-tan-tan')}].provinceId: "region-guelmim-oued-noun" is a region, not a province`);
    expect(message).toContain(`councils[${index('region-fes-meknes')}]: region "region-fes-meknes" has no prefecture/province`);
    expect(message).toContain(`councils[${index('commune-sefrou')}].provinceId: unknown province "province-sefrou"`);
  });

  it('reports bad threshold bands and duplicate reason codes in rulebook.json', () => {
    const rulebook = shipped('rulebook.json');
    rulebook.levels.region.thresholdBands = [
      rulebook.levels.region.thresholdBands[1],
      rulebook.levels.region.thresholdBands[0],
      { populationBelow: 9_000_000, signatures: { value: 500, source: 'x', confidence: 'verified' } },
    ];
    rulebook.inadmissibilityReasons.push({ code: 'other', labels: { ar: 'أخرى', fr: 'Autre', en: 'Other' } });
    delete rulebook.levels.commune.responseDeadlineMonths.source;
    write('rulebook.json', rulebook);

    const message = errorOf().message;
    expect(message).toContain('levels.region.thresholdBands[1].populationBelow: bands must be in increasing order');
    expect(message).toContain('levels.region.thresholdBands[2].populationBelow: the final band must be open');
    expect(message).toContain('inadmissibilityReasons[8].code: duplicate code "other"');
    expect(message).toContain('levels.commune.responseDeadlineMonths.source: expected a non-empty string');
  });

  it('reports bad eligibility rules, session calendars and reason-code articles', () => {
    const rulebook = shipped('rulebook.json');
    rulebook.levels.province.eligibility.push({ id: 'age', article: '', wording: { ar: 'x', fr: 'x', en: 'x' }, confidence: 'sure' });
    rulebook.levels.province.eligibility.find((r: { id: string }) => r.id === 'association-members').value = -1;
    rulebook.levels.region.sessions.opening.value = 'last-friday';
    rulebook.levels.commune.sessions.months.value = [2, 13];
    delete rulebook.levels.commune.sessions.agendaNoticeDays;
    rulebook.inadmissibilityReasons[0].legalBasis = { city: 'art. 1' };
    write('rulebook.json', rulebook);
    const councils = shipped('councils.json');
    const tanTan = councils.councils.findIndex((c: { id: string }) => c.id === 'commune-tan-tan');
    councils.councils[tanTan].sessionCalendar = { agendaNoticeDays: { value: 0, source: 'x', confidence: 'verified' } };
    write('councils.json', councils);

    const message = errorOf().message;
    const eligibility = rulebook.levels.province.eligibility.length - 1;
    const members = rulebook.levels.province.eligibility.findIndex((r: { id: string }) => r.id === 'association-members');
    expect(message).toContain(`levels.province.eligibility[${eligibility}].id: expected one of`);
    expect(message).toContain(`levels.province.eligibility[${eligibility}].article: expected a non-empty string`);
    expect(message).toContain(`levels.province.eligibility[${members}].value: expected a positive integer`);
    expect(message).toContain('levels.region.sessions.opening.value: expected one of first-week, first-monday, second-monday');
    expect(message).toContain('levels.commune.sessions.months.value: expected a non-empty array of months 1–12');
    expect(message).toContain('levels.commune.sessions.agendaNoticeDays');
    expect(message).toContain('inadmissibilityReasons[0].legalBasis: expected null or an article per level');
    expect(message).toContain(`councils[${tanTan}].sessionCalendar.agendaNoticeDays.value: expected a positive integer`);
  });

  it('reports a file that is not JSON', () => {
    fs.writeFileSync(path.join(dir, 'councils.json'), '{ "councils": [ ');
    expect(errorOf().message).toMatch(/councils\.json: invalid JSON/);
  });
});

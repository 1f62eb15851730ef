/**
 * The law, end to end: eligibility per level, association membership for provinces, the target
 * session computed on acceptance and the missed session recorded once by the deadline watch,
 * shown on the petition page, in the history (ar/fr/en), on the overdue board, the council
 * dashboard and the exports. Each test names its article.
 */
import { DeadlineWatch } from '../../src/processes/deadline-watch/deadline-watch.service';
import { associationPetition, citizensPetition, expectProblem, History, signBody, useApp } from './harness';

// Before the February 2027 agenda closes (12 January), so both cases of art. 38 can be played.
const h = useApp({ start: '2026-12-20T09:00:00.000Z' });
const TAN_TAN = 'commune-tan-tan';
const sessionMissedEvents = (history: History) => history.events.filter((e) => e.type === 'AgendaSessionMissed.v1');
const advanceTo = (iso: string) => h.clock.advance(Date.parse(iso) - h.clock.ms());

let rep: string;
let clerk: string;
let accepted5Jan: string;
let accepted20Jan: string;

async function fileAndSubmit(): Promise<string> {
  const filed = await h.post('/petitions', associationPetition(TAN_TAN), rep);
  expect(filed.status).toBe(201);
  expect((await h.post(`/petitions/${filed.body.id}/submission`, undefined, rep)).status).toBe(200);
  return filed.body.id;
}

beforeAll(async () => {
  rep = await h.token('rep-law', ['association_rep']);
  clerk = await h.token('clerk-law', ['clerk'], TAN_TAN);
  accepted5Jan = await fileAndSubmit();
  accepted20Jan = await fileAndSubmit();
});

describe('who may sign', () => {
  it('111-14 art. 120: a regional petition signed by a resident who is not on the electoral lists counts', async () => {
    const agent = await h.token('agent-region-law', ['agent']);
    const filed = await h.post('/petitions', citizensPetition('region-guelmim-oued-noun'), agent);
    expect(filed.status).toBe(201);
    const citizen = await h.token('citizen-region-law', ['citizen'], undefined, 'JB900001');
    const res = await h.post(
      `/petitions/${filed.body.id}/signatures`,
      { basis: 'residence', meetsElectoralRegistrationConditions: false, electoralListRegistered: false, provinceId: 'province-tan-tan' },
      citizen,
    );
    expect(res.status).toBe(201);
    expect((await h.petition(filed.body.id)).body).toMatchObject({ signatureCount: 1 });
    const signed = (await h.history(filed.body.id)).events.find((e) => e.type === 'PetitionSigned.v2')!;
    expect(signed.data.electoralEligibility).toBe('not-required');
  });

  it('113-14 art. 123: a commune petition does not count a signer who does not meet the conditions for registration (422 naming the article)', async () => {
    const agent = await h.token('agent-commune-law', ['agent']);
    const filed = await h.post('/petitions', citizensPetition(TAN_TAN), agent);
    const citizen = await h.token('citizen-commune-law', ['citizen'], undefined, 'JB900002');
    const head = await h.headPosition();
    const problem = expectProblem(
      await h.post(`/petitions/${filed.body.id}/signatures`, signBody('JB900002', { meetsElectoralRegistrationConditions: false }), citizen),
      422,
      'SIGNER_ELECTORAL_CONDITIONS_UNMET',
    );
    expect(problem.details).toEqual({ rule: 'electoral-lists', article: 'Organic law 113-14, art. 123' });
    expect(problem.detail).toContain('113-14, art. 123');
    expect(await h.headPosition()).toBe(head);
    expect((await h.petition(filed.body.id)).body).toMatchObject({ signatureCount: 0 });
  });
});

describe('112-14 art. 115: associations petitioning a province have more than 100 members', () => {
  it('112-14 art. 115: refuses a provincial association petition with 80 members (422 naming the article) and appends nothing', async () => {
    const head = await h.headPosition();
    const body = associationPetition('province-tan-tan');
    const problem = expectProblem(
      await h.post('/petitions', { ...body, association: { ...body.association, memberCount: 80 } }, rep),
      422,
      'ASSOCIATION_TOO_FEW_MEMBERS',
    );
    expect(problem.details).toMatchObject({ article: 'Organic law 112-14, art. 115', memberCount: 80 });
    expect(await h.headPosition()).toBe(head);
  });

  it('112-14 art. 115: files it with 150 members, recording the count and the documents for the clerk', async () => {
    const body = associationPetition('province-tan-tan');
    const filed = await h.post(
      '/petitions',
      { ...body, association: { ...body.association, memberCount: 150, documents: { constitutionProof: true, statutes: false, representativePowers: true } } },
      rep,
    );
    expect(filed.status).toBe(201);
    expect((await h.petition(filed.body.id)).body.declaredDocuments).toEqual({
      petitionerType: 'association',
      memberCount: 150,
      constitutionProof: true,
      statutes: false,
      representativePowers: true,
    });
    const history = await h.readAtHead(`/petitions/${filed.body.id}/history?lang=fr`);
    expect(history.body.entries[0].text).toContain("l'association compte 150 membres ; pièces non jointes : statuts");
  });

  it('refuses an association filing without its member count (400 VALIDATION_FAILED)', async () => {
    const body = associationPetition(TAN_TAN);
    const { memberCount: _, ...association } = body.association;
    const problem = expectProblem(await h.post('/petitions', { ...body, association }, rep), 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(problem)).toContain('memberCount');
  });
});

describe('113-14 arts. 33 and 38: the accepted petition goes on the agenda of the next ordinary session', () => {
  it('113-14 arts. 33 and 38: a commune petition accepted on 5 January targets the February session', async () => {
    advanceTo('2027-01-05T10:00:00.000Z');
    const res = await h.post(`/petitions/${accepted5Jan}/admissibility`, { decision: 'admissible', committee: 'Commission des services publics' }, clerk);
    expect(res.status).toBe(200);
    expect((await h.petition(accepted5Jan)).body).toMatchObject({
      status: 'admissible',
      subStatus: 'awaiting_response',
      targetSession: { month: '2027-02', opensOn: '2027-02-01', agendaClosesOn: '2027-01-12', endsOn: '2027-02-15' },
      sessionMissed: false,
    });
  });

  it('113-14 arts. 33 and 38: one accepted on 20 January targets May (the February agenda closed on 12 January)', async () => {
    advanceTo('2027-01-20T10:00:00.000Z');
    const res = await h.post(
      `/petitions/${accepted20Jan}/admissibility`,
      { decision: 'admissible', agendaSession: 'Session ordinaire de mai 2027', committee: 'Commission des services publics' },
      clerk,
    );
    expect(res.status).toBe(200);
    expect((await h.petition(accepted20Jan)).body.targetSession).toEqual({
      month: '2027-05',
      opensOn: '2027-05-01',
      agendaClosesOn: '2027-04-11',
      endsOn: '2027-05-15',
    });
  });

  it('says so in the history, in Arabic, French and English', async () => {
    const text = async (lang: string) => (await h.readAtHead(`/petitions/${accepted5Jan}/history?lang=${lang}`)).body.entries.at(-1).text as string;
    expect(await text('fr')).toContain('session ordinaire de février 2027');
    expect(await text('en')).toContain('February 2027 ordinary session');
    expect(await text('ar')).toContain('الدورة العادية لشهر فبراير 2027');
  });
});

describe('the missed session, recorded once', () => {
  let watch: DeadlineWatch;
  beforeAll(() => {
    watch = h.app.get(DeadlineWatch);
  });

  it('records nothing while the February session may still run (until 15 February)', async () => {
    advanceTo('2027-02-15T23:00:00.000Z');
    expect(await watch.checkNow()).toBe(0);
  });

  it('records AgendaSessionMissed exactly once after the session ends with no response', async () => {
    advanceTo('2027-02-16T00:01:00.000Z');
    expect(await watch.checkNow()).toBe(1);
    expect(await watch.checkNow()).toBe(0);
    h.clock.advanceDays(30);
    expect(await watch.checkNow()).toBe(0);
    const missed = sessionMissedEvents(await h.history(accepted5Jan));
    expect(missed).toHaveLength(1);
    expect(missed[0].data).toEqual({ petitionId: accepted5Jan, sessionMonth: '2027-02', sessionEndsOn: '2027-02-15', detectedAt: '2027-02-16T00:01:00.000Z' });
    expect(missed[0].metadata).toMatchObject({ actor: { role: 'system' }, command: 'MarkAgendaSessionMissed' });
    expect(sessionMissedEvents(await h.history(accepted20Jan))).toHaveLength(0);
  });

  it('shows the missed session on the petition page and in the history', async () => {
    expect((await h.petition(accepted5Jan)).body).toMatchObject({
      subStatus: 'session_missed',
      sessionMissed: true,
      overdue: true,
      overdueReason: 'agenda_session',
    });
    const history = (await h.readAtHead(`/petitions/${accepted5Jan}/history?lang=en`)).body.entries.map((i: { text: string }) => i.text);
    expect(history.at(-1)).toContain('The February 2027 ordinary session ended');
  });

  it('shows it on the overdue board, the council dashboard and the exports', async () => {
    const board = await h.readAtHead(`/overdue?council=${TAN_TAN}`);
    const item = board.body.items.find((i: { id: string }) => i.id === accepted5Jan);
    expect(item).toMatchObject({ overdueReason: 'agenda_session', targetSession: { month: '2027-02' }, sessionMissed: true, daysOverdue: 30 });
    expect(board.body.items.map((i: { id: string }) => i.id)).not.toContain(accepted20Jan);
    expect((await h.readAtHead(`/councils/${TAN_TAN}/dashboard`)).body).toMatchObject({ sessionsMissed: 1, overdueNow: 1 });
    const csv = (await h.get('/exports/petitions.csv')).text;
    const [header, ...rows] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const columns = header.split(',');
    const row = rows.find((r) => r.startsWith(accepted5Jan))!.split(',');
    expect(row[columns.indexOf('targetSessionMonth')]).toBe('2027-02');
    expect(row[columns.indexOf('sessionMissed')]).toBe('true');
  });

  it('leaves the overdue board once the council answers', async () => {
    const official = await h.token('official-law', ['official'], TAN_TAN);
    const res = await h.post(
      `/petitions/${accepted5Jan}/response`,
      {
        decision: 'adopted',
        text: 'Le conseil a délibéré lors de sa session de mai.',
        respondingOfficial: { name: 'Président du conseil communal', title: 'Président' },
      },
      official,
    );
    expect(res.status).toBe(200);
    const board = await h.readAtHead(`/overdue?council=${TAN_TAN}`);
    expect(board.body.items.map((i: { id: string }) => i.id)).not.toContain(accepted5Jan);
    expect((await h.petition(accepted5Jan)).body).toMatchObject({ status: 'answered', sessionMissed: true, overdue: false });
  });
});

it('GET /councils/:id shows the current rulebook version, the eligibility rules, the session calendar and the reason codes with their articles', async () => {
  const res = await h.get('/councils/province-tan-tan');
  expect(res.status).toBe(200);
  expect(res.body.rulebookVersion).toBe('2026-11-29.2');
  expect(res.body.rules.eligibility.map((r: { id: string }) => r.id)).toEqual(
    expect.arrayContaining(['territorial-link', 'electoral-lists', 'interest', 'association-conditions', 'association-members']),
  );
  expect(res.body.rules.sessionCalendar).toMatchObject({ months: { value: [1, 6, 9] }, opening: { value: 'second-monday' }, agendaNoticeDays: { value: 20 } });
  const reasons = Object.fromEntries(res.body.rules.inadmissibilityReasons.map((r: { code: string }) => [r.code, r]));
  expect(reasons.outside_competence).toMatchObject({ article: '112-14, art. 112', acceptedInNewDecisions: true });
  expect(reasons.other).toMatchObject({ article: null, legalBasis: 'none', acceptedInNewDecisions: false });
  expect(reasons.province_share_not_met).toBeUndefined();
  const region = await h.get('/councils/region-guelmim-oued-noun');
  expect(region.body.rules.eligibility.map((r: { id: string }) => r.id)).not.toContain('electoral-lists');
});

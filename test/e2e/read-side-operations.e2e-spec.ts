/**
 * The read side for NGOs and operators, over HTTP on the real app and the embedded store: a
 * council's dashboard, the overdue board, open-data exports, projection status, a rebuild of every
 * projection while the app serves queries, and health. The portal list, petition page, history and
 * signatures are in read-side.e2e-spec.ts.
 */
import { STORES } from '../../src/app.tokens';
import { DeadlineWatch } from '../../src/processes/deadline-watch/deadline-watch.service';
import type { Stores } from '../../src/infrastructure/stores';
import { PROJECTIONS } from '../../src/projections';
import { checkpointName, type Projection } from '../../src/projections/projection';
import { ProjectorService } from '../../src/projections/projector.service';
import { rebuildProjection } from '../../src/projections/rebuild';
import { associationPetition, citizensPetition, DAY, expectProblem, HOUR, HttpResponse, MINUTE, plusMonths, useApp } from './harness';

const h = useApp();

const TAN_TAN = 'commune-tan-tan';
const PROVINCE = 'province-tan-tan';
const PROJECTION_NAMES = ['petitions', 'petition_history', 'signatures', 'council_dashboard', 'dialogue'];
const QUOTED_TITLE = 'Parc « Al Amal », dit "le jardin", à rénover';
const REASON_TEXT = "L'objet relève de la compétence de l'État, et le dossier ne joint pas les statuts.";

/** GET with X-Min-Position at the store's head; asserts a 200, caught up. */
async function fresh(url: string): Promise<HttpResponse> {
  const head = await h.headPosition();
  const res = await h.get(url, undefined, { 'x-min-position': head.toString() });
  expect({ url, status: res.status, text: res.status === 200 ? '' : res.text }).toEqual({ url, status: 200, text: '' });
  // Exports take no minPosition and say nothing of freshness; every other read model answer does.
  if (!url.startsWith('/exports/')) expect(res.headers['x-read-model-caught-up']).toBe('true');
  return res;
}

const rep = () => h.token('rep-operations', ['association_rep']);
const clerkOf = (councilId: string) => h.token(`clerk-${councilId}`, ['clerk'], councilId);
const days = (fromIso: string, toIso: string) => Math.round(((Date.parse(toIso) - Date.parse(fromIso)) / DAY) * 10) / 10;

async function fileAssociation(councilId: string, title: string): Promise<string> {
  h.clock.advance(MINUTE);
  const res = await h.post('/petitions', { ...associationPetition(councilId), title }, await rep());
  expect(res.status).toBe(201);
  return res.body.id;
}

async function submit(id: string): Promise<string> {
  const at = h.clock.iso();
  const res = await h.post(`/petitions/${id}/submission`, undefined, await rep());
  expect(res.status).toBe(200);
  return at;
}

async function decide(id: string, councilId: string, decision: 'admissible' | 'inadmissible'): Promise<string> {
  const at = h.clock.iso();
  const body =
    decision === 'admissible'
      ? { decision, agendaSession: 'Session ordinaire de mai 2027', committee: 'Commission des affaires sociales' }
      : { decision, reasonCodes: ['outside_competence', 'form_defect'], reasonText: REASON_TEXT };
  const res = await h.post(`/petitions/${id}/admissibility`, body, await clerkOf(councilId));
  expect(res.status).toBe(200);
  return at;
}

/** Minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      if (field !== '') throw new Error(`A quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`A bare line break outside quotes at ${i}`);
    } else field += c;
  }
  if (quoted) throw new Error('Unterminated quoted field');
  if (field !== '' || row.length) throw new Error('The last record does not end with CRLF');
  return rows;
}

const records = (rows: string[][]) => rows.slice(1).map((r) => Object.fromEntries(rows[0].map((c, i) => [c, r[i]])));

// ------------------------------------------------------------------------------------------------

let admissible: string;
let inadmissible: string;
let overdue: string;
let collecting: string;
let provinceOverdue: string;
const at: Record<string, string> = {};

describe('a council dashboard (commune of Tan-Tan)', () => {
  beforeAll(async () => {
    provinceOverdue = await fileAssociation(PROVINCE, 'Protection de la plage El Ouatia');
    admissible = await fileAssociation(TAN_TAN, 'Bibliothèque de quartier à El Wahda');
    inadmissible = await fileAssociation(TAN_TAN, 'Port de plaisance de Tan-Tan');
    overdue = await fileAssociation(TAN_TAN, 'Marché couvert pour les commerçants');
    h.clock.advance(MINUTE);
    const filed = await h.post('/petitions', citizensPetition(TAN_TAN, QUOTED_TITLE), await h.token('agent-operations', ['agent']));
    expect(filed.status).toBe(201);
    collecting = filed.body.id;
    await h.signMany(collecting, 2, { subPrefix: 'citizen-operations' });

    h.clock.advance(HOUR);
    at.provinceSubmitted = await submit(provinceOverdue);
    at.submitted = await submit(admissible);
    await submit(inadmissible);
    await submit(overdue);
    h.clock.advance(4 * DAY);
    at.admissible = await decide(admissible, TAN_TAN, 'admissible');
    h.clock.advance(6 * DAY);
    at.inadmissible = await decide(inadmissible, TAN_TAN, 'inadmissible');
  });

  it('counts petitions by status and decisions, with the admissibility rate and the median days to decision', async () => {
    const res = await fresh(`/councils/${TAN_TAN}/dashboard`);
    expect(days(at.submitted, at.admissible)).toBe(4);
    expect(days(at.submitted, at.inadmissible)).toBe(10);
    expect(res.body).toEqual({
      councilId: TAN_TAN,
      level: 'commune',
      name: expect.objectContaining({ fr: 'Commune de Tan-Tan' }),
      total: 4,
      byStatus: { collecting: 1, submitted: 1, admissible: 1, inadmissible: 1, answered: 0, withdrawn: 0 },
      closed: 0,
      decisions: { admissible: 1, inadmissible: 1 },
      admissibilityRate: 0.5,
      medianDaysToDecision: 7,
      overdueNow: 0,
      deadlinesMissed: 0,
      sessionsMissed: 0,
      responses: { adopted: 0, partially_adopted: 0, rejected: 0 },
      fraudChecks: { invalidations: 0, signaturesInvalidated: 0, signaturesReinstated: 0 },
      dialogue: expect.objectContaining({ threads: 0, commitments: { open: 0, kept: 0, missed: 0 } }),
    });
    expect(res.headers['x-read-model-position']).toEqual(expect.any(String));
  });

  it('a council with no petition has an empty dashboard; an unknown council is a 404 COUNCIL_NOT_FOUND', async () => {
    const res = await fresh('/councils/commune-sefrou/dashboard');
    expect(res.body).toMatchObject({
      councilId: 'commune-sefrou',
      total: 0,
      admissibilityRate: null,
      medianDaysToDecision: null,
      overdueNow: 0,
      deadlinesMissed: 0,
    });
    expectProblem(await h.get('/councils/commune-atlantis/dashboard'), 404, 'COUNCIL_NOT_FOUND');
  });

  it('once the deadlines pass and the watch runs: overdue now and deadlines missed', async () => {
    const due = plusMonths(at.submitted, 3);
    expect(new Date(plusMonths(at.provinceSubmitted, 2)) < new Date(due)).toBe(true);
    h.clock.advance(Date.parse(due) - Date.parse(h.clock.iso()) + 5 * DAY + HOUR);
    expect(await h.app.get(DeadlineWatch).checkNow()).toBe(2);

    const res = await fresh(`/councils/${TAN_TAN}/dashboard`);
    expect(res.body).toMatchObject({
      total: 4,
      byStatus: { collecting: 1, submitted: 1, admissible: 1, inadmissible: 1, answered: 0, withdrawn: 0 },
      decisions: { admissible: 1, inadmissible: 1 },
      overdueNow: 1,
      deadlinesMissed: 1,
    });
    expect((await fresh(`/councils/${PROVINCE}/dashboard`)).body).toMatchObject({ total: 1, byStatus: { submitted: 1 }, overdueNow: 1, deadlinesMissed: 1 });
    expect((await h.petition(overdue)).body).toMatchObject({
      status: 'submitted',
      subStatus: 'overdue',
      overdue: true,
      deadlineMissed: true,
      responseDueAt: due,
    });
  });
});

describe('the overdue board (GET /overdue)', () => {
  it('lists the overdue petitions, oldest due date first, with days overdue', async () => {
    const res = await fresh('/overdue');
    const now = Date.parse(h.clock.iso());
    const provinceDue = plusMonths(at.provinceSubmitted, 2);
    const communeDue = plusMonths(at.submitted, 3);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([provinceOverdue, overdue]);
    expect(res.body.items[0]).toMatchObject({
      councilId: PROVINCE,
      status: 'submitted',
      subStatus: 'overdue',
      overdue: true,
      responseDueAt: provinceDue,
      daysOverdue: Math.floor((now - Date.parse(provinceDue)) / DAY),
    });
    expect(res.body.items[1]).toMatchObject({ councilId: TAN_TAN, responseDueAt: communeDue, daysOverdue: 5 });
    expect(res.body.items[0].daysOverdue).toBeGreaterThan(5);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.freshness.caughtUp).toBe(true);

    expect((await fresh(`/overdue?council=${TAN_TAN}`)).body.items.map((i: { id: string }) => i.id)).toEqual([overdue]);
    expect((await fresh('/overdue?level=province')).body.items.map((i: { id: string }) => i.id)).toEqual([provinceOverdue]);
    const first = (await fresh('/overdue?limit=1')).body;
    expect(first.items.map((i: { id: string }) => i.id)).toEqual([provinceOverdue]);
    const second = (await fresh(`/overdue?limit=1&cursor=${first.nextCursor}`)).body;
    expect(second.items.map((i: { id: string }) => i.id)).toEqual([overdue]);
    expect(second.nextCursor).toBeNull();
  });

  it('drops a petition once its admissibility is decided (late); the dashboard keeps the missed deadline', async () => {
    h.clock.advance(DAY);
    at.late = await decide(overdue, TAN_TAN, 'admissible');
    const res = await fresh('/overdue');
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([provinceOverdue]);
    expect((await h.petition(overdue)).body).toMatchObject({ status: 'admissible', subStatus: 'awaiting_response', overdue: false, deadlineMissed: true });

    const dashboard = (await fresh(`/councils/${TAN_TAN}/dashboard`)).body;
    const lateDays = days(at.submitted, at.late);
    expect(lateDays).toBeGreaterThan(90);
    expect(dashboard).toMatchObject({
      byStatus: { collecting: 1, submitted: 0, admissible: 2, inadmissible: 1, answered: 0, withdrawn: 0 },
      decisions: { admissible: 2, inadmissible: 1 },
      admissibilityRate: 0.667,
      medianDaysToDecision: 10,
      overdueNow: 0,
      deadlinesMissed: 1,
    });
  });
});

// ------------------------------------------------------------------------------------------------

describe('open-data exports', () => {
  const ALL = () => [provinceOverdue, admissible, inadmissible, overdue, collecting];

  it('petitions.csv: UTF-8 with BOM, a header row and one row per petition, fields with commas or quotes quoted', async () => {
    await fresh('/petitions');
    const res = await h.get('/exports/petitions.csv');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="petitions.csv"');
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(res.text.slice(1));
    expect(rows[0].slice(0, 3)).toEqual(['id', 'title', 'councilId']);
    expect(rows[0]).toEqual(expect.arrayContaining(['status', 'signatureCount', 'responseDueAt', 'admissibility', 'reasonCodes']));
    for (const row of rows) expect(row).toHaveLength(rows[0].length);
    const byId = new Map(records(rows).map((r) => [r.id, r]));
    expect(rows).toHaveLength(1 + ALL().length);
    expect([...byId.keys()].sort()).toEqual(ALL().sort());

    expect(res.text).toContain('"Parc « Al Amal », dit ""le jardin"", à rénover"');
    expect(byId.get(collecting)).toMatchObject({ title: QUOTED_TITLE, councilId: TAN_TAN, status: 'collecting', signatureCount: '2', submittedAt: '' });
    expect(byId.get(inadmissible)).toMatchObject({ status: 'inadmissible', admissibility: 'inadmissible', reasonCodes: 'outside_competence;form_defect' });
    expect(byId.get(overdue)).toMatchObject({ status: 'admissible', deadlineMissed: 'true', overdue: 'false' });
    expect(byId.get(provinceOverdue)).toMatchObject({ councilLevel: 'province', overdue: 'true', responseDueAt: plusMonths(at.provinceSubmitted, 2) });
    // No signer data, nor the free texts that are not columns.
    expect(rows[0].some((c) => /signer|identity/i.test(c))).toBe(false);
  });

  it('petitions.json: the same rows as JSON', async () => {
    const res = await h.get('/exports/petitions.json');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    const rows = JSON.parse(res.text);
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.map((r: { id: string }) => r.id).sort()).toEqual(ALL().sort());
    const csvHeader = parseCsv((await h.get('/exports/petitions.csv')).text.slice(1))[0];
    for (const row of rows) expect(Object.keys(row)).toEqual(csvHeader);
    expect(rows.find((r: { id: string }) => r.id === collecting)).toMatchObject({ title: QUOTED_TITLE, signatureCount: 2, closed: false, submittedAt: null });
    expect(rows.find((r: { id: string }) => r.id === inadmissible)).toMatchObject({ reasonCodes: ['outside_competence', 'form_defect'] });
  });

  it('councils.csv and councils.json: every council, with its dashboard figures', async () => {
    const councils = (await h.get('/councils')).body.councils.map((c: { id: string }) => c.id);
    expect(councils.length).toBeGreaterThan(20);

    const csv = await h.get('/exports/councils.csv');
    expect(csv.status).toBe(200);
    expect(csv.contentType).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(csv.text.slice(1));
    expect(rows[0].slice(0, 4)).toEqual(['councilId', 'level', 'nameFr', 'nameAr']);
    for (const row of rows) expect(row).toHaveLength(rows[0].length);
    const recs = records(rows);
    expect(recs.map((r) => r.councilId)).toEqual(councils);
    expect(recs.find((r) => r.councilId === TAN_TAN)).toMatchObject({
      level: 'commune',
      nameFr: 'Commune de Tan-Tan',
      total: '4',
      collecting: '1',
      admissible: '2',
      inadmissible: '1',
      admissibilityRate: '0.667',
      medianDaysToDecision: '10',
      overdueNow: '0',
      deadlinesMissed: '1',
    });
    expect(recs.find((r) => r.councilId === TAN_TAN)!.nameAr).toMatch(/[\u0600-\u06FF]/);
    expect(recs.find((r) => r.councilId === 'commune-sefrou')).toMatchObject({ total: '0', admissibilityRate: '', medianDaysToDecision: '' });

    const json = await h.get('/exports/councils.json');
    expect(json.status).toBe(200);
    const parsed = JSON.parse(json.text);
    expect(parsed.map((r: { councilId: string }) => r.councilId)).toEqual(councils);
    expect(parsed.find((r: { councilId: string }) => r.councilId === TAN_TAN)).toMatchObject({
      total: 4,
      admissibilityRate: 0.667,
      overdueNow: 0,
      deadlinesMissed: 1,
    });
    expect(parsed.find((r: { councilId: string }) => r.councilId === PROVINCE)).toMatchObject({ total: 1, overdueNow: 1, deadlinesMissed: 1 });
  });

  it('an unknown format is a 404', async () => {
    expectProblem(await h.get('/exports/petitions.xml'), 404, 'EXPORT_FORMAT_UNKNOWN');
    expectProblem(await h.get('/exports/councils.xlsx'), 404, 'EXPORT_FORMAT_UNKNOWN');
    expect((await h.get('/exports/signatures.csv')).status).toBe(404);
  });
});

// ------------------------------------------------------------------------------------------------

async function projectionsCaughtUp(): Promise<any> {
  await h.app.get(ProjectorService).caughtUp();
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await h.get('/projections');
    expect(res.status).toBe(200);
    if (res.body.projections.every((p: { lag: string }) => p.lag === '0')) return res.body;
    if (Date.now() > deadline) return res.body;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GET /projections', () => {
  it('lists the four projections with position, head position and lag 0 once caught up', async () => {
    const body = await projectionsCaughtUp();
    const head = (await h.headPosition()).toString();
    expect(body.headPosition).toBe(head);
    expect(body.projections.map((p: { name: string }) => p.name)).toEqual(PROJECTION_NAMES);
    for (const p of body.projections)
      expect(p).toEqual({ name: p.name, version: expect.any(Number), generation: 1, position: head, headPosition: head, lag: '0' });
  });
});

describe('health', () => {
  it('/health/live answers 200', async () => {
    const res = await h.get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it("/health/ready answers 200 with both stores up and the projector's projections", async () => {
    await projectionsCaughtUp();
    const res = await h.get('/health/ready');
    expect(res.status).toBe(200);
    const head = (await h.headPosition()).toString();
    expect(res.body).toMatchObject({ status: 'ready', role: 'all', eventStore: { status: 'up', headPosition: head }, readStore: { status: 'up' } });
    expect(res.body.projector.projections.map((p: { name: string }) => p.name)).toEqual(PROJECTION_NAMES);
    for (const p of res.body.projector.projections) expect(p).toMatchObject({ generation: 1, position: head, lag: '0' });
  });
});

// ------------------------------------------------------------------------------------------------

describe('rebuilding every projection while the app serves queries', () => {
  /** The answers the rebuild must not change. */
  const VIEWS = () => [
    '/petitions?limit=100',
    '/petitions?sort=deadline&limit=100',
    '/petitions?sort=signatures&council=commune-tan-tan',
    '/petitions?q=plage',
    ...[provinceOverdue, admissible, inadmissible, overdue, collecting].map((id) => `/petitions/${id}`),
    `/petitions/${overdue}/history?lang=fr`,
    `/petitions/${inadmissible}/history?lang=ar`,
    `/petitions/${collecting}/signatures`,
    `/petitions/${collecting}/signatures/daily`,
    `/councils/${TAN_TAN}/dashboard`,
    `/councils/${PROVINCE}/dashboard`,
    '/overdue',
    '/exports/petitions.csv',
    '/exports/councils.json',
  ];
  /** Body without the freshness stamp (a position, which the rebuild's generation restates). */
  const content = (res: HttpResponse) => {
    if (typeof res.body !== 'object' || res.body === null || Array.isArray(res.body)) return res.body;
    const { freshness: _freshness, ...rest } = res.body;
    return rest;
  };
  const before = new Map<string, unknown>();
  let stores: Stores;
  let projections: Projection[];

  it('answers every concurrent query, unchanged, while all four are rebuilt', async () => {
    stores = h.app.get<Stores>(STORES);
    projections = h.app.get<Projection[]>(PROJECTIONS);
    expect(projections.map((p) => p.name)).toEqual(PROJECTION_NAMES);
    await projectionsCaughtUp();
    for (const url of VIEWS()) before.set(url, content(await fresh(url)));

    let done = false;
    const rebuilding = Promise.all(
      projections.map((p) => rebuildProjection(stores.eventStore, stores.readStore, p, { owner: `test-rebuild-${p.name}` })),
    ).finally(() => {
      done = true;
    });
    const answers: { url: string; status: number }[] = [];
    const mismatches: { url: string; body: unknown }[] = [];
    const hot = [
      '/petitions?limit=100',
      `/petitions/${overdue}`,
      `/councils/${TAN_TAN}/dashboard`,
      `/petitions/${overdue}/history?lang=fr`,
      `/petitions/${collecting}/signatures/daily`,
    ];
    while (!done) {
      const batch = await Promise.all(hot.map(async (url) => ({ url, res: await h.get(url) })));
      for (const { url, res } of batch) {
        answers.push({ url, status: res.status });
        if (res.status === 200 && JSON.stringify(content(res)) !== JSON.stringify(before.get(url))) mismatches.push({ url, body: res.body });
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const results = await rebuilding;

    expect(results.map((r) => [r.projection, r.from, r.to])).toEqual(PROJECTION_NAMES.map((n) => [n, 1, 2]));
    expect(answers.length).toBeGreaterThan(50);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(mismatches).toEqual([]);
  });

  it('then GET /projections shows generation 2, caught up, and the old generation is gone', async () => {
    const body = await projectionsCaughtUp();
    const head = (await h.headPosition()).toString();
    expect(body.projections.map((p: { name: string }) => p.name)).toEqual(PROJECTION_NAMES);
    for (const p of body.projections)
      expect(p).toEqual({ name: p.name, version: expect.any(Number), generation: 2, position: head, headPosition: head, lag: '0' });
    for (const name of PROJECTION_NAMES) expect(await stores.readStore.getCheckpoint(checkpointName(name, 1))).toBeNull();
    const ready = await h.get('/health/ready');
    expect(ready.status).toBe(200);
    for (const p of ready.body.projector.projections) expect(p).toMatchObject({ generation: 2, lag: '0' });
  });

  it('answers exactly as before the rebuild', async () => {
    for (const url of VIEWS()) expect({ url, body: content(await fresh(url)) }).toEqual({ url, body: before.get(url) });
  });

  it('shows a petition filed after the rebuild: the live projector followed the switch', async () => {
    h.clock.advance(HOUR);
    const filed = await h.post(
      '/petitions',
      {
        ...citizensPetition(TAN_TAN, 'Ramassage des ordures au quartier Lamsalla'),
        subject: 'Organiser le ramassage quotidien des ordures ménagères au quartier Lamsalla.',
      },
      await h.token('agent-after-rebuild', ['agent']),
    );
    expect(filed.status).toBe(201);
    const listed = await h.get(`/petitions?q=ordures&minPosition=${filed.body.position}`);
    expect(listed.status).toBe(200);
    expect(listed.headers['x-read-model-caught-up']).toBe('true');
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([filed.body.id]);
    await h.signMany(filed.body.id, 3, { subPrefix: 'citizen-after-rebuild' });
    expect((await h.petition(filed.body.id)).body).toMatchObject({ status: 'collecting', signatureCount: 3 });
    expect((await fresh(`/councils/${TAN_TAN}/dashboard`)).body).toMatchObject({ total: 5, byStatus: { collecting: 2 } });
    expect((await fresh(`/petitions/${filed.body.id}/history?lang=en`)).body.entries.map((e: { type: string }) => e.type)).toEqual(['PetitionFiled']);
    expect((await fresh(`/petitions/${filed.body.id}/signatures/daily`)).body.days).toEqual([
      { day: h.clock.iso().slice(0, 10), signed: 3, withdrawn: 0, invalidated: 0, reinstated: 0, net: 3, cumulative: 3 },
    ]);
    const body = await projectionsCaughtUp();
    for (const p of body.projections) expect(p).toMatchObject({ generation: 2, lag: '0' });
  });
});

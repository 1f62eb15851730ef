/**
 * GET /petitions/:id/events pages through the petition's own streams (lifecycle, then each
 * signature stream) with signed cursors: every event exactly once whatever the page size, each
 * page in global order with its chain verified, and a cursor that was altered or belongs to
 * another petition refused.
 */
import { citizensPetition, expectProblem, HttpResponse, signBody, useApp } from './harness';

const h = useApp();
let agent: string;
let auditor: string;

beforeAll(async () => {
  agent = await h.token('agent-audit', ['agent']);
  auditor = await h.token('auditor-paging', ['auditor']);
});

async function file(title: string): Promise<string> {
  const res = await h.post('/petitions', citizensPetition('commune-tan-tan', title), agent);
  expect(res.status).toBe(201);
  return res.body.id;
}

async function allPages(id: string, limit: number) {
  const events: { id: string; position: string; streamId: string }[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const res: HttpResponse = await h.get(`/petitions/${id}/events?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`, auditor);
    expect(res.status).toBe(200);
    expect(res.headers['x-read-model-caught-up']).toBe('true');
    expect(res.body.pageIntegrity.verified).toBe(true);
    expect(res.body.lifecycleIntegrity.verified).toBe(true);
    expect(res.body.events.length).toBeLessThanOrEqual(limit);
    const positions = res.body.events.map((e: { position: string }) => BigInt(e.position));
    for (let i = 1; i < positions.length; i++) expect(positions[i] > positions[i - 1]).toBe(true);
    events.push(...res.body.events);
    after = res.body.next;
    if (after === null) return { events, pages: pages + 1 };
    expect(after).not.toMatch(/^\d+$/); // opaque, not a position
  }
  throw new Error('more than 100 pages');
}

it('returns every event of the petition once, whatever the page size, including a signer who withdrew and signed again', async () => {
  const id = await file('Ramassage des déchets au quartier Al Massira');
  const other = await file('Éclairage de la corniche');
  const citizens = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => h.token(`audit-citizen-${i}`, ['citizen'], undefined, `JC10000${i}`)));
  for (const [i, token] of citizens.entries()) expect((await h.post(`/petitions/${id}/signatures`, signBody(`JC10000${i}`), token)).status).toBe(201);
  expect((await h.post(`/petitions/${other}/signatures`, signBody('JC100000'), citizens[0])).status).toBe(201);
  expect((await h.post(`/petitions/${id}/signatures/withdrawal`, {}, citizens[2])).status).toBe(200);
  expect((await h.post(`/petitions/${id}/signatures`, signBody('JC100002'), citizens[2])).status).toBe(201);

  const whole = await allPages(id, 1000);
  expect(whole.pages).toBe(1);
  // PetitionFiled + 6 signed + 1 withdrawn + 1 signed again (and nothing of the other petition).
  expect(whole.events).toHaveLength(9);
  expect(new Set(whole.events.map((e) => e.streamId.split('-').slice(0, 1)[0]))).toEqual(new Set(['petition', 'signature']));
  expect(whole.events.every((e) => e.streamId.includes(id))).toBe(true);
  for (const limit of [1, 2, 3, 4]) {
    const paged = await allPages(id, limit);
    expect(paged.events.map((e) => e.id).sort()).toEqual(whole.events.map((e) => e.id).sort());
    expect(new Set(paged.events.map((e) => e.id)).size).toBe(whole.events.length);
  }
});

it('refuses a cursor that was altered, forged, or issued for another petition (400 naming `after`)', async () => {
  const a = await file('Aire de jeux au quartier Nahda');
  const b = await file('Navette scolaire vers le lycée');
  const citizen = await h.token('audit-citizen-cursor', ['citizen'], undefined, 'JC200000');
  expect((await h.post(`/petitions/${a}/signatures`, signBody('JC200000'), citizen)).status).toBe(201);
  const first = await h.get(`/petitions/${a}/events?limit=1`, auditor);
  expect(first.status).toBe(200);
  const next: string = first.body.next;
  expect(typeof next).toBe('string');
  const second = await h.get(`/petitions/${a}/events?limit=1&after=${encodeURIComponent(next)}`, auditor);
  expect(second.body.events.map((e: { type: string }) => e.type)).toEqual(['PetitionSigned.v2']);

  const refusedFields = async (petitionId: string, cursor: string) =>
    expectProblem(await h.get(`/petitions/${petitionId}/events?after=${encodeURIComponent(cursor)}`, auditor), 400, 'VALIDATION_FAILED').errors.map(
      (e: { field: string }) => e.field,
    );
  expect(await refusedFields(b, next)).toEqual(['after']); // another petition's cursor
  const [payload, mac] = next.split('.');
  const altered = Buffer.from(JSON.stringify([null, null, 1, '0'])).toString('base64url'); // skip the first signature
  expect(altered).not.toBe(payload);
  expect(await refusedFields(a, `${altered}.${mac}`)).toEqual(['after']);
  expect(await refusedFields(a, `${payload}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`)).toEqual(['after']);
  expect(await refusedFields(a, '123456')).toEqual(['after']);
});

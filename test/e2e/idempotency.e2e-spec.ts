/**
 * Idempotency-Key on POST: a retry with the same key and body gets the first answer and appends
 * nothing; the same key with another body is refused; keys are per user; a failed first attempt
 * does not burn the key.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { citizensPetition, expectProblem, signBody, useApp } from './harness';

const h = useApp();
let agent: string;
let otherAgent: string;
let citizen: string;

beforeAll(async () => {
  agent = await h.token('agent-idem', ['agent']);
  otherAgent = await h.token('agent-idem-2', ['agent']);
  citizen = await h.token('citizen-idem', ['citizen'], undefined, 'JB123456');
});

const key = (k: string) => ({ 'idempotency-key': k });
const filedEvents = async (id: string) => (await h.history(id)).events.filter((e) => e.type === 'PetitionFiled.v2');

describe('POST /petitions', () => {
  it('same key and body twice: same status and body, replayed header, exactly one PetitionFiled', async () => {
    const body = citizensPetition('commune-tan-tan', 'Réfection de la route de la plage');
    const first = await h.post('/petitions', body, agent, key('file-1'));
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const head = await h.headPosition();
    expect(head.toString()).toBe(first.body.position);

    const second = await h.post('/petitions', body, agent, key('file-1'));
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await h.headPosition()).toBe(head);

    const filed = await filedEvents(first.body.id);
    expect(filed).toHaveLength(1);
    expect(filed[0].metadata.idempotencyKey).toBe('file-1');
  });

  it('the same key with a different body: 422 IDEMPOTENCY_KEY_REUSED, nothing appended', async () => {
    const body = citizensPetition('commune-tan-tan', 'Création d’un espace vert à El Wahda');
    expect((await h.post('/petitions', body, agent, key('file-2'))).status).toBe(201);
    const head = await h.headPosition();
    const res = await h.post('/petitions', { ...body, title: 'Création d’un jardin public à El Wahda' }, agent, key('file-2'));
    expectProblem(res, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await h.headPosition()).toBe(head);
  });

  it('the same key used by another user is independent', async () => {
    const body = citizensPetition('commune-tan-tan', 'Transport scolaire pour les douars');
    const mine = await h.post('/petitions', body, agent, key('shared-key'));
    const theirs = await h.post('/petitions', body, otherAgent, key('shared-key'));
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect((await filedEvents(theirs.body.id))[0].data.ownerId).toBe('agent-idem-2');
  });

  it('a key whose first request failed validation can be retried with a valid body', async () => {
    const valid = citizensPetition('commune-tan-tan', 'Horaires du marché municipal');
    const head = await h.headPosition();
    const invalid = await h.post('/petitions', { ...valid, title: 'short' }, agent, key('file-3'));
    expectProblem(invalid, 400, 'VALIDATION_FAILED');
    expect(await h.headPosition()).toBe(head);

    const retried = await h.post('/petitions', valid, agent, key('file-3'));
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    const replay = await h.post('/petitions', valid, agent, key('file-3'));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(retried.body);
    expect(await h.headPosition()).toBe(head + 1n);
  });

  it('a refusal by a rule is not stored either: the retry is decided again', async () => {
    const filed = await h.post('/petitions', citizensPetition('commune-tan-tan', 'Bibliothèque de quartier'), agent);
    const first = await h.post(`/petitions/${filed.body.id}/submission`, undefined, agent, key('submit-1'));
    expectProblem(first, 422, 'THRESHOLD_NOT_MET');
    const again = await h.post(`/petitions/${filed.body.id}/submission`, undefined, agent, key('submit-1'));
    expectProblem(again, 422, 'THRESHOLD_NOT_MET');
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });

  it('concurrent retries with one key append one petition', async () => {
    const body = citizensPetition('commune-tan-tan', 'Assainissement du quartier Al Massira');
    const head = await h.headPosition();
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.post('/petitions', body, agent, key('file-burst'))));
    const created = answers.filter((a) => a.status === 201);
    const others = answers.filter((a) => a.status !== 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    for (const a of others) expectProblem(a, 409, 'IDEMPOTENCY_KEY_IN_PROGRESS');
    expect(await h.headPosition()).toBe(head + 1n);
  });

  it('an invalid key: 422 IDEMPOTENCY_KEY_INVALID', async () => {
    const head = await h.headPosition();
    expectProblem(await h.post('/petitions', citizensPetition('commune-tan-tan'), agent, key('has a space')), 422, 'IDEMPOTENCY_KEY_INVALID');
    expectProblem(await h.post('/petitions', citizensPetition('commune-tan-tan'), agent, key('k'.repeat(256))), 422, 'IDEMPOTENCY_KEY_INVALID');
    expect(await h.headPosition()).toBe(head);
  });
});

describe('POST /petitions/:id/signatures', () => {
  let id: string;

  beforeAll(async () => {
    const filed = await h.post('/petitions', citizensPetition('commune-tan-tan', 'Ouverture du centre de santé le samedi'), agent);
    id = filed.body.id;
  });

  it('same key and body twice: the same receipt, replayed header, one signature counted', async () => {
    const first = await h.post(`/petitions/${id}/signatures`, signBody('JB123456'), citizen, key('sign-1'));
    expect(first.status).toBe(201);
    const head = await h.headPosition();

    const second = await h.post(`/petitions/${id}/signatures`, signBody('JB123456'), citizen, key('sign-1'));
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await h.headPosition()).toBe(head);

    expect((await h.petition(id)).body.signatureCount).toBe(1);
    const signed = (await h.history(id)).events.filter((e) => e.type === 'PetitionSigned.v2');
    expect(signed).toHaveLength(1);
    expect(signed[0].metadata.idempotencyKey).toBe('sign-1');
  });

  it('without the key, the same request is a duplicate signature: 409 ALREADY_SIGNED', async () => {
    expectProblem(await h.post(`/petitions/${id}/signatures`, signBody('JB123456'), citizen), 409, 'ALREADY_SIGNED');
  });

  it('the same key with another body: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const head = await h.headPosition();
    expectProblem(await h.post(`/petitions/${id}/signatures`, signBody('JB654321'), citizen, key('sign-1')), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await h.headPosition()).toBe(head);
  });

  it('the same key on another petition is another request: 422 IDEMPOTENCY_KEY_REUSED, not a replay', async () => {
    const other = await h.post('/petitions', citizensPetition('commune-tan-tan', 'Piste cyclable vers le lycée'), agent);
    expectProblem(await h.post(`/petitions/${other.body.id}/signatures`, signBody('JB123456'), citizen, key('sign-1')), 422, 'IDEMPOTENCY_KEY_REUSED');
  });
});

describe('what the idempotency store keeps', () => {
  it('never the account id: keys are scoped by a keyed hash of it', async () => {
    const res = await h.post('/petitions', citizensPetition('commune-tan-tan', 'Un abribus devant le dispensaire'), agent, key('scope-1'));
    expect(res.status).toBe(201);
    const db = new Database(join(h.dataDir, 'events.sqlite'), { readonly: true });
    try {
      const scopes = (db.prepare('SELECT DISTINCT scope FROM idempotency_keys').all() as { scope: string }[]).map((r) => r.scope);
      expect(scopes.length).toBeGreaterThan(0);
      for (const scope of scopes) expect(scope).toMatch(/^[0-9a-f]{64}$/);
      expect(scopes).not.toContain('agent-idem');
    } finally {
      db.close();
    }
  });

  it('nothing for an anonymous request: it has nobody to scope its key to', async () => {
    const first = await h.post('/dev/token', { role: 'citizen', cin: 'JB765432' }, undefined, key('anon-1'));
    expect(first.status).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await h.post('/dev/token', { role: 'citizen', cin: 'JB765432' }, undefined, key('anon-1'));
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });
});

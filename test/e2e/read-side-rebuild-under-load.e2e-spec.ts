/**
 * A rebuild of every projection while citizens keep signing, on a read store that answers after a
 * short delay, as a networked MongoDB does (the embedded SQLite store answers synchronously, which
 * hides interleavings). Once the live projector has followed the switch, every signature given
 * before, during and after the rebuild is counted, listed and charted — none lost, none twice.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { STORES } from '../../src/app.tokens';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { signDevToken } from '../../src/infrastructure/auth/jwt-verifier';
import type { ReadStore } from '../../src/infrastructure/read-store/read-store.port';
import { openStores, type Stores } from '../../src/infrastructure/stores';
import { PROJECTIONS } from '../../src/projections';
import type { Projection } from '../../src/projections/projection';
import { rebuildProjection } from '../../src/projections/rebuild';
import { citizensPetition, identityNumber, signBody, TestClock } from './harness';

/**
 * Every call of the read store answers on a later turn of the event loop, 0–2 ms later, and
 * creating a collection (an index build on MongoDB) takes 30 ms: the projector's generation switch
 * then spans many turns, during which signatures keep arriving.
 */
function withLatency(store: ReadStore): ReadStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close') return value;
      return async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, property === 'ensureCollection' ? 30 : Math.floor(Math.random() * 3)));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

let app: NestFastifyApplication;
let dataDir: string;
let secret: string;
const serverErrors: string[] = [];

async function request(method: 'GET' | 'POST', url: string, body?: unknown, token?: string, headers: Record<string, string> = {}) {
  const fastify = app.getHttpAdapter().getInstance();
  const res = await fastify.inject({
    method,
    url,
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  if (res.statusCode >= 500) serverErrors.push(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return { status: res.statusCode, headers: res.headers, body: /json/.test(String(res.headers['content-type'])) ? JSON.parse(res.body) : res.body };
}

async function head(): Promise<string> {
  return (await request('GET', '/health')).body.eventStore.headPosition;
}

/** GET at the store's head, waiting for the read model if need be (up to 5 s, beyond the 2 s bound). */
async function caughtUp(url: string) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await request('GET', url, undefined, undefined, { 'x-min-position': await head() });
    if (res.status === 200 && res.headers['x-read-model-caught-up'] === 'true') return res;
    if (Date.now() > deadline) throw new Error(`${url}: not caught up (${res.status}, ${JSON.stringify(res.headers)})`);
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'petitions-read-side-latency-'));
  const config = loadConfig({ DATA_DIR: dataDir });
  secret = config.jwt.secret!;
  const stores = await openStores(config);
  const slow: Stores = { ...stores, readStore: withLatency(stores.readStore) };
  app = await createApp({ config, stores: slow, clock: new TestClock(), logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
});
afterEach(() => expect(serverErrors.splice(0)).toEqual([]));
afterAll(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('counts every signature given while all four projections are rebuilt and switched', async () => {
  const agent = await signDevToken(secret, { sub: 'agent-latency', roles: ['agent'] });
  const petitions: string[] = [];
  for (const title of ['Éclairage public du quartier El Wahda', 'Réfection de la route de Ouatia', 'Ramassage des ordures de Lamsalla']) {
    const res = await request('POST', '/petitions', citizensPetition('commune-tan-tan', title), agent);
    expect(res.status).toBe(201);
    petitions.push(res.body.id);
  }
  const signed = new Map<string, number>(petitions.map((id) => [id, 0]));
  let next = 0;
  const signOnce = async (petitionId: string) => {
    const i = next++;
    const cin = identityNumber(i, 'LT');
    const token = await signDevToken(secret, { sub: `citizen-latency-${i}`, roles: ['citizen'], cin });
    const res = await request('POST', `/petitions/${petitionId}/signatures`, signBody(cin), token);
    expect(res.status).toBe(201);
    signed.set(petitionId, signed.get(petitionId)! + 1);
  };
  for (const id of petitions) for (let k = 0; k < 5; k++) await signOnce(id);

  const stores = app.get<Stores>(STORES);
  const projections = app.get<Projection[]>(PROJECTIONS);
  let rebuilt = false;
  const rebuilding = Promise.all(projections.map((p) => rebuildProjection(stores.eventStore, stores.readStore, p, { owner: `latency-${p.name}`, batchSize: 7 }))).finally(() => {
    rebuilt = true;
  });
  // Citizens keep signing (three at a time) through the rebuild, the switch, and a little after.
  const signers = petitions.map(async (id) => {
    while (!rebuilt) {
      await signOnce(id);
      await new Promise((r) => setTimeout(r, 15));
    }
    for (let k = 0; k < 3; k++) await signOnce(id);
  });
  await Promise.all([rebuilding, ...signers]);
  expect([...signed.values()].every((n) => n > 10)).toBe(true);

  const status = await caughtUp('/petitions');
  expect(status.status).toBe(200);
  const projectionsStatus = (await request('GET', '/projections')).body;
  for (const p of projectionsStatus.projections) expect(p).toMatchObject({ generation: 2 });

  for (const id of petitions) {
    const page = await caughtUp(`/petitions/${id}`);
    expect({ id, signatureCount: page.body.signatureCount }).toEqual({ id, signatureCount: signed.get(id) });
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await caughtUp(`/petitions/${id}/signatures?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      listed.push(...res.body.items.map((s: { id: string }) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect({ id, listed: listed.length, distinct: new Set(listed).size }).toEqual({ id, listed: signed.get(id), distinct: signed.get(id) });
    const daily = await caughtUp(`/petitions/${id}/signatures/daily`);
    expect({ id, cumulative: daily.body.days.at(-1).cumulative }).toEqual({ id, cumulative: signed.get(id) });
  }
  const total = [...signed.values()].reduce((a, b) => a + b, 0);
  const all = await caughtUp('/petitions?sort=signatures&limit=100');
  expect(all.body.items.reduce((sum: number, p: { signatureCount: number }) => sum + p.signatureCount, 0)).toBe(total);

  // What the live projector built by following the switch is what a quiet rebuild from zero builds.
  const views = [...petitions.flatMap((id) => [`/petitions/${id}`, `/petitions/${id}/history?lang=fr`, `/petitions/${id}/signatures/daily`]), '/councils/commune-tan-tan/dashboard', '/petitions?limit=100'];
  const live = new Map<string, unknown>();
  for (const url of views) live.set(url, withoutFreshness((await caughtUp(url)).body));
  const again = await Promise.all(projections.map((p) => rebuildProjection(stores.eventStore, stores.readStore, p, { owner: `latency-again-${p.name}` })));
  expect(again.map((r) => r.to)).toEqual([3, 3, 3, 3]);
  for (const url of views) expect({ url, body: withoutFreshness((await caughtUp(url)).body) }).toEqual({ url, body: live.get(url) });
  expect((await caughtUp('/councils/commune-tan-tan/dashboard')).body).toMatchObject({ total: 3, byStatus: { collecting: 3 } });
});

function withoutFreshness(body: Record<string, unknown>): Record<string, unknown> {
  const { freshness: _freshness, ...rest } = body;
  return rest;
}

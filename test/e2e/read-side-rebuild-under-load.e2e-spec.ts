/**
 * A rebuild of every projection while citizens keep signing, on a read store that answers after a
 * short delay, as a networked MongoDB does (the embedded SQLite store answers synchronously, which
 * hides interleavings). Once the live projector has followed the switch, every signature given
 * before, during and after the rebuild is counted, listed and charted — none lost, none twice.
 *
 * Paced by readiness, not by time: while the rebuilds replay, each citizen signs again once every
 * rebuild has replayed their previous signature (so a loaded machine cannot leave the replay chasing
 * a head that moves faster than it), then signs freely through the switch and after it.
 */
import { STORES } from '../../src/app.tokens';
import type { ReadStore } from '../../src/infrastructure/read-store/read-store.port';
import type { Stores } from '../../src/infrastructure/stores';
import { PROJECTIONS } from '../../src/projections';
import type { Projection } from '../../src/projections/projection';
import { rebuildProjection } from '../../src/projections/rebuild';
import { citizensPetition, HttpResponse, identityNumber, signBody, useApp, waitUntil } from './harness';

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

const h = useApp({ wrapStores: (stores) => ({ ...stores, readStore: withLatency(stores.readStore) }) });

it('counts every signature given while all the projections are rebuilt and switched', async () => {
  const agent = await h.token('agent-latency', ['agent']);
  const petitions: string[] = [];
  for (const title of ['Éclairage public du quartier El Wahda', 'Réfection de la route de Ouatia', 'Ramassage des ordures de Lamsalla']) {
    const res = await h.post('/petitions', citizensPetition('commune-tan-tan', title), agent);
    expect(res.status).toBe(201);
    petitions.push(res.body.id);
  }
  const signed = new Map<string, number>(petitions.map((id) => [id, 0]));
  let next = 0;
  /** One more citizen signs; returns the position of the signature. */
  const signOnce = async (petitionId: string): Promise<bigint> => {
    const i = next++;
    const cin = identityNumber(i, 'LT');
    const res = await h.post(`/petitions/${petitionId}/signatures`, signBody(cin), await h.token(`citizen-latency-${i}`, ['citizen'], undefined, cin));
    expect(res.status).toBe(201);
    signed.set(petitionId, signed.get(petitionId)! + 1);
    return BigInt(res.body.position);
  };
  for (const id of petitions) for (let k = 0; k < 5; k++) await signOnce(id);

  const stores = h.app.get<Stores>(STORES);
  const projections = h.app.get<Projection[]>(PROJECTIONS);
  // How far each rebuild has replayed; one that reached the head goes on to its switch.
  const replayed = new Map<string, bigint>(projections.map((p) => [p.name, 0n]));
  const reachedHead = new Set<string>();
  let rebuilt = false;
  const rebuilding = Promise.all(
    projections.map((p) =>
      rebuildProjection(stores.eventStore, stores.readStore, p, {
        owner: `latency-${p.name}`,
        batchSize: 7,
        onProgress: ({ position, head }) => {
          replayed.set(p.name, position);
          if (position >= head) reachedHead.add(p.name);
        },
      }),
    ),
  ).finally(() => {
    rebuilt = true;
  });
  const replaying = () => !rebuilt && reachedHead.size < projections.length;
  const absorbed = (position: bigint) => !replaying() || projections.every((p) => reachedHead.has(p.name) || replayed.get(p.name)! >= position);
  const given = { duringReplay: 0, duringSwitch: 0 };
  // Citizens keep signing (three at a time) through the replay, the switch, and a little after.
  const signers = petitions.map(async (id) => {
    while (!rebuilt) {
      if (replaying()) {
        const position = await signOnce(id);
        given.duringReplay++;
        await waitUntil(() => absorbed(position), { timeoutMs: 30_000, what: () => `the rebuilds to replay position ${position}` });
      } else {
        await signOnce(id);
        given.duringSwitch++;
        await new Promise((r) => setTimeout(r, 15));
      }
    }
    for (let k = 0; k < 3; k++) await signOnce(id);
  });
  await Promise.all([rebuilding, ...signers]);
  expect(given.duringReplay).toBeGreaterThan(0);
  expect(given.duringSwitch).toBeGreaterThan(0);
  expect([...signed.values()].every((n) => n > 10)).toBe(true);

  // Once the live projector has followed the switch to generation 2 of every projection:
  await h.readAtHead('/petitions');
  const generations = async () => (await h.get('/projections')).body.projections.map((p: { generation: number }) => p.generation);
  await waitUntil(async () => (await generations()).every((g: number) => g === 2), { what: () => 'every projection live at generation 2' });
  expect(await generations()).toEqual(projections.map(() => 2));

  for (const id of petitions) {
    const page = await h.readAtHead(`/petitions/${id}`);
    expect({ id, signatureCount: page.body.signatureCount }).toEqual({ id, signatureCount: signed.get(id) });
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const res: HttpResponse = await h.readAtHead(`/petitions/${id}/signatures?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      listed.push(...res.body.items.map((s: { id: string }) => s.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect({ id, listed: listed.length, distinct: new Set(listed).size }).toEqual({ id, listed: signed.get(id), distinct: signed.get(id) });
    const daily = await h.readAtHead(`/petitions/${id}/signatures/daily`);
    expect({ id, cumulative: daily.body.days.at(-1).cumulative }).toEqual({ id, cumulative: signed.get(id) });
  }
  const total = [...signed.values()].reduce((a, b) => a + b, 0);
  const all = await h.readAtHead('/petitions?sort=signatures&limit=100');
  expect(all.body.items.reduce((sum: number, p: { signatureCount: number }) => sum + p.signatureCount, 0)).toBe(total);

  // What the live projector built by following the switch is what a quiet rebuild from zero builds.
  const views = [
    ...petitions.flatMap((id) => [`/petitions/${id}`, `/petitions/${id}/history?lang=fr`, `/petitions/${id}/signatures/daily`]),
    '/councils/commune-tan-tan/dashboard',
    '/petitions?limit=100',
  ];
  const live = new Map<string, unknown>();
  for (const url of views) live.set(url, withoutFreshness((await h.readAtHead(url)).body));
  const again = await Promise.all(projections.map((p) => rebuildProjection(stores.eventStore, stores.readStore, p, { owner: `latency-again-${p.name}` })));
  expect(again.map((r) => r.to)).toEqual(projections.map(() => 3));
  for (const url of views) expect({ url, body: withoutFreshness((await h.readAtHead(url)).body) }).toEqual({ url, body: live.get(url) });
  expect((await h.readAtHead('/councils/commune-tan-tan/dashboard')).body).toMatchObject({ total: 3, byStatus: { collecting: 3 } });
});

function withoutFreshness(body: Record<string, unknown>): Record<string, unknown> {
  const { freshness: _freshness, ...rest } = body;
  return rest;
}

/**
 * Rebuilds: replaying every event into a new generation gives exactly what the live projector
 * wrote; the switch moves queries and the running projector to the new generation and drops the
 * old one; a rebuild racing with appends still ends, once the projector has caught up, where a
 * fresh rebuild ends. Real SQLite stores, the real Projector and rebuildProjection.
 */
import { randomUUID } from 'node:crypto';
import { newId } from '../../src/application/clock';
import { PETITIONS, PetitionDoc } from '../../src/projections/petitions.projection';
import { HistoryEntryDoc, PETITION_HISTORY } from '../../src/projections/petition-history.projection';
import { checkpointName, generationSetting, physicalName } from '../../src/projections/projection';
import { Projector, ProjectorOptions } from '../../src/projections/projector';
import type { ReadDocument, WriteBatch } from '../../src/infrastructure/read-store/read-store.port';
import { rebuildProjection, rebuildProjections } from '../../src/projections/rebuild';
import { BloomFilter } from '../../src/projections/rebuild-unit-of-work';
import type { EventStore } from '../../src/infrastructure/event-store/event-store.port';
import { applyEvents, DelegatingReadStore, openStores, projectionNamed, readAllEvents, snapshot, Stores, tableExists, until } from './support';

const TAN_TAN = 'commune-tan-tan';
const REGION = 'region-guelmim-oued-noun';
const PROVINCES = ['province-guelmim', 'province-assa-zag', 'province-tan-tan', 'province-sidi-ifni'];

let s: Stores;
let live: Projector | null;
let liveError: unknown;

beforeEach(() => {
  s = openStores();
  live = null;
  liveError = undefined;
});

afterEach(async () => {
  await live?.stop();
  await s.close();
});

function startLive(generationCheckMs = 5, beforeCommit?: ProjectorOptions['beforeCommit']): Promise<void> {
  live = new Projector(s.events, s.read, s.projections, {
    owner: `live-${newId()}`,
    batchSize: 7,
    generationCheckMs,
    beforeCommit,
    onError: (e) => (liveError = e),
  });
  return live.start();
}

/** Petitions at every stage, signatures and withdrawals, decisions, over several days. */
async function scenario(): Promise<Record<string, string>> {
  const sc = s.scenario;
  const answered = await sc.file(TAN_TAN, 'Réseau d’assainissement');
  const refused = await sc.file(TAN_TAN, 'Stade municipal');
  const overdue = await sc.file(TAN_TAN, 'Bibliothèque de quartier');
  const collecting = await sc.file(TAN_TAN, 'Marché couvert');
  const regional = await sc.file(REGION, 'Route régionale');
  const withdrawn = await sc.file(TAN_TAN, 'Parc de jeux');
  for (const id of [answered, refused, overdue]) {
    const signers = await sc.sign(id, 204);
    await sc.withdrawSignature(id, signers[10]);
  }
  const early = await sc.sign(collecting, 30);
  for (const p of PROVINCES) await sc.sign(regional, 8, p);
  await sc.sign(withdrawn, 4);
  sc.clock.advanceDays(2);
  for (const id of [answered, refused, overdue]) await sc.submit(id);
  await sc.withdrawSignature(collecting, early[0]);
  await sc.sign(collecting, 12);
  await sc.withdraw(withdrawn);
  sc.clock.advanceDays(6);
  await sc.admissible(answered, TAN_TAN);
  await sc.inadmissible(refused, TAN_TAN);
  sc.clock.advanceDays(20);
  await sc.respond(answered, TAN_TAN, 'adopted');
  await sc.close(refused, TAN_TAN);
  sc.clock.advanceDays(70);
  await sc.missDeadline(overdue);
  return { answered, refused, overdue, collecting, regional, withdrawn };
}

async function rebuildAll(options: { batchSize?: number } = {}) {
  // Each read of the log takes a turn of the event loop, as a read from another process or over
  // the network does: appends made meanwhile (whose commits wait for such a turn) land among the batches.
  const events = new Proxy(s.events, {
    get: (target, property, receiver) =>
      property === 'readAll'
        ? async (...args: Parameters<EventStore['readAll']>) => {
            await new Promise((r) => setImmediate(r));
            return target.readAll(...args);
          }
        : (Reflect.get(target, property, receiver) as unknown),
  });
  const results = [];
  for (const projection of s.projections) results.push(await rebuildProjection(events, s.read, projection, { dropDelayMs: 0, batchSize: 40, ...options }));
  return results;
}

/** Waits until the live projector runs generation `g` of every projection (it fails the test if the projector died). */
const liveFollows = (g: number) =>
  until(async () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the error it caught, whatever its type
    if (liveError) throw liveError;
    return (await live!.status()).every((st) => st.generation === g);
  });

it('a rebuild writes generation 2 identical to what the live projector wrote, switches to it and drops generation 1', async () => {
  await startLive();
  const ids = await scenario();
  await live!.caughtUp();
  const head = await s.events.headPosition();
  const gen1 = await snapshot(s.read, s.projections, 1);
  expect(gen1[PETITIONS].length).toBe(6);
  expect(gen1[PETITION_HISTORY].length).toBeGreaterThan(15);

  const results = await rebuildAll();
  expect(results.map((r) => [r.projection, r.from, r.to, r.events])).toEqual(s.projections.map((p) => [p.name, 1, 2, Number(head)]));

  // Identical documents, _position included.
  expect(await snapshot(s.read, s.projections, 2)).toEqual(gen1);

  for (const projection of s.projections) {
    expect(await s.read.getSetting(generationSetting(projection.name))).toBe('2');
    expect(await s.read.getCheckpoint(checkpointName(projection.name, 2))).toBe(head);
    expect(await s.read.getCheckpoint(checkpointName(projection.name, 1))).toBeNull();
    for (const spec of projection.collections) {
      expect(tableExists(s.readDb, physicalName(spec.name, 1))).toBe(false);
      expect(tableExists(s.readDb, physicalName(spec.name, 2))).toBe(true);
    }
  }

  // The projector started before the rebuild follows the switch…
  await liveFollows(2);
  // …and what happens next lands in generation 2.
  await s.scenario.sign(ids.collecting, 5);
  await s.scenario.admissible(ids.overdue, TAN_TAN);
  await live!.caughtUp();
  const collecting = (await s.read.get<PetitionDoc>(physicalName(PETITIONS, 2), ids.collecting))!;
  expect(collecting.signatureCount).toBe(30 - 1 + 12 + 5);
  expect((await s.read.get<PetitionDoc>(physicalName(PETITIONS, 2), ids.overdue))!).toMatchObject({ status: 'admissible', overdue: false });
  const historyOfOverdue = await s.read.find<HistoryEntryDoc>(
    physicalName(PETITION_HISTORY, 2),
    { petitionId: ids.overdue },
    { sort: { field: 'seq', direction: 1 } },
  );
  expect(historyOfOverdue.items.at(-1)!.type).toBe('PetitionDeclaredAdmissible');
  for (const projection of s.projections) {
    expect(live!.checkpoint(projection.name)).toBe(await s.events.headPosition());
    for (const spec of projection.collections) expect(tableExists(s.readDb, physicalName(spec.name, 1))).toBe(false);
  }

  // Generation 2 is what a projection from zero gives.
  const fresh = openStores();
  try {
    await applyEvents(fresh.read, fresh.projections, await readAllEvents(s.events), 25);
    expect(await snapshot(s.read, s.projections)).toEqual(await snapshot(fresh.read, fresh.projections, 1));
  } finally {
    await fresh.close();
  }
});

describe('a rebuild while events are still being appended', () => {
  it.each([
    ['appends yield to the event loop after every request', { yieldEvery: 1, slowCommits: false }],
    ['appends run back to back (the drop of generation 1 falls among them)', { yieldEvery: 10, slowCommits: false }],
    ['the live projector commits slowly, as over a network', { yieldEvery: 1, slowCommits: true }],
    ['back-to-back appends and slow commits', { yieldEvery: 10, slowCommits: true }],
  ])('%s: once the live projector has caught up, generation 2 equals a fresh rebuild', async (_, { yieldEvery, slowCommits }) => {
    await startLive(2, slowCommits ? () => new Promise((r) => setImmediate(r)) : undefined);
    const ids = await scenario();
    await live!.caughtUp();

    let rebuilding = true;
    let appendedDuringRebuild = 0;
    let appendedAfterRebuild = 0;
    const append = async () => {
      const signers: string[] = [];
      for (let round = 0; round < 60; round++) {
        signers.push(...(await s.scenario.sign(ids.collecting, 3)));
        await s.scenario.sign(ids.regional, 1, PROVINCES[round % 4]);
        if (round % 5 === 4) await s.scenario.withdrawSignature(ids.collecting, signers[round]);
        if (rebuilding) appendedDuringRebuild += 1;
        else appendedAfterRebuild += 1;
        // Let timers and I/O callbacks run, as a service does between requests.
        if (round % yieldEvery === yieldEvery - 1) await new Promise((r) => setImmediate(r));
      }
    };
    const rebuild = async () => {
      const results = await rebuildAll({ batchSize: 20 });
      rebuilding = false;
      return results;
    };
    const [, results] = await Promise.all([append(), rebuild()]);
    expect(results.every((r) => r.to === 2)).toBe(true);
    expect(appendedDuringRebuild).toBeGreaterThan(0);
    expect(appendedAfterRebuild).toBeGreaterThan(0);

    await liveFollows(2);
    await live!.caughtUp();
    const head = await s.events.headPosition();
    for (const projection of s.projections) expect(live!.checkpoint(projection.name)).toBe(head);
    const followed = await snapshot(s.read, s.projections, 2);
    const collecting = followed[PETITIONS].find((d) => d._id === ids.collecting) as PetitionDoc;
    expect(collecting.signatureCount).toBe(30 - 1 + 12 + 60 * 3 - 12);
    await live!.stop();
    live = null;
    for (const projection of s.projections) {
      for (const spec of projection.collections) expect(tableExists(s.readDb, physicalName(spec.name, 1))).toBe(false);
    }

    // A fresh rebuild of the same events, into an empty read store.
    const fresh = openStores();
    try {
      for (const projection of fresh.projections) await rebuildProjection(s.events, fresh.read, projection, { dropDelayMs: 0 });
      expect(followed).toEqual(await snapshot(fresh.read, fresh.projections, 2));
    } finally {
      await fresh.close();
    }
  });
});

/** Settings reads that take a while, as over a network: the projector is slow to notice and load a switch. */
class SlowSettings extends DelegatingReadStore {
  slow = false;
  override async getSetting(key: string): Promise<string | null> {
    if (this.slow) await new Promise((r) => setTimeout(r, 10));
    return this.inner.getSetting(key);
  }
}

it('a projector slow to load the new generation still replays into it everything after its checkpoint', async () => {
  const store = new SlowSettings(s.read);
  live = new Projector(s.events, store, s.projections, { owner: `live-${newId()}`, batchSize: 7, generationCheckMs: 5, onError: (e) => (liveError = e) });
  await live.start();
  const ids = await scenario();
  await live.caughtUp();

  store.slow = true;
  // Only petitions is rebuilt; its old generation stays a while, as the CLI leaves it by default.
  const rebuilt = rebuildProjection(s.events, s.read, projectionNamed(s.projections, 'petitions'), { dropDelayMs: 200 });
  for (let i = 0; i < 40; i++) {
    await s.scenario.sign(ids.collecting, 2);
    await new Promise((r) => setTimeout(r, 1));
  }
  await rebuilt;
  await until(async () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the error it caught, whatever its type
    if (liveError) throw liveError;
    return (await live!.status()).find((st) => st.name === 'petitions')!.generation === 2;
  });
  store.slow = false;
  await live.caughtUp();

  const collecting = (await s.read.get<PetitionDoc>(physicalName(PETITIONS, 2), ids.collecting))!;
  expect(collecting.signatureCount).toBe(30 - 1 + 12 + 80);
  const fresh = openStores();
  try {
    await applyEvents(fresh.read, fresh.projections, await readAllEvents(s.events), 25);
    expect(await snapshot(s.read, s.projections)).toEqual(await snapshot(fresh.read, fresh.projections, 1));
  } finally {
    await fresh.close();
  }
});

/** Counts what a rebuild asks of the store: documents read back, and commits without a checkpoint (documents leaving memory). */
class CountingStore extends DelegatingReadStore {
  reads = 0;
  writesWithoutCheckpoint = 0;
  override getMany<T extends ReadDocument>(collection: string, ids: string[]): Promise<T[]> {
    this.reads += ids.length;
    return this.inner.getMany<T>(collection, ids);
  }
  override commit(batch: WriteBatch): Promise<void> {
    if (!batch.checkpoint && batch.puts.length + batch.deletes.length > 0) this.writesWithoutCheckpoint += 1;
    return this.inner.commit(batch);
  }
}

describe('a rebuild keeps the most used documents in memory between batches', () => {
  it.each([
    ['one document in memory, one event per batch', { retainDocuments: 1, batchSize: 1 }],
    ['a few documents, small batches', { retainDocuments: 4, batchSize: 3 }],
    ['some documents, larger batches', { retainDocuments: 40, batchSize: 25 }],
    ['the whole history in one batch', { retainDocuments: 100_000, batchSize: 1000 }],
  ])('%s: the read models equal what the live projector wrote', async (_, options) => {
    await startLive();
    // A dialogue too: documents found through others (dependent keys).
    await s.scenario.dialogueStory(TAN_TAN);
    const ids = await scenario();
    await live!.caughtUp();
    await live!.stop();
    live = null;
    const gen1 = await snapshot(s.read, s.projections, 1);
    expect(gen1[PETITIONS].find((d) => d._id === ids.collecting)).toMatchObject({ signatureCount: 30 - 1 + 12 });

    const store = new CountingStore(s.read);
    const results = await rebuildProjections(s.events, store, s.projections, { dropDelayMs: 0, ...options });
    // The bulk load is over: the store checkpoints its log as usual again.
    expect(s.readDb.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(results.every((r) => r.to === 2)).toBe(true);
    expect(await snapshot(s.read, s.projections, 2)).toEqual(gen1);
    const head = await s.events.headPosition();
    for (const projection of s.projections) expect(await s.read.getCheckpoint(checkpointName(projection.name, 2))).toBe(head);
    if (options.retainDocuments < 10) {
      // Documents did leave memory and were read back when a later event needed them.
      expect(store.writesWithoutCheckpoint).toBeGreaterThan(10);
      expect(store.reads).toBeGreaterThan(0);
    } else if (options.batchSize >= 1000) {
      // One batch: nothing was written before it, so nothing was read (the generation started empty).
      expect(store.reads).toBe(0);
    }
  });
});

describe('BloomFilter', () => {
  it('never says no for an id it holds, and says no for most others', () => {
    const filter = new BloomFilter();
    const held = Array.from({ length: 5000 }, () => randomUUID());
    for (const id of held) filter.add(id);
    expect(held.every((id) => filter.mayHave(id))).toBe(true);
    const others = Array.from({ length: 5000 }, () => randomUUID());
    expect(others.filter((id) => filter.mayHave(id)).length).toBeLessThan(5);
  });
});

/**
 * A process that restarts from a tally snapshot counts exactly what a full recount of the same
 * store counts — every petition, every province, with withdrawals, invalidations and
 * reinstatements on both sides of the snapshot — and reads only the events after it. A snapshot
 * that cannot be trusted (corrupt, unknown version, taken on a newer or another store: a restored
 * backup) is dropped and the process counts from the start.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { newId } from '../../src/application/clock';
import { SignatureTallyService, TALLY_SNAPSHOT_NAME } from '../../src/application/signature-tally.service';
import { storedType } from '../../src/domain/event-types';
import type { PetitionCount } from '../../src/domain/signature/signature-tally';
import type { InvalidationEvent } from '../../src/domain/signature/invalidation.events';
import { signatureStreamId } from '../../src/domain/signature/signature.events';
import { openSqlite } from '../../src/infrastructure/embedded-stores';
import { backupEventLog, restoreEventLog } from '../../src/infrastructure/event-store/sqlite-backup';
import type { EventStore, RecordedEvent } from '../../src/infrastructure/event-store/event-store.port';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite-event-store';
import { SqliteTallySnapshotStore, TALLY_SNAPSHOTS_FILE } from '../../src/infrastructure/tally-snapshot/sqlite-tally-snapshot-store';
import type { TallySnapshotStore } from '../../src/infrastructure/tally-snapshot/tally-snapshot-store.port';
import { Scenario } from '../support/scenario';

const TAN_TAN = 'commune-tan-tan';
const REGION = 'region-guelmim-oued-noun';
const PROVINCES = ['province-guelmim', 'province-assa-zag', 'province-tan-tan', 'province-sidi-ifni'];
const SIGNATURE_TYPES = ['PetitionSigned', 'SignatureWithdrawn', 'SignaturesInvalidated', 'SignaturesReinstated'];

let dir: string;
const closers: (() => unknown)[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tally-restart-'));
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await Promise.resolve(close()).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function openEvents(file = join(dir, 'events.sqlite')): SqliteEventStore {
  const events = SqliteEventStore.open(file, { pollIntervalMs: 10 });
  closers.push(() => events.close());
  return events;
}

function openSnapshots(file = join(dir, TALLY_SNAPSHOTS_FILE)): SqliteTallySnapshotStore {
  const db = openSqlite(file, 'NORMAL');
  closers.push(() => db.close());
  return new SqliteTallySnapshotStore(db);
}

/** A process's tally, as the API process builds it (bootstrap: snapshot, then the events after it). */
async function startTally(events: EventStore, snapshots: TallySnapshotStore): Promise<SignatureTallyService> {
  const service = new SignatureTallyService(events, snapshots, 'api');
  await service.onApplicationBootstrap();
  closers.push(() => service.onApplicationShutdown());
  return service;
}

/** A full recount of the store: no snapshot to start from (its own empty snapshot store). */
async function recount(events: EventStore): Promise<SignatureTallyService> {
  const service = new SignatureTallyService(events, openSnapshots(':memory:'), 'api');
  await service.catchUp();
  expect(service.startedFrom()).toEqual({ from: 'start', reason: 'no snapshot' });
  return service;
}

/** Everything a tally holds, in a comparable form: counts per petition and province, and the withdrawn and invalidated signatures. */
function fullState(service: SignatureTallyService): unknown {
  // Read from the live structure, not through the serialisation under test.
  const tallies = service['tallies'] as unknown as { lastPosition: bigint; counts: Map<string, PetitionCount> };
  return {
    position: tallies.lastPosition,
    petitions: [...tallies.counts]
      .map(([petitionId, e]) => ({
        petitionId,
        count: e.count,
        provinceCounts: e.provinceCounts,
        withdrawn: [...e.withdrawn].sort(),
        invalidated: [...e.invalidated].sort((x, y) => x[0].localeCompare(y[0])),
      }))
      .sort((x, y) => x.petitionId.localeCompare(y.petitionId)),
  };
}

async function expectSameCounts(restarted: SignatureTallyService, full: SignatureTallyService, petitionIds: string[]): Promise<void> {
  for (const id of petitionIds) expect(await restarted.tallyOf(id)).toStrictEqual(await full.tallyOf(id));
  expect(fullState(restarted)).toStrictEqual(fullState(full));
}

/** Every event the service reads from the store from now on (to prove a restart reads only what follows its snapshot). */
function countReads(events: EventStore): { events: number } {
  const seen = { events: 0 };
  const readAll = events.readAll.bind(events);
  events.readAll = async (options) => {
    const batch = await readAll(options);
    seen.events += batch.length;
    return batch;
  };
  return seen;
}

async function signatureEventsAfter(events: EventStore, position: bigint): Promise<RecordedEvent[]> {
  const all = await events.readAll({ after: position });
  return all.filter((e) => SIGNATURE_TYPES.includes(e.type.split('.')[0]));
}

/** A clerk's fraud check on the petition's invalidation stream, as the command side appends it. */
async function appendCheck(events: EventStore, event: InvalidationEvent): Promise<void> {
  await events.appendToStream(
    `invalidations-${event.data.petitionId}`,
    [
      {
        id: newId(),
        type: storedType(event.type),
        data: event.data,
        metadata: {
          actor: { id: 'clerk-1', role: 'clerk', councilId: TAN_TAN },
          correlationId: newId(),
          causationId: newId(),
          command: event.type === 'SignaturesInvalidated' ? 'InvalidateSignatures' : 'ReinstateSignatures',
          occurredAt: '2027-01-12T10:00:00.000Z',
        },
      },
    ],
    { expectedRevision: 'any' },
  );
}

const signedOf = async (events: EventStore, petitionId: string) =>
  (await events.readAll()).filter((e) => e.type.startsWith('PetitionSigned.') && e.data.petitionId === petitionId);
const listed = (e: RecordedEvent) => ({
  signatureId: e.data.signatureId as string,
  signerHash: e.data.signerHash as string,
  ...(e.data.provinceId ? { provinceId: e.data.provinceId as string } : {}),
});
const invalidation = (petitionId: string, invalidationId: string, list: RecordedEvent[]): InvalidationEvent => ({
  type: 'SignaturesInvalidated',
  data: {
    petitionId,
    invalidationId,
    reasonCode: 'automated_or_forged',
    criteria: { signatureIds: list.map((e) => e.data.signatureId as string) },
    signatures: list.map(listed),
    count: list.length,
    petitionStatus: 'collecting',
    invalidatedAt: '2027-01-12T10:00:00.000Z',
  },
});
const reinstatement = (petitionId: string, invalidationId: string, list: RecordedEvent[]): InvalidationEvent => ({
  type: 'SignaturesReinstated',
  data: {
    petitionId,
    invalidationId,
    reasonCode: 'verified_valid',
    signatures: list.map(listed),
    count: list.length,
    reinstatedAt: '2027-01-12T11:00:00.000Z',
  },
});

describe('a restart from a tally snapshot', () => {
  it('counts every petition and province as a full recount does, reading only the events after the snapshot', async () => {
    const events = openEvents();
    const snapshots = openSnapshots();
    const sc = new Scenario(events);

    // Before the snapshot: two communal petitions and a regional one, withdrawals, an invalidation, a reinstatement.
    const market = await sc.file(TAN_TAN, 'Marché couvert');
    const park = await sc.file(TAN_TAN, 'Parc de jeux');
    const road = await sc.file(REGION, 'Route régionale');
    const marketSigners = await sc.sign(market, 14);
    await sc.sign(park, 5);
    const roadSigners: string[] = [];
    for (const p of PROVINCES) roadSigners.push(...(await sc.sign(road, 4, p)));
    await sc.withdrawSignature(market, marketSigners[0]);
    await sc.withdrawSignature(road, roadSigners[5]);
    const marketSigned = await signedOf(events, market);
    const roadSigned = await signedOf(events, road);
    // Listing a withdrawn signature (0) changes nothing for it; 1..4 stop counting.
    await appendCheck(events, invalidation(market, 'inv-m1', marketSigned.slice(0, 5)));
    await appendCheck(events, invalidation(road, 'inv-r1', roadSigned.slice(0, 8)));
    await appendCheck(events, reinstatement(road, 'inv-r1', roadSigned.slice(0, 2)));

    const first = await startTally(events, snapshots);
    expect(first.startedFrom()).toEqual({ from: 'start', reason: 'no snapshot' });
    expect(await first.saveSnapshot()).toBe(true);
    const snapshotAt = (await snapshots.load(TALLY_SNAPSHOT_NAME))!.position;
    expect(snapshotAt).toBe((await signatureEventsAfter(events, 0n)).at(-1)!.position);
    expect((await first.tallyOf(road)).provinceCounts).toEqual({
      'province-guelmim': 2, // 4 signed and invalidated, 2 reinstated
      'province-assa-zag': 0, // 4 signed, 1 withdrawn, the other 3 invalidated
      'province-tan-tan': 4,
      'province-sidi-ifni': 4,
    });

    // After the snapshot: more signatures, a withdrawal of an invalidated signature, a reinstatement of a
    // signature invalidated before the snapshot, a new invalidation, a new petition.
    await sc.sign(market, 3);
    await sc.withdrawSignature(market, marketSigners[2]); // invalidated: no count changes
    await appendCheck(events, reinstatement(market, 'inv-m1', marketSigned.slice(0, 4))); // 0 withdrawn, 2 withdrawn: only 1 and 3 count again
    await sc.withdrawSignature(road, roadSigners[9]);
    await appendCheck(events, invalidation(road, 'inv-r3', [roadSigned[5]])); // withdrawn before the snapshot: no count changes
    await appendCheck(events, invalidation(road, 'inv-r2', roadSigned.slice(12, 14)));
    const late = await sc.file(REGION, 'Transport scolaire');
    await sc.sign(late, 2, PROVINCES[3]);
    await first.tallyOf(late); // the process served a request: its tally is caught up
    await first.onApplicationShutdown(); // a shutdown saves the newest tally…
    await appendCheck(events, invalidation(late, 'inv-l1', (await signedOf(events, late)).slice(0, 1))); // …and history goes on

    // The restart, from the snapshot the shutdown saved.
    const savedAtShutdown = (await snapshots.load(TALLY_SNAPSHOT_NAME))!.position;
    expect(savedAtShutdown).toBeGreaterThan(snapshotAt);
    const reads = countReads(events);
    const restarted = await startTally(events, openSnapshots());
    expect(restarted.startedFrom()).toEqual({ from: 'snapshot', position: savedAtShutdown });
    const read = reads.events;
    expect(read).toBe((await signatureEventsAfter(events, savedAtShutdown)).length);
    expect(read).toBe(1);

    const full = await recount(events);
    await expectSameCounts(restarted, full, [market, park, road, late]);
    expect((await restarted.tallyOf(market)).count).toBe(14 + 3 - 1 - 4 + 2);
    expect((await restarted.tallyOf(late)).provinceCounts).toEqual({ 'province-sidi-ifni': 1 });

    // And from the first snapshot (another process that saved earlier): the same.
    const older = openSnapshots(':memory:');
    await older.save(TALLY_SNAPSHOT_NAME, { position: snapshotAt, payload: (await snapshotPayloadAt(events, snapshotAt))! });
    const fromOlder = await startTally(events, older);
    expect(fromOlder.startedFrom()).toEqual({ from: 'snapshot', position: snapshotAt });
    await expectSameCounts(fromOlder, full, [market, park, road, late]);
  });

  it('saves on its own after enough newly counted events, off the request path', async () => {
    const events = openEvents();
    const snapshots = openSnapshots();
    const petitionId = newId();
    await appendSigned(events, petitionId, 10_050);
    const service = await startTally(events, snapshots);
    const deadline = Date.now() + 10_000;
    while (!(await snapshots.load(TALLY_SNAPSHOT_NAME)) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    expect((await snapshots.load(TALLY_SNAPSHOT_NAME))?.position).toBe(await events.headPosition());
    expect((await service.tallyOf(petitionId)).count).toBe(10_050);
  });
});

describe('a snapshot that cannot be trusted is dropped, and the process counts from the start', () => {
  async function historyWithSnapshot() {
    const events = openEvents();
    const snapshots = openSnapshots();
    const sc = new Scenario(events);
    const road = await sc.file(REGION, 'Route régionale');
    for (const p of PROVINCES.slice(0, 2)) await sc.sign(road, 3, p);
    const first = await startTally(events, snapshots);
    await first.saveSnapshot();
    const stored = (await snapshots.load(TALLY_SNAPSHOT_NAME))!;
    await sc.sign(road, 2, PROVINCES[2]);
    return { events, snapshots, sc, road, stored };
  }

  async function expectRecountAndReplaced(events: EventStore, snapshots: TallySnapshotStore, road: string, reason: RegExp) {
    const restarted = await startTally(events, snapshots);
    expect(restarted.startedFrom()).toEqual({ from: 'start', reason: expect.stringMatching(reason) });
    await expectSameCounts(restarted, await recount(events), [road]);
    // The bad snapshot is gone: the next save (at whatever position) is stored.
    expect(await restarted.saveSnapshot()).toBe(true);
    expect((await snapshots.load(TALLY_SNAPSHOT_NAME))?.position).toBe(await events.headPosition());
  }

  const corruptions: [string, (payload: string) => string, RegExp][] = [
    ['not JSON', (p) => p.slice(0, p.length / 2), /not JSON/],
    ['an unknown version', (p) => p.replace('"version":1', '"version":2'), /unknown version 2/],
    ['a count that is not a number', (p) => p.replace(/"count":\d+/, '"count":"6"'), /count of/],
    ['an invalidated list of the wrong shape', (p) => p.replace('"invalidated":[]', '"invalidated":[["sig"]]'), /invalidated of/],
    [
      'a position that does not match the stored one',
      (p) => p.replace(/"position":"(\d+)"/, (_m, n: string) => `"position":"${BigInt(n) - 1n}"`),
      /position does not match/,
    ],
    ['an anchor on another event', (p) => p.replace(/"eventId":"[^"]+"/, `"eventId":"${newId()}"`), /another event/],
  ];
  it.each(corruptions)('%s', async (_name, corrupt, reason) => {
    const { events, snapshots, road, stored } = await historyWithSnapshot();
    const payload = corrupt(stored.payload);
    expect(payload).not.toBe(stored.payload);
    await snapshots.discard(TALLY_SNAPSHOT_NAME, stored.position);
    await snapshots.save(TALLY_SNAPSHOT_NAME, { position: stored.position, payload });
    await expectRecountAndReplaced(events, snapshots, road, reason);
  });

  it('a snapshot store that cannot be read: the process counts from the start and still serves', async () => {
    const { events, road } = await historyWithSnapshot();
    const failing: TallySnapshotStore = {
      load: () => Promise.reject(new Error('MongoDB not primary')),
      save: () => Promise.reject(new Error('MongoDB not primary')),
      discard: () => Promise.reject(new Error('MongoDB not primary')),
    };
    const restarted = await startTally(events, failing);
    expect(restarted.startedFrom()).toEqual({ from: 'start', reason: 'snapshot store unavailable' });
    await expectSameCounts(restarted, await recount(events), [road]);
    expect(await restarted.saveSnapshot()).toBe(false);
  });

  it('taken on a newer store: the log was replaced by an older copy, the snapshot file kept', async () => {
    const events = openEvents();
    const sc = new Scenario(events);
    const road = await sc.file(REGION, 'Route régionale');
    for (const p of PROVINCES) await sc.sign(road, 2, p);
    const backup = join(dir, 'backup.sqlite');
    await backupEventLog(dir, backup);
    for (const p of PROVINCES) await sc.sign(road, 3, p);
    const snapshots = openSnapshots();
    const first = await startTally(events, snapshots);
    await first.onApplicationShutdown();
    const snapshotAt = (await snapshots.load(TALLY_SNAPSHOT_NAME))!.position;
    expect((await first.tallyOf(road)).count).toBe(20);
    await events.close();

    // The log copied back by hand (not with `npm run restore`): the snapshot counts events it no longer holds.
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `events.sqlite${suffix}`), { force: true });
    copyFileSync(backup, join(dir, 'events.sqlite'));
    const restoredEvents = openEvents();
    expect(await restoredEvents.headPosition()).toBeLessThan(snapshotAt);
    await expectRecountAndReplaced(restoredEvents, snapshots, road, /lacks the event/);
    expect((await new SignatureTallyService(restoredEvents).tallyOf(road)).count).toBe(8);
  });

  it('taken on another store with as many events: the event at its position is not the one it was taken at', async () => {
    const { snapshots, road } = await historyWithSnapshot();
    const otherEvents = openEvents(join(dir, 'other-events.sqlite'));
    const other = new Scenario(otherEvents);
    const otherRoad = await other.file(REGION, 'Route régionale');
    for (const p of PROVINCES.slice(0, 2)) await other.sign(otherRoad, 3, p);
    expect(await otherEvents.headPosition()).toBeGreaterThanOrEqual((await snapshots.load(TALLY_SNAPSHOT_NAME))!.position);
    await expectRecountAndReplaced(otherEvents, snapshots, otherRoad, /another store/);
    expect(road).not.toBe(otherRoad);
  });

  it('`npm run restore` sets the snapshot aside with the read models: the next start counts the restored log', async () => {
    const events = openEvents();
    const sc = new Scenario(events);
    const park = await sc.file(TAN_TAN, 'Parc de jeux');
    await sc.sign(park, 4);
    const backup = join(dir, 'backup.sqlite');
    await backupEventLog(dir, backup);
    await sc.sign(park, 6);
    const snapshotsDb = openSqlite(join(dir, TALLY_SNAPSHOTS_FILE), 'NORMAL');
    const first = await startTally(events, new SqliteTallySnapshotStore(snapshotsDb));
    await first.onApplicationShutdown();
    await events.close();
    snapshotsDb.close();

    const result = restoreEventLog(dir, backup);
    expect(result.setAside).not.toBeNull();
    const restarted = await startTally(openEvents(), openSnapshots());
    expect(restarted.startedFrom()).toEqual({ from: 'start', reason: 'no snapshot' });
    expect((await restarted.tallyOf(park)).count).toBe(4);
  });
});

/** What a tally at exactly `position` saves (a recount stopped there): another process's older snapshot. */
async function snapshotPayloadAt(events: EventStore, position: bigint): Promise<string | undefined> {
  const upTo = {
    readAll: async (options?: Parameters<EventStore['readAll']>[0]) => (await events.readAll(options)).filter((e) => e.position <= position),
    readStream: (id: string, options?: Parameters<EventStore['readStream']>[1]) => events.readStream(id, options),
  } as unknown as EventStore;
  const probe = openSnapshots(':memory:');
  const service = new SignatureTallyService(upTo, probe);
  await service.catchUp();
  await service.saveSnapshot();
  return (await probe.load(TALLY_SNAPSHOT_NAME))?.payload;
}

/** `n` signatures of one petition, appended in batches straight to the log (fast history). */
async function appendSigned(events: EventStore, petitionId: string, n: number, provinceId?: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 500) {
    const batch = Array.from({ length: Math.min(500, n - i) }, () => {
      const signatureId = newId();
      ids.push(signatureId);
      return signedEvent(petitionId, signatureId, provinceId);
    });
    await events.appendToStream(signatureStreamId(petitionId, `bulk-${i}`), batch, { expectedRevision: 'any' });
  }
  return ids;
}

function signedEvent(petitionId: string, signatureId: string, provinceId?: string) {
  return {
    id: newId(),
    type: storedType('PetitionSigned'),
    data: {
      petitionId,
      signatureId,
      signerHash: `h-${signatureId}`,
      channel: 'online',
      basis: 'residence',
      electoralEligibility: provinceId ? 'not-required' : 'meets-registration-conditions',
      ...(provinceId ? { provinceId } : {}),
    },
    metadata: {
      actor: { id: 'c', role: 'citizen' },
      correlationId: newId(),
      causationId: newId(),
      command: 'SignPetition',
      occurredAt: '2027-01-11T10:00:00.000Z',
    },
  };
}

describe('property: over random histories, a restart from any snapshot equals a full recount', () => {
  type Op =
    | { kind: 'sign'; petition: number; province: number }
    | { kind: 'withdraw'; pick: number }
    | { kind: 'invalidate'; picks: number[] }
    | { kind: 'reinstate'; picks: number[] }
    | { kind: 'snapshot' }
    | { kind: 'restart' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('sign' as const), petition: fc.nat(2), province: fc.nat(4) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('invalidate' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('reinstate' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'snapshot' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'restart' as const }) },
  );

  it('holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 60 }), async (ops) => {
        const events = SqliteEventStore.open(':memory:', { pollIntervalMs: 10 });
        const snapDb = openSqlite(':memory:', 'NORMAL');
        const snapshots = new SqliteTallySnapshotStore(snapDb);
        try {
          // Petition 0 is regional (per-province counts), 1 and 2 communal.
          const petitions = [newId(), newId(), newId()];
          const signatures: { petitionId: string; signatureId: string; provinceId?: string; withdrawn: boolean }[] = [];
          const invalidations = new Map<string, number>();
          let proc = new SignatureTallyService(events, snapshots, 'api');
          for (const o of ops) {
            switch (o.kind) {
              case 'sign': {
                const petitionId = petitions[o.petition];
                const provinceId = o.petition === 0 ? PROVINCES[o.province % PROVINCES.length] : undefined;
                const [signatureId] = await appendSigned(events, petitionId, 1, provinceId);
                signatures.push({ petitionId, signatureId, provinceId, withdrawn: false });
                break;
              }
              case 'withdraw': {
                const standing = signatures.filter((s) => !s.withdrawn);
                if (!standing.length) break;
                const s = standing[o.pick % standing.length];
                s.withdrawn = true;
                await events.appendToStream(
                  signatureStreamId(s.petitionId, `w-${s.signatureId}`),
                  [
                    {
                      id: newId(),
                      type: storedType('SignatureWithdrawn'),
                      data: {
                        petitionId: s.petitionId,
                        signatureId: s.signatureId,
                        signerHash: `h-${s.signatureId}`,
                        ...(s.provinceId ? { provinceId: s.provinceId } : {}),
                        withdrawnAt: '2027-01-12T09:00:00.000Z',
                      },
                      metadata: {
                        actor: { id: 'c', role: 'citizen' },
                        correlationId: newId(),
                        causationId: newId(),
                        command: 'WithdrawSignature',
                        occurredAt: '2027-01-12T09:00:00.000Z',
                      },
                    },
                  ],
                  { expectedRevision: 'any' },
                );
                break;
              }
              case 'invalidate':
              case 'reinstate': {
                if (!signatures.length) break;
                const petitionId = signatures[o.picks[0] % signatures.length].petitionId;
                const own = signatures.filter((s) => s.petitionId === petitionId);
                const list = [...new Set(o.picks.map((p) => own[p % own.length]))].map((s) => ({
                  signatureId: s.signatureId,
                  signerHash: `h-${s.signatureId}`,
                  ...(s.provinceId ? { provinceId: s.provinceId } : {}),
                }));
                const invalidationId = `inv-${invalidations.size}`;
                invalidations.set(invalidationId, list.length);
                const data =
                  o.kind === 'invalidate'
                    ? ({
                        type: 'SignaturesInvalidated',
                        data: {
                          petitionId,
                          invalidationId,
                          reasonCode: 'automated_or_forged',
                          criteria: {},
                          signatures: list,
                          count: list.length,
                          petitionStatus: 'collecting',
                          invalidatedAt: '2027-01-12T10:00:00.000Z',
                        },
                      } as InvalidationEvent)
                    : ({
                        type: 'SignaturesReinstated',
                        data: {
                          petitionId,
                          invalidationId,
                          reasonCode: 'verified_valid',
                          signatures: list,
                          count: list.length,
                          reinstatedAt: '2027-01-12T10:00:00.000Z',
                        },
                      } as InvalidationEvent);
                await appendCheck(events, data);
                break;
              }
              case 'snapshot':
                await proc.catchUp();
                await proc.saveSnapshot();
                break;
              case 'restart':
                await proc.onApplicationShutdown();
                proc = new SignatureTallyService(events, snapshots, 'api');
                await proc.catchUp();
                break;
            }
          }
          const full = new SignatureTallyService(events);
          for (const id of petitions) expect(await proc.tallyOf(id)).toStrictEqual(await full.tallyOf(id));
          await proc.onApplicationShutdown();
          const again = new SignatureTallyService(events, snapshots, 'api');
          for (const id of petitions) expect(await again.tallyOf(id)).toStrictEqual(await full.tallyOf(id));
          expect(fullState(again)).toStrictEqual(fullState(full));
        } finally {
          await events.close();
          snapDb.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

/**
 * Crash tests: a projector dies between handling a batch and checkpointing it, a fresh one
 * resumes from the stored checkpoint, and the position guards keep every count exact.
 * Real SQLite stores; the only double is a thin wrapper that makes one commit fail.
 */
import { newId } from '../../src/application/clock';
import type { ReadDocument, ReadStore, WriteBatch } from '../../src/infrastructure/read-store/read-store.port';
import { PETITIONS, PetitionDoc } from '../../src/projections/petitions.projection';
import { SIGNATURES, SIGNATURE_DAYS, SignatureDayDoc, SignatureDoc } from '../../src/projections/signatures.projection';
import { COUNCIL_DASHBOARD, CouncilDashboardDoc } from '../../src/projections/council-dashboard.projection';
import { checkpointName, physicalName } from '../../src/projections/projection';
import { Projector, ProjectorOptions } from '../../src/projections/projector';
import { allDocs, applyEvents, DelegatingReadStore, openStores, readAllEvents, snapshot, Stores } from './support';

const TAN_TAN = 'commune-tan-tan';
const REGION = 'region-guelmim-oued-noun';
const BATCH = 7;

let s: Stores;

beforeEach(() => {
  s = openStores();
});

afterEach(async () => {
  await s.close();
});

interface Made {
  local: string;
  regional: string;
  /** Per petition: signatures given minus signatures withdrawn. */
  expected: Record<string, number>;
  signed: number;
  withdrawn: number;
}

/** A few hundred signatures and some withdrawals on two petitions, over two days. */
async function signALot(): Promise<Made> {
  const sc = s.scenario;
  const local = await sc.file(TAN_TAN, 'Éclairage public du quartier El Wahda');
  const regional = await sc.file(REGION, 'Route régionale Guelmim – Tan-Tan');
  const localSigners = await sc.sign(local, 180);
  const regionalSigners: string[] = [];
  for (const province of ['province-guelmim', 'province-assa-zag', 'province-tan-tan', 'province-sidi-ifni']) {
    regionalSigners.push(...(await sc.sign(regional, 20, province)));
  }
  sc.clock.advanceDays(1);
  for (const n of localSigners.slice(0, 17)) await sc.withdrawSignature(local, n);
  for (const n of regionalSigners.filter((_, i) => i % 9 === 0)) await sc.withdrawSignature(regional, n);
  await sc.sign(local, 60);
  await sc.sign(regional, 5, 'province-guelmim');
  const localWithdrawn = 17;
  const regionalWithdrawn = regionalSigners.filter((_, i) => i % 9 === 0).length;
  // Neither is submitted: a submission would overwrite the projected count with its own.
  return {
    local,
    regional,
    expected: { [local]: 240 - localWithdrawn, [regional]: 85 - regionalWithdrawn },
    signed: 240 + 85,
    withdrawn: localWithdrawn + regionalWithdrawn,
  };
}

function projector(read: ReadStore, options: Partial<ProjectorOptions> = {}): Projector {
  return new Projector(s.events, read, s.projections, { owner: `test-${newId()}`, batchSize: BATCH, ...options });
}

/** Runs a projector that must fail; resolves with its error once it has, and stops it. */
async function runUntilCrash(p: Projector, work: () => Promise<unknown>, failed: Promise<unknown>): Promise<unknown> {
  await p.start();
  await work();
  const error = await failed;
  // caughtUp() must not pretend a failed projector caught up.
  await expect(p.caughtUp()).rejects.toBe(error);
  await p.stop();
  return error;
}

function failure(): { promise: Promise<unknown>; onError: (e: unknown) => void } {
  let onError!: (e: unknown) => void;
  const promise = new Promise<unknown>((resolve) => (onError = resolve));
  return { promise, onError };
}

/**
 * Resumes with a fresh projector over the same stores, to the head. Its batches are another size,
 * so a replayed batch also holds events never applied (the guards must sort them out per document).
 */
async function resume(read: ReadStore = s.read, batchSize = 25): Promise<void> {
  const p = projector(read, { batchSize });
  await p.start();
  await p.caughtUp();
  await p.stop();
}

/** What a projection that never crashed holds: the same events into an empty read store. */
async function cleanSnapshot(): Promise<Record<string, ReadDocument[]>> {
  const clean = openStores();
  try {
    await applyEvents(clean.read, clean.projections, await readAllEvents(s.events), 50);
    return await snapshot(clean.read, clean.projections);
  } finally {
    await clean.close();
  }
}

async function expectExactCounts(made: Made): Promise<void> {
  const g1 = (c: string) => physicalName(c, 1);
  for (const [id, count] of Object.entries(made.expected)) {
    const doc = (await s.read.get<PetitionDoc>(g1(PETITIONS), id))!;
    expect(doc.signatureCount).toBe(count);
  }
  const local = (await s.read.get<PetitionDoc>(g1(PETITIONS), made.local))!;
  expect(local).toMatchObject({ status: 'collecting', subStatus: 'threshold_reached', progress: 111.5 });
  const regional = (await s.read.get<PetitionDoc>(g1(PETITIONS), made.regional))!;
  expect(Object.values(regional.provinceCounts).reduce((a, b) => a + b, 0)).toBe(made.expected[made.regional]);
  const sigs = await allDocs<SignatureDoc>(s.read, g1(SIGNATURES));
  expect(sigs).toHaveLength(made.signed);
  expect(sigs.filter((d) => d.status === 'withdrawn')).toHaveLength(made.withdrawn);
  const days = await allDocs<SignatureDayDoc>(s.read, g1(SIGNATURE_DAYS));
  expect(days.reduce((n, d) => n + d.signed, 0)).toBe(made.signed);
  expect(days.reduce((n, d) => n + d.withdrawn, 0)).toBe(made.withdrawn);
  const dash = (await s.read.get<CouncilDashboardDoc>(g1(COUNCIL_DASHBOARD), TAN_TAN))!;
  expect(dash).toMatchObject({ total: 1, byStatus: { collecting: 1 } });
  expect(await snapshot(s.read, s.projections)).toEqual(await cleanSnapshot());
}

describe('a crash between handling a batch and checkpointing it (beforeCommit throws)', () => {
  it.each([
    ['petitions', 3],
    ['signatures', 20],
    ['council_dashboard', 33],
    ['petition_history', 45],
  ])('at the %s batch #%i: a fresh projector resumes from the checkpoint and counts every signature once', async (crashAt, nth) => {
    const crash = new Error('simulated crash before commit');
    const failed = failure();
    let calls = 0;
    let crashedAfter: bigint | null = null;
    const crashing = projector(s.read, {
      onError: failed.onError,
      beforeCommit: (name, lastPosition) => {
        if (name !== crashAt || ++calls !== nth) return;
        crashedAfter = lastPosition;
        throw crash;
      },
    });
    let made!: Made;
    expect(await runUntilCrash(crashing, async () => (made = await signALot()), failed.promise)).toBe(crash);

    // The failed batch was not committed: the checkpoint is behind it, and behind the head.
    expect(crashedAfter).not.toBeNull();
    const checkpoint = (await s.read.getCheckpoint(checkpointName(crashAt, 1))) ?? 0n;
    expect(checkpoint).toBeLessThan(crashedAfter!);
    expect(checkpoint).toBeLessThan(await s.events.headPosition());

    await resume();
    for (const p of s.projections) expect(await s.read.getCheckpoint(checkpointName(p.name, 1))).toBe(await s.events.headPosition());
    await expectExactCounts(made);
  });
});

/**
 * A test double of the failure only: it delegates to the real store, except that the `failAt`-th
 * commit (counting those `counted` selects) first commits the documents WITHOUT the checkpoint,
 * then throws.
 */
class CheckpointLosingStore extends DelegatingReadStore {
  commits = 0;
  lost: WriteBatch | null = null;

  constructor(
    inner: ReadStore,
    private readonly failAt: number,
    private readonly counted: (batch: WriteBatch) => boolean = () => true,
  ) {
    super(inner);
  }

  override async commit(batch: WriteBatch): Promise<void> {
    if (!this.counted(batch) || ++this.commits !== this.failAt) return this.inner.commit(batch);
    const { checkpoint, ...withoutCheckpoint } = batch;
    await this.inner.commit(withoutCheckpoint);
    this.lost = batch;
    throw new Error(`simulated crash after committing documents, before checkpoint ${checkpoint?.name}@${checkpoint?.position}`);
  }
}

describe('a crash after the documents were committed but not the checkpoint', () => {
  it('restart replays those events; the position guards keep every count exact', async () => {
    // The 10th commit of the petitions projection that writes documents (signatures being counted).
    const store = new CheckpointLosingStore(s.read, 10, (b) => b.checkpoint?.name === checkpointName('petitions', 1) && b.puts.length > 0);
    const failed = failure();
    let made!: Made;
    await runUntilCrash(projector(store, { onError: failed.onError }), async () => (made = await signALot()), failed.promise);

    // The documents of the lost batch are stored, its checkpoint is not.
    const lost = store.lost!;
    expect(lost.puts.map((p) => p.collection)).toContain(physicalName(PETITIONS, 1));
    expect(await s.read.getCheckpoint(lost.checkpoint!.name)).toBeLessThan(lost.checkpoint!.position);
    for (const put of lost.puts) expect((await s.read.get(put.collection, put.doc._id))?._position).toBe(put.doc._position);

    await resume();
    await expectExactCounts(made);
  });

  it('crashing again and again at later commits, each restart resumes exactly', async () => {
    const made = await signALot();
    const head = await s.events.headPosition();
    // Every restart loses one more commit's checkpoint, at a different point of the replay.
    let crashes = 0;
    for (const [failAt, batchSize] of [
      [2, 7],
      [9, 11],
      [5, 3],
      [17, 19],
      [4, 8],
      [11, 13],
    ]) {
      const store = new CheckpointLosingStore(s.read, failAt);
      const failed = failure();
      const p = projector(store, { onError: failed.onError, batchSize });
      await p.start();
      const outcome = await Promise.race([
        failed.promise,
        p.caughtUp().then(
          () => 'caught up',
          (e: unknown) => e,
        ),
      ]);
      await p.stop();
      if (outcome === 'caught up') break;
      expect(store.lost).not.toBeNull();
      crashes += 1;
    }
    expect(crashes).toBe(6);
    await resume();
    for (const p of s.projections) expect(await s.read.getCheckpoint(checkpointName(p.name, 1))).toBe(head);
    await expectExactCounts(made);
  });
});

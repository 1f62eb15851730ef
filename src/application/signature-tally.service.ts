/**
 * Signature counts for the command side. One in-memory tally per process, caught up by reading
 * only the signature events appended since its last position (type-filtered $all read), so
 * counting never replays a petition's history and sees other processes' appends too.
 *
 * Start-up does not grow with history: the tally is saved as a snapshot (every SNAPSHOT_EVERY
 * newly counted events or SNAPSHOT_INTERVAL_MS, off the request path, and at shutdown), and a
 * process starts from the newest one and reads only the events after it. A snapshot is trusted
 * only if it parses as a known version and the store still holds, at its position, the very event
 * it was taken at (its anchor): a store restored from an older backup, or another store, does not;
 * such a snapshot is dropped with a warning and the process counts from the start.
 *
 * Why "every event at or below the position is counted" holds, so a snapshot can resume from it:
 * readAll returns committed events in position order, and positions are assigned in commit order.
 * In the embedded SQLite log every append is part of a write transaction (BEGIN IMMEDIATE; with
 * group commit several appends share one), and SQLite serialises writers across connections,
 * threads and processes: the positions (rowids) a transaction assigns are above those of every
 * transaction committed before it, and a reader sees only committed ones, so once a reader has
 * seen position p no commit can later add an event below p. EventStoreDB's $all positions are
 * commit positions: the same holds.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { storedTypesOf, toDomainEvent } from '../domain/event-types';
import type { SignatureTally } from '../domain/petition/petition.commands';
import { SignatureTallies, SnapshotAnchor, TallySnapshotError } from '../domain/signature/signature-tally';
import type { SignatureEvent } from '../domain/signature/signature.events';
import type { InvalidationEvent } from '../domain/signature/invalidation.events';
import { RunAfterCall } from './run-after-call';
import { EVENT_STORE, EventStore, StreamNotFoundError } from '../infrastructure/event-store/event-store.port';
import { StoredTallySnapshot, TALLY_SNAPSHOT_STORE, TallySnapshotStore } from '../infrastructure/tally-snapshot/tally-snapshot-store.port';
import { PROCESS_ROLE, type ProcessRole } from '../app.tokens';

const SIGNATURE_TYPES = storedTypesOf('PetitionSigned', 'SignatureWithdrawn', 'SignaturesInvalidated', 'SignaturesReinstated');
const BATCH = 10_000;
/** The snapshot's name in the store (one tally per deployment). */
export const TALLY_SNAPSHOT_NAME = 'signature-tallies';
/** A snapshot after this many newly counted events… */
const SNAPSHOT_EVERY = 10_000;
/** …or this long after the last one, if anything was counted since. */
const SNAPSHOT_INTERVAL_MS = 60_000;

/** How the process started its tally: from a snapshot (which position), or counting from the start (why). */
export type TallyStart = { from: 'snapshot'; position: bigint } | { from: 'start'; reason: string };

@Injectable()
export class SignatureTallyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SignatureTally');
  private tallies = new SignatureTallies();
  /** The event at the tally's position (null while nothing is counted). */
  private anchor: SnapshotAnchor | null = null;
  /** The read under way, and the one queued to start after it. */
  private readonly reads = new RunAfterCall(() => this.readNew());
  private loaded: Promise<void> | null = null;
  private started: TallyStart = { from: 'start', reason: 'not started' };
  /** Events counted since the last snapshot, and the position it was saved at. */
  private sinceSnapshot = 0;
  private savedPosition = 0n;
  private saving: Promise<boolean> | null = null;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(TALLY_SNAPSHOT_STORE) private readonly snapshots?: TallySnapshotStore,
    @Optional() @Inject(PROCESS_ROLE) private readonly role?: ProcessRole,
  ) {}

  /** Serving processes count before they are ready (from the snapshot: a short read), and save on a timer. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.role === 'projector' || !this.snapshots) return;
    const started = Date.now();
    await this.catchUp();
    const from = this.started.from === 'snapshot' ? `its snapshot at position ${this.started.position}` : `the start (${this.started.reason})`;
    this.logger.log(`Signature tally counted up to position ${this.tallies.lastPosition} from ${from} in ${Date.now() - started} ms`);
    this.timer = setInterval(() => {
      if (this.sinceSnapshot > 0) void this.saveSnapshot();
    }, SNAPSHOT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.reads.settled();
    await this.saveSnapshot();
  }

  /** The petition's count, including every signature appended before this call. */
  async tallyOf(petitionId: string): Promise<SignatureTally> {
    await this.catchUp();
    return this.tallies.tallyOf(petitionId);
  }

  /** Where this process's tally started from (after the first catch-up). */
  startedFrom(): TallyStart {
    return this.started;
  }

  /**
   * Resolves after a read that started after this call. Concurrent callers share reads: one runs,
   * and everyone who arrives meanwhile shares the single read queued behind it, so a caller waits
   * at most two reads however long a burst of signatures lasts.
   */
  catchUp(): Promise<void> {
    return this.reads.request();
  }

  /**
   * Saves the tally as it stands (a synchronous copy: consistent with its position), unless a
   * snapshot at the same or a later position is stored. Saves run one at a time: a call waits for
   * the one under way, then saves what is newer. Resolves to whether it saved.
   */
  async saveSnapshot(): Promise<boolean> {
    while (this.saving) await this.saving.catch(() => undefined);
    const position = this.tallies.lastPosition;
    if (!this.snapshots || !this.anchor || position <= this.savedPosition) return false;
    const payload = JSON.stringify(this.tallies.toSnapshot(this.anchor));
    const counted = this.sinceSnapshot;
    this.sinceSnapshot = 0;
    const saving = this.snapshots.save(TALLY_SNAPSHOT_NAME, { position, payload });
    this.saving = saving;
    try {
      const saved = await saving;
      this.savedPosition = position;
      return saved;
    } catch (e) {
      this.sinceSnapshot += counted;
      this.logger.warn(`The signature tally snapshot was not saved: ${(e as Error).message}`);
      return false;
    } finally {
      this.saving = null;
    }
  }

  private async readNew(): Promise<void> {
    await (this.loaded ??= this.loadSnapshot().catch((e: unknown) => {
      this.loaded = null;
      throw e;
    }));
    for (;;) {
      const batch = await this.store.readAll({ after: this.tallies.lastPosition, maxCount: BATCH, filter: { eventTypes: SIGNATURE_TYPES } });
      for (const recorded of batch) {
        if (recorded.position <= this.tallies.lastPosition) continue;
        const event = toDomainEvent(recorded.type, recorded.data) as SignatureEvent | InvalidationEvent | null;
        if (event) this.tallies.apply(event, recorded.position);
        else this.tallies.advanceTo(recorded.position);
        this.anchor = { eventId: recorded.id, streamId: recorded.streamId, revision: recorded.revision.toString() };
        this.sinceSnapshot += 1;
      }
      if (batch.length < BATCH) break;
    }
    if (this.sinceSnapshot >= SNAPSHOT_EVERY) setImmediate(() => void this.saveSnapshot());
  }

  /** Starts the tally from the stored snapshot, if it is trustworthy; else from the start (empty). */
  private async loadSnapshot(): Promise<void> {
    if (!this.snapshots) return;
    let stored: StoredTallySnapshot | undefined;
    try {
      stored = await this.snapshots.load(TALLY_SNAPSHOT_NAME);
    } catch (e) {
      // Only slower without it: count from the start rather than refuse to serve.
      this.logger.warn(`The signature tally snapshot could not be read (${(e as Error).message}): counting every signature event again`);
      this.started = { from: 'start', reason: 'snapshot store unavailable' };
      return;
    }
    if (!stored) {
      this.started = { from: 'start', reason: 'no snapshot' };
      return;
    }
    const distrust = async (why: string) => {
      this.logger.warn(`Signature tally snapshot at position ${stored.position} ignored (${why}): counting every signature event again`);
      this.started = { from: 'start', reason: why };
      // Dropped, so that saves at lower positions (a restored store) are not refused behind it.
      await this.snapshots!.discard(TALLY_SNAPSHOT_NAME, stored.position).catch((e: Error) =>
        this.logger.warn(`The untrusted snapshot could not be dropped: ${e.message}`),
      );
    };
    let restored: ReturnType<typeof SignatureTallies.fromSnapshot>;
    try {
      restored = SignatureTallies.fromSnapshot(JSON.parse(stored.payload) as unknown);
    } catch (e) {
      return distrust(e instanceof TallySnapshotError ? e.message : 'not JSON');
    }
    if (restored.tallies.lastPosition !== stored.position) return distrust('its position does not match its content');
    const anchored = await this.anchorHolds(restored.anchor, stored.position);
    if (anchored !== true) return distrust(anchored);
    this.tallies = restored.tallies;
    this.anchor = restored.anchor;
    this.savedPosition = stored.position;
    this.started = { from: 'snapshot', position: stored.position };
  }

  /** True if the store holds the anchor event at the position, else why not. */
  private async anchorHolds(anchor: SnapshotAnchor, position: bigint): Promise<true | string> {
    try {
      const [event] = await this.store.readStream(anchor.streamId, { fromRevision: BigInt(anchor.revision), maxCount: 1 });
      if (!event || event.revision !== BigInt(anchor.revision)) return 'the event store lacks the event it was taken at (an older or another store)';
      if (event.id !== anchor.eventId || event.position !== position) return 'the event store holds another event where it was taken (another store)';
      return true;
    } catch (e) {
      if (e instanceof StreamNotFoundError) return 'the event store lacks the event it was taken at (an older or another store)';
      throw e;
    }
  }
}

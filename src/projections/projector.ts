/**
 * The projector: one catch-up subscription to $all, from the lowest checkpoint of the
 * projections it runs, then live. Events are applied in batches; each projection's documents
 * and its checkpoint are committed together, so a crash between handling and checkpointing
 * replays events that the position guards then ignore.
 *
 * Only the holder of the `projector` lease writes, and every commit carries its fencing token:
 * a second instance waits, and an instance that lost its lease cannot overwrite its successor.
 */
import { toDomainEvent } from '../domain/event-types';
import type { EventStore, RecordedEvent, Subscription, UndecodableEvent } from '../infrastructure/event-store/event-store.port';
import { FencedError, ReadDocument, ReadStore } from '../infrastructure/read-store/read-store.port';
import { checkpointName, DocKey, liveGenerationOf, physicalName, ProjectedEvent, Projection, UnitOfWork } from './projection';
import { BatchUnitOfWork } from './unit-of-work';

/** Settings key prefix of parked events (then the event's position). */
export const PARKED_EVENT_PREFIX = 'parked-event:';

export interface ProjectorOptions {
  /** Who runs this projector (host:pid), for the lease. */
  owner: string;
  /** Events per commit. */
  batchSize?: number;
  /** How long live events are gathered before a commit (read-your-writes waits at most this longer). */
  flushDelayMs?: number;
  leaseName?: string;
  leaseTtlMs?: number;
  /** How often a generation switch made by a rebuild in another process is looked for. */
  generationCheckMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
  /** The event store connection dropped; the subscription resubscribes after `delayMs` (for the log). */
  onReconnect?: (error: unknown, delayMs: number) => void;
  /** An event that cannot be decoded was parked (recorded in the read store's settings) and skipped (for the log). */
  onParked?: (event: UndecodableEvent) => void;
  /** Test hook: runs after a batch is applied in memory and before its commit. */
  beforeCommit?: (projection: string, lastPosition: bigint) => void | Promise<void>;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  generation: number;
  position: string;
  headPosition: string;
  /** Positions behind the head (events, on the embedded store). */
  lag: string;
}

interface Running {
  projection: Projection;
  generation: number;
  checkpoint: bigint;
}

export function toProjected(recorded: RecordedEvent): ProjectedEvent | null {
  const event = toDomainEvent(recorded.type, recorded.data);
  if (!event) return null;
  // One literal of a fixed shape (not a spread): built for every event of a rebuild.
  return {
    type: event.type,
    data: event.data,
    id: recorded.id,
    streamId: recorded.streamId,
    position: recorded.position,
    metadata: recorded.metadata,
  } as ProjectedEvent;
}

/** Applies a batch to one projection in one commit. Shared by the live projector and rebuilds. */
export async function applyBatch(
  readStore: ReadStore,
  projection: Projection,
  generation: number,
  events: ProjectedEvent[],
  lastPosition: bigint,
  fence?: { lease: string; token: number },
  beforeCommit?: ProjectorOptions['beforeCommit'],
): Promise<void> {
  const uow = new BatchUnitOfWork((logical) => physicalName(logical, generation));
  await prefetchAndApply(readStore, projection, uow, events);
  await beforeCommit?.(projection.name, lastPosition);
  await readStore.commit(uow.toBatch({ name: checkpointName(projection.name, generation), position: lastPosition }, fence));
}

export async function ensureGeneration(readStore: ReadStore, projection: Projection, generation: number): Promise<void> {
  for (const spec of projection.collections) await readStore.ensureCollection({ ...spec, name: physicalName(spec.name, generation) });
}

export class Projector {
  private readonly running = new Map<string, Running>();
  private subscription?: Subscription;
  private pending: RecordedEvent[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private lease: { lease: string; token: number } | null = null;
  private leaseTimer?: NodeJS.Timeout;
  private generationTimer?: NodeJS.Timeout;
  private stopped = false;
  private checkingGenerations = false;
  private failure: unknown = null;
  private readonly batchSize: number;
  private readonly flushDelayMs: number;
  private readonly now: () => number;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: Projection[],
    private readonly options: ProjectorOptions,
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.flushDelayMs = options.flushDelayMs ?? 10;
    this.now = options.now ?? Date.now;
  }

  /** Waits for the lease (retrying while another instance holds it), then subscribes. */
  async start(): Promise<void> {
    const leaseName = this.options.leaseName ?? 'projector';
    const ttl = this.options.leaseTtlMs ?? 30_000;
    for (;;) {
      if (this.stopped) return;
      const lease = await this.readStore.acquireLease(leaseName, this.options.owner, ttl, this.now());
      if (lease) {
        this.lease = { lease: leaseName, token: lease.token };
        break;
      }
      if (this.stopped) return;
      await new Promise((r) => setTimeout(r, Math.min(ttl / 3, 2000)));
    }
    // Stopped while acquiring: give the lease back rather than project.
    if (this.stopped) {
      await this.readStore.releaseLease(leaseName, this.options.owner).catch(() => undefined);
      return;
    }
    this.leaseTimer = setInterval(() => void this.renewLease(leaseName, ttl), Math.max(ttl / 3, 50));
    this.leaseTimer.unref();
    for (const projection of this.projections) await this.load(projection);
    this.subscribe();
    this.generationTimer = setInterval(() => void this.checkGenerations().catch((e) => this.fail(e)), this.options.generationCheckMs ?? 1000);
    this.generationTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.leaseTimer);
    clearInterval(this.generationTimer);
    await this.subscription?.stop().catch(() => undefined);
    await this.flushing.catch(() => undefined);
    if (this.lease) await this.readStore.releaseLease(this.lease.lease, this.options.owner).catch(() => undefined);
  }

  /** Resolves once every projection has applied everything up to the head seen at the call. */
  async caughtUp(): Promise<void> {
    const head = await this.eventStore.headPosition();
    // fail() also sets `stopped`: look for a failure after the loop too, or a projector that died
    // would resolve as if it had caught up.
    while (!this.stopped && !this.failure && this.minCheckpoint() < head) await new Promise((r) => setTimeout(r, 5));
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the error it caught, whatever its type
    if (this.failure) throw this.failure;
  }

  /** Whether this projector holds the lease (the active one), rather than waiting for it. */
  get holdsLease(): boolean {
    return this.lease !== null;
  }

  /** Whether this projector stopped on an error (it does not restart itself). */
  get failed(): boolean {
    return this.failure !== null;
  }

  checkpoint(name: string): bigint | null {
    return this.running.get(name)?.checkpoint ?? null;
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.eventStore.headPosition();
    return [...this.running.values()].map((r) => ({
      name: r.projection.name,
      version: r.projection.version,
      generation: r.generation,
      position: r.checkpoint.toString(),
      headPosition: head.toString(),
      lag: (head > r.checkpoint ? head - r.checkpoint : 0n).toString(),
    }));
  }

  private async load(projection: Projection): Promise<void> {
    const generation = await liveGenerationOf(this.readStore, projection.name);
    await ensureGeneration(this.readStore, projection, generation);
    const checkpoint = (await this.readStore.getCheckpoint(checkpointName(projection.name, generation))) ?? 0n;
    this.running.set(projection.name, { projection, generation, checkpoint });
  }

  private minCheckpoint(): bigint {
    let min: bigint | null = null;
    for (const r of this.running.values()) if (min === null || r.checkpoint < min) min = r.checkpoint;
    return min ?? 0n;
  }

  private subscribe(): void {
    const after = this.minCheckpoint();
    this.subscription = this.eventStore.subscribeToAll((e) => this.onEvent(e), {
      after,
      // A subscription that stops (a handler failed, access denied) stops the projector, loudly.
      onError: (e) => this.fail(e),
      onReconnect: (e, delayMs) => this.options.onReconnect?.(e, delayMs),
      onUndecodable: (e) => this.park(e),
    });
  }

  /**
   * Records an event no projection can read (`parked-event:<position>` in the read store's
   * settings: where, what type, why) so that the subscription can go past it; an operator finds
   * them with the log line and the setting. No projection would have used it: it is not ours.
   */
  private async park(event: UndecodableEvent): Promise<void> {
    const record = {
      id: event.id,
      streamId: event.streamId,
      revision: event.revision.toString(),
      type: event.type,
      reason: event.reason,
      parkedAt: new Date(this.now()).toISOString(),
    };
    await this.readStore.setSetting(`${PARKED_EVENT_PREFIX}${event.position.toString()}`, JSON.stringify(record));
    this.options.onParked?.(event);
  }

  private async onEvent(event: RecordedEvent): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the error it caught, whatever its type
    if (this.failure) throw this.failure;
    this.pending.push(event);
    if (this.pending.length >= this.batchSize) return this.flush();
    if (!this.scheduled) {
      // Live events are gathered for a few milliseconds: under load one commit then carries many
      // events, and a petition's document is written once for all its new signatures.
      this.scheduled = true;
      const timer = setTimeout(() => {
        this.scheduled = false;
        void this.flush().catch(() => undefined);
      }, this.flushDelayMs);
      timer.unref();
    }
  }

  private flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushPending()).catch((e) => this.fail(e));
    return this.flushing;
  }

  private async flushPending(): Promise<void> {
    const batch = this.pending.splice(0);
    if (batch.length === 0 || this.stopped || !this.lease) return;
    const last = batch[batch.length - 1].position;
    const projected = batch.map((e) => ({ recorded: e, event: toProjected(e) }));
    for (const r of this.running.values()) {
      if (r.checkpoint >= last) continue;
      const events = projected.filter((p) => p.event && p.recorded.position > r.checkpoint).map((p) => p.event!);
      try {
        await applyBatch(this.readStore, r.projection, r.generation, events, last, this.lease, this.options.beforeCommit);
      } catch (e) {
        // A rebuild switched this projection to a new generation and may already have dropped the
        // one written here (SQLite then refuses the write): the batch is moot there, so skip it and
        // leave the checkpoint; checkGenerations moves to the new generation and replays from its own.
        if ((await liveGenerationOf(this.readStore, r.projection.name)) !== r.generation) continue;
        throw e;
      }
      r.checkpoint = last;
    }
  }

  /** A rebuild in another process switched a projection to a new generation: follow it. */
  private async checkGenerations(): Promise<void> {
    // One check at a time: the timer fires again while a slow check (or a long batch) is under way.
    if (this.checkingGenerations || this.stopped) return;
    this.checkingGenerations = true;
    try {
      const switched: Projection[] = [];
      for (const r of this.running.values()) {
        if ((await liveGenerationOf(this.readStore, r.projection.name)) !== r.generation) switched.push(r.projection);
      }
      if (switched.length === 0 || this.stopped) return;
      // Stop reading and let the batch under way finish BEFORE loading the new generation: a batch
      // flushed after the load would apply only its own events to a generation whose checkpoint may
      // be behind them, skipping those in between for good. Then resubscribe from the checkpoints
      // (the new generation may be behind what this projector already read).
      await this.subscription?.stop();
      this.pending = [];
      await this.flushing;
      for (const projection of switched) await this.load(projection);
      if (!this.stopped) this.subscribe();
    } finally {
      this.checkingGenerations = false;
    }
  }

  private async renewLease(name: string, ttl: number): Promise<void> {
    try {
      const lease = await this.readStore.acquireLease(name, this.options.owner, ttl, this.now());
      if (!lease || lease.token !== this.lease?.token) this.fail(new FencedError('The projector lost its lease to another instance'));
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error;
    this.stopped = true;
    clearInterval(this.leaseTimer);
    clearInterval(this.generationTimer);
    void this.subscription?.stop().catch(() => undefined);
    this.options.onError?.(error);
  }
}

/** What a batch of events needs loaded (their keys, then the keys that depend on those), then the events applied. */
export async function prefetchAndApply(
  readStore: ReadStore,
  projection: Projection,
  uow: UnitOfWork & { prefetch(store: ReadStore, keys: DocKey[]): Promise<void>; peek<T extends ReadDocument>(collection: string, id: string): T | null },
  events: ProjectedEvent[],
): Promise<void> {
  await uow.prefetch(
    readStore,
    events.flatMap((e) => projection.keys(e)),
  );
  if (projection.dependentKeys) {
    const peek = uow.peek.bind(uow);
    await uow.prefetch(
      readStore,
      events.flatMap((e) => projection.dependentKeys!(e, peek)),
    );
  }
  for (const event of events) projection.apply(event, uow);
}

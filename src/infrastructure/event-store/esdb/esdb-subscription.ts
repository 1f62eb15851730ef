/**
 * EventStoreDB adapter: subscriptions to $all. One loop per subscription subscribes from its
 * resume point, hands events to the handler one at a time, resubscribes with backoff after a
 * dropped connection, and answers caughtUp() from delivered events, filtered-subscription
 * checkpoints, or (when idle) a one-event probe read.
 */
import { AllStreamResolvedEvent, AllStreamSubscription, EventStoreDBClient, Position, ReadPosition, START } from '@eventstore/db-client';
import { EventHandler, RecordedEvent, SubscribeToAllOptions, Subscription } from '../event-store.port';
import {
  checkpointCoverage,
  isPermanentSubscriptionError,
  filterMatchesNothing,
  fromEsdbPosition,
  isInvalidPositionError,
  matchesAllFilter,
  readPositionAfter,
  toEsdbFilter,
  toRecordedEvent,
} from './esdb-mapping';

/** onError / onReconnect / onUndecodable: see the port. */
export type EsdbSubscribeOptions = SubscribeToAllOptions;

export const noop = () => undefined;

export interface SubscriptionSource {
  client: EventStoreDBClient;
  head(): Promise<bigint>;
  /** Position of the first matching event above `after`, reading from `from` (inclusive). */
  firstMatchAfter(from: ReadPosition, after: bigint): Promise<bigint | undefined>;
  boundaryAtOrBefore(position: bigint): Promise<ReadPosition>;
  onFinished(subscription: EsdbSubscription): void;
  minDelayMs: number;
  maxDelayMs: number;
  probeIntervalMs: number;
}

/** A filtered-subscription checkpoint, pushed into the subscription's own stream so it stays in order with events. */
class CheckpointMarker {
  constructor(readonly position: Position) {}
}

/** Wraps what stops a subscription for good (the handler threw, an event could not be mapped). */
class Fatal {
  constructor(readonly error: unknown) {}
}

interface Waiter {
  target: bigint;
  seq: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One loop per subscription: subscribe from the resume point, hand events to the handler one at a
 * time, and on a dropped connection resubscribe from the last delivered (or checkpointed) position.
 *
 * `covered`: every matching event at or below it has been delivered; events at or below it are
 * dropped, so a resubscription never delivers twice. `resumeFrom`: a real record position (the last
 * delivered event, or a checkpoint) the server can resubscribe from, exclusive.
 */
export class EsdbSubscription implements Subscription {
  private covered: bigint;
  private resumeFrom: ReadPosition;
  private stopping = false;
  private finished = false;
  private failed = false;
  private error: unknown;
  private current: AllStreamSubscription | undefined;
  private wakeSleeper: (() => void) | undefined;
  private waiters: Waiter[] = [];
  private waiterSeq = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private progressed = false;
  private readonly inert: boolean;
  private readonly done: Promise<void>;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly handler: EventHandler,
    private readonly options: EsdbSubscribeOptions,
  ) {
    this.covered = options.after ?? 0n;
    this.resumeFrom = readPositionAfter(options.after);
    this.inert = filterMatchesNothing(options.filter);
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    const current = this.current;
    if (current) {
      // Ends the `for await` if it is waiting for the server; a running handler finishes first.
      current.destroy();
      current.unsubscribe().catch(noop);
    }
    await this.done;
    if (this.failed) throw this.error;
  }

  /**
   * Reads the head position, then resolves once every matching event up to it has been delivered:
   * an event at or past it was delivered, a checkpoint covers it, or (when the subscription is idle)
   * a one-event filtered read shows nothing left to deliver up to it.
   */
  async caughtUp(): Promise<void> {
    if (this.failed) throw this.error;
    if (this.finished || this.stopping) throw stoppedError();
    if (this.inert) return;
    const target = await this.source.head();
    if (this.failed) throw this.error;
    if (target <= this.covered) return;
    if (this.finished || this.stopping) throw stoppedError();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ target, seq: ++this.waiterSeq, resolve, reject });
      this.ensureProbe();
    });
  }

  private async run(): Promise<void> {
    // Never call the handler before subscribeToAll has returned.
    await Promise.resolve();
    let delay = this.source.minDelayMs;
    try {
      if (this.inert) {
        while (!this.stopping) await this.sleep(60_000);
        return;
      }
      while (!this.stopping) {
        const subscription = this.open();
        this.current = subscription;
        try {
          for await (const item of subscription as AsyncIterable<AllStreamResolvedEvent | CheckpointMarker>) {
            if (this.stopping) break;
            delay = this.source.minDelayMs;
            if (item instanceof CheckpointMarker) this.checkpoint(item.position);
            else await this.deliver(item);
          }
          if (this.stopping) break;
          throw new Error('EventStoreDB ended the subscription');
        } catch (err) {
          if (err instanceof Fatal) throw err;
          if (this.stopping) break;
          // Access denied, bad credentials: resubscribing forever would hide it. Stop and say so.
          if (isPermanentSubscriptionError(err)) throw new Fatal(err);
          if (isInvalidPositionError(err) && this.resumeFrom !== START) {
            // The `after` given to subscribeToAll was not a record boundary: resume from the one
            // at or before it (events up to `covered` are dropped anyway).
            this.resumeFrom = await this.source.boundaryAtOrBefore(this.covered).catch(() => this.resumeFrom);
          }
          try {
            this.options.onReconnect?.(err, delay);
          } catch {
            // A failing observer must not stop the subscription.
          }
          await this.sleep(delay);
          delay = Math.min(delay * 2, this.source.maxDelayMs);
        } finally {
          this.current = undefined;
          subscription.destroy();
          subscription.unsubscribe().catch(noop);
        }
      }
    } catch (err) {
      this.failed = true;
      this.error = err instanceof Fatal ? err.error : err;
      this.stopping = true;
      try {
        this.options.onError?.(this.error);
      } catch {
        // onError's own failure must not hide the original error, which stop() still reports.
      }
    } finally {
      this.finished = true;
      if (this.probeTimer) clearInterval(this.probeTimer);
      const reason = this.failed ? this.error : stoppedError();
      for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
      this.source.onFinished(this);
    }
  }

  private open(): AllStreamSubscription {
    const filter = toEsdbFilter(this.options.filter, {
      // Called by the client's stream in order, before it reads on; pushing a marker into that same
      // stream keeps the checkpoint after every event the server sent before it.
      checkpointReached: (subscription, position) => {
        if (!subscription.destroyed) subscription.push(new CheckpointMarker(position));
      },
    })!;
    const subscription = this.source.client.subscribeToAll({
      fromPosition: this.resumeFrom,
      filter,
      resolveLinkTos: false,
    });
    subscription.on('error', noop); // errors reach the `for await`; a late one must not crash the process
    return subscription;
  }

  private async deliver(resolved: AllStreamResolvedEvent): Promise<void> {
    const event = resolved.event;
    if (!event?.position) return;
    const position = fromEsdbPosition(event.position);
    if (position <= this.covered) return; // delivered before a resubscription, or not after `after`
    if (matchesAllFilter(event, this.options.filter)) {
      let recorded: RecordedEvent | undefined;
      try {
        recorded = toRecordedEvent(resolved);
      } catch (err) {
        // Not ours to read (not JSON, written by another tool): park it if the subscriber records
        // such events, else stop. Never a silent retry of the same event forever.
        if (!this.options.onUndecodable) throw new Fatal(err);
        try {
          await this.options.onUndecodable({
            id: event.id,
            streamId: event.streamId,
            revision: event.revision,
            position,
            type: event.type,
            reason: err instanceof Error ? err.message : String(err),
          });
        } catch (parkError) {
          throw new Fatal(parkError);
        }
      }
      try {
        if (recorded) await this.handler(recorded);
      } catch (err) {
        throw new Fatal(err);
      }
    }
    this.advance(position, event.position);
  }

  private checkpoint(position: Position): void {
    const coverage = checkpointCoverage(position);
    if (coverage > this.covered) this.advance(coverage, position);
  }

  private advance(covered: bigint, resumeFrom: Position): void {
    this.covered = covered;
    this.resumeFrom = resumeFrom;
    this.progressed = true;
    this.settle((waiter) => waiter.target <= covered);
  }

  private settle(done: (waiter: Waiter) => boolean): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => {
      if (!done(waiter)) return true;
      waiter.resolve();
      return false;
    });
  }

  /** While caughtUp() waits and nothing arrives, ask the server whether anything matching is left. */
  private ensureProbe(): void {
    if (this.probeTimer) return;
    this.progressed = false;
    this.probeTimer = setInterval(() => {
      if (this.waiters.length === 0 || this.finished) {
        clearInterval(this.probeTimer);
        this.probeTimer = undefined;
        return;
      }
      if (this.progressed) {
        this.progressed = false;
        return;
      }
      void this.probe();
    }, this.source.probeIntervalMs);
  }

  private async probe(): Promise<void> {
    if (this.probing || this.stopping) return;
    this.probing = true;
    const covered = this.covered;
    const from = this.resumeFrom;
    const seq = this.waiterSeq;
    try {
      const next = await this.source.firstMatchAfter(from, covered);
      // Nothing matches in (covered, next): every matching event below `next` has been delivered.
      // With no `next`, nothing matched up to the head at the time of the read, which is at or past
      // the target of every waiter registered before the read began.
      if (next === undefined) this.settle((waiter) => waiter.seq <= seq);
      else this.settle((waiter) => waiter.target < next);
    } catch {
      // Retried on the next tick; the subscription loop reports connection problems.
    } finally {
      this.probing = false;
    }
  }

  private wake(): void {
    this.wakeSleeper?.();
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => wakeUp(), ms);
      const wakeUp = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      this.wakeSleeper = wakeUp;
    });
  }
}

function stoppedError(): Error {
  return new Error('Subscription stopped before catching up');
}

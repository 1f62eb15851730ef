/**
 * What every scheduled "due" process shares (the deadline watch, the commitment watch, signatory-data
 * retention): it follows only the events that start or stop what it watches ($all, filtered by
 * type), keeps the pending entries in memory, and on a timer (or `checkNow`) acts on those due.
 *
 * Exactly once comes from the deciders, not from here: a process's command is refused or records
 * nothing when the fact is already recorded, and appends expect the revision they decided on. An
 * entry leaves the pending map once its act has run; one that failed is tried again at the next check.
 */
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { EventStore, RecordedEvent, Subscription } from '../infrastructure/event-store/event-store.port';

/** A pending entry remembers the event that set it: its command is caused by it, in its correlation. */
export interface CorrelatedEntry {
  causationId: string;
  correlationId: string;
}

export const causedBy = (recorded: RecordedEvent): CorrelatedEntry => ({ causationId: recorded.id, correlationId: recorded.metadata.correlationId });

export abstract class DueWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  protected readonly logger: Logger;
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;

  protected constructor(
    private readonly store: EventStore,
    private readonly watched: string[],
    private readonly intervalMs: () => number,
    name: string,
  ) {
    this.logger = new Logger(name);
  }

  /** Keeps the pending entries up to date from one watched event. */
  protected abstract follow(recorded: RecordedEvent): void;

  /** Acts on what is due now; returns how many facts were recorded. */
  protected abstract actOnDue(): Promise<number>;

  onApplicationBootstrap(): void {
    this.subscription = this.store.subscribeToAll((e) => this.follow(e), { filter: { eventTypes: this.watched } });
    this.timer = setInterval(() => void this.checkNow().catch((e) => this.logger.error(e)), this.intervalMs());
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.stop();
    await this.running;
  }

  /** Acts on everything due by now, once the watched events are followed up to the head. Safe to call concurrently. */
  checkNow(): Promise<number> {
    this.running ??= (async () => {
      await this.subscription?.caughtUp();
      return this.actOnDue();
    })().finally(() => (this.running = null));
    return this.running;
  }

  /**
   * Runs `act` for every entry of `pending` that is due; an entry leaves the map when its act ran,
   * a failed one stays for the next check. Returns how many acts recorded something.
   */
  protected async each<E>(
    pending: Map<string, E>,
    isDue: (entry: E) => boolean,
    act: (key: string, entry: E) => Promise<boolean>,
    notDone: (key: string) => string,
  ): Promise<number> {
    let recorded = 0;
    for (const [key, entry] of pending) {
      if (!isDue(entry)) continue;
      try {
        if (await act(key, entry)) recorded += 1;
        pending.delete(key);
      } catch (e) {
        this.logger.warn(`${notDone(key)}: ${(e as Error).message}`);
      }
    }
    return recorded;
  }
}

/**
 * Runs the projector inside a service process (`npm start`, or `--role projector`), from the
 * app's lifecycle. A projector that fails (a store that stopped answering, a lost lease) is
 * replaced by a new one after a pause that doubles up to a minute; until it runs again,
 * /health/ready says so.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { EVENT_STORE, EventStore } from '../infrastructure/event-store/event-store.port';
import { READ_STORE, ReadStore } from '../infrastructure/read-store/read-store.port';
import { PROJECTIONS } from '.';
import type { Projection } from './projection';
import { Projector, ProjectionStatus } from './projector';

const MAX_BACKOFF_MS = 60_000;
/** How long a shutdown waits for the projector to project what is stored. */
const DRAIN_TIMEOUT_MS = 10_000;

@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');
  private projector!: Projector;
  private starting?: Promise<void>;
  private lastError: string | null = null;
  private backoffMs = 1000;
  private restartTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
  ) {}

  onApplicationBootstrap(): void {
    this.launch();
  }

  /** Null while the projector runs; else why it stopped. */
  get failure(): string | null {
    return this.lastError;
  }

  status(): Promise<ProjectionStatus[]> {
    return this.projector.status();
  }

  /** Resolves once every projection has applied every event stored before the call. */
  async caughtUp(): Promise<void> {
    await this.starting;
    await this.projector.caughtUp();
  }

  /**
   * Called once the HTTP server has closed (Nest disposes it before these hooks), so nothing new
   * is appended by this process: the projector first projects what is already stored (bounded by
   * DRAIN_TIMEOUT_MS), committing its checkpoint with the last batch, then stops and releases its
   * lease. A restart resumes from that checkpoint.
   */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    // A standby projector (another instance holds the lease) has nothing to drain: stop waiting.
    if (!this.projector.holdsLease) await this.projector.stop();
    await this.starting;
    if (this.projector.holdsLease && !this.lastError && !this.projector.failed) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)));
      await Promise.race([this.projector.caughtUp().catch(() => undefined), timeout]);
      clearTimeout(timer);
    }
    await this.projector.stop();
  }

  private launch(): void {
    const projector = new Projector(this.eventStore, this.readStore, this.projections, {
      owner: `${hostname()}:${process.pid}`,
      onError: (e) => this.failed(projector, e),
      onReconnect: (e, delayMs) =>
        this.logger.warn(`Event store subscription dropped (${e instanceof Error ? e.message : String(e)}); resubscribing in ${delayMs} ms`),
      onParked: (e) =>
        this.logger.error(
          `Parked undecodable event ${e.id} (${e.type}) at position ${e.position} in ${e.streamId}: ${e.reason}. Recorded as setting parked-event:${e.position}; skipped.`,
        ),
    });
    this.projector = projector;
    this.starting = projector
      .start()
      .then(() => {
        if (this.projector === projector && !projector.failed) {
          this.lastError = null;
          this.backoffMs = 1000;
        }
      })
      .catch((e) => this.failed(projector, e));
  }

  private failed(projector: Projector, error: unknown): void {
    if (this.projector !== projector || this.stopped) return;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.logger.error(`Projector stopped: ${error instanceof Error ? error.stack : String(error)}. Restarting in ${this.backoffMs / 1000} s`);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.restartTimer = setTimeout(() => {
      void projector.stop().finally(() => {
        if (!this.stopped) this.launch();
      });
    }, delay);
    this.restartTimer.unref();
  }
}

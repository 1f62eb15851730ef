/**
 * The audit checkpoints process: keeps the Merkle log caught up with the event log and signs a
 * checkpoint every AUDIT_CHECKPOINT_EVERY events or AUDIT_CHECKPOINT_INTERVAL_MS, whichever comes
 * first (never a checkpoint that would cover only the previous checkpoint). Runs beside the
 * projector; two instances racing append one checkpoint (the audit stream's expected revision).
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { systemActor } from '../../domain/shared/actor';
import { AuditLog, ScheduledAuditCheckpoint } from '../../application/audit-log.service';
import { CLOCK, Clock } from '../../application/clock';

/** How often the log is extended and the schedule looked at. */
const TICK_MS = 1000;

@Injectable()
export class AuditCheckpoints implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditCheckpoints');
  private timer?: NodeJS.Timeout;
  private running: Promise<boolean> | null = null;
  private startedAt = 0;

  constructor(
    private readonly log: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.startedAt = this.clock.now().getTime();
    this.timer = setInterval(() => void this.tick().catch((e) => this.logger.error(e)), Math.min(TICK_MS, this.config.audit.checkpointIntervalMs));
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Extends the log and signs a checkpoint if one is due; resolves to whether it signed one. Calls run one after another. */
  tick(): Promise<boolean> {
    const run = (this.running ?? Promise.resolve(false)).catch(() => false).then(() => this.due());
    const settled = run.finally(() => {
      if (this.running === settled) this.running = null;
    });
    this.running = settled;
    return run;
  }

  private async due(): Promise<boolean> {
    const size = await this.log.catchUp();
    const latest = await this.log.latestCheckpoint();
    const since = size - (latest?.treeSize ?? 0);
    // The newest checkpoint is itself a leaf: a tree that grew by it alone needs no new one.
    if (since <= (latest ? 1 : 0)) return false;
    const lastAt = latest ? Date.parse(latest.checkpointedAt) : this.startedAt;
    const old = this.clock.now().getTime() - lastAt >= this.config.audit.checkpointIntervalMs;
    if (since < this.config.audit.checkpointEvery && !old) return false;
    const id = randomUUID();
    const { created } = await this.log.checkpoint(ScheduledAuditCheckpoint, { actor: systemActor('audit-checkpoints'), correlationId: id, causationId: id });
    return created;
  }
}

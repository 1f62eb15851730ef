/**
 * Retention of signatory data: a petition's personal data is shredded — every data key deleted,
 * one SignatoryDataShredded event recorded — once SIGNATORY_DATA_RETENTION_MONTHS (default 6)
 * have passed since the petition ended (closed after its answer or inadmissibility, or withdrawn).
 *
 * Like the deadline watch, it follows only the events that end a petition ($all, filtered by type)
 * and keeps their dates in memory; at each check it shreds what is due. Exactly once: the decider
 * refuses a second shredding, and the append expects the revision it decided on.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, Clock } from '../../application/clock';
import type { CommandDefinition } from '../../application/command-definition';
import { SignatoryVault } from '../../application/signatory-vault.service';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { storedTypesOf, toDomainEvent } from '../../domain/event-types';
import { systemActor } from '../../domain/shared/actor';
import { addMonths } from '../../domain/vault/vault.decide';
import { EVENT_STORE, EventStore, RecordedEvent, Subscription } from '../../infrastructure/event-store/event-store.port';

const WATCHED = storedTypesOf('PetitionClosed', 'PetitionWithdrawn', 'SignatoryDataShredded');

/** The command this process issues; only the system may. */
export const ShredSignatoryData: CommandDefinition = { commandName: 'ShredSignatoryData', roles: ['system'] };

@Injectable()
export class SignatoryDataRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SignatoryDataRetention');
  /** petitionId → when its data is due for shredding (ms), and the event that ended it. */
  private readonly pending = new Map<string, { dueAt: number; causationId: string; correlationId: string }>();
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly vault: SignatoryVault,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.store.subscribeToAll((e) => this.follow(e), { filter: { eventTypes: WATCHED } });
    this.timer = setInterval(() => void this.checkNow().catch((e) => this.logger.error(e)), this.config.vault.retentionCheckIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.stop();
    await this.running;
  }

  /** Shreds every petition due by now; returns how many. Safe to call concurrently. */
  checkNow(): Promise<number> {
    this.running ??= this.check().finally(() => (this.running = null));
    return this.running;
  }

  private async check(): Promise<number> {
    await this.subscription?.caughtUp();
    const now = this.clock.now().getTime();
    let shredded = 0;
    for (const [petitionId, due] of this.pending) {
      if (due.dueAt > now) continue;
      try {
        if ((await this.vault.loadVault(petitionId)).shredded) {
          this.pending.delete(petitionId);
          continue;
        }
        // Keys first: should the event fail, the next check records it (and deletes nothing more).
        const keysDeleted = await this.vault.deletePetitionKeys(petitionId);
        await this.vault.run(
          ShredSignatoryData,
          petitionId,
          { type: 'ShredSignatoryData', retentionMonths: this.config.vault.retentionMonths, keysDeleted },
          { actor: systemActor('signatory-data-retention'), correlationId: due.correlationId, causationId: due.causationId },
        );
        shredded += 1;
        this.pending.delete(petitionId);
      } catch (e) {
        this.logger.warn(`Signatory data of ${petitionId} not shredded yet: ${(e as Error).message}`);
      }
    }
    return shredded;
  }

  private follow(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded.type, recorded.data);
    if (!event || !('petitionId' in event.data)) return;
    const petitionId = event.data.petitionId;
    if (event.type === 'SignatoryDataShredded') {
      this.pending.delete(petitionId);
    } else if (event.type === 'PetitionClosed' || event.type === 'PetitionWithdrawn') {
      const endedAt = event.type === 'PetitionClosed' ? event.data.closedAt : event.data.withdrawnAt;
      const dueAt = Date.parse(addMonths(endedAt, this.config.vault.retentionMonths));
      this.pending.set(petitionId, { dueAt, causationId: recorded.id, correlationId: recorded.metadata.correlationId });
    }
  }
}

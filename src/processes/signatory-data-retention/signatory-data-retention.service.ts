/**
 * Retention of signatory data: a petition's personal data is shredded — every data key deleted,
 * one SignatoryDataShredded event recorded — once SIGNATORY_DATA_RETENTION_MONTHS (default 6)
 * have passed since the petition ended (closed after its answer or inadmissibility, or withdrawn).
 *
 * Like the deadline watch (../due-watch.ts), it follows only the events that end a petition and
 * keeps their dates in memory; at each check it shreds what is due. Exactly once: the decider
 * refuses a second shredding, and the append expects the revision it decided on.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../../application/clock';
import type { CommandDefinition } from '../../application/command-definition';
import { SignatoryVault } from '../../application/signatory-vault.service';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { storedTypesOf, toDomainEvent } from '../../domain/event-types';
import { systemActor } from '../../domain/shared/actor';
import { addMonthsUtc } from '../../domain/rules/rulebook';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../infrastructure/event-store/event-store.port';
import { causedBy, CorrelatedEntry, DueWatch } from '../due-watch';

const WATCHED = storedTypesOf('PetitionClosed', 'PetitionWithdrawn', 'SignatoryDataShredded');

/** The command this process issues; only the system may. */
export const ShredSignatoryData: CommandDefinition = { commandName: 'ShredSignatoryData', roles: ['system'] };

interface PendingShred extends CorrelatedEntry {
  dueAt: number;
}

@Injectable()
export class SignatoryDataRetention extends DueWatch {
  /** petitionId → when its data is due for shredding (ms), and the event that ended it. */
  private readonly pending = new Map<string, PendingShred>();

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly vault: SignatoryVault,
  ) {
    super(store, WATCHED, () => config.vault.retentionCheckIntervalMs, 'SignatoryDataRetention');
  }

  /** Shreds every petition due by now; returns how many. */
  protected actOnDue(): Promise<number> {
    const now = this.clock.now().getTime();
    return this.each(
      this.pending,
      (due) => due.dueAt <= now,
      async (petitionId, due) => {
        if ((await this.vault.loadVault(petitionId)).shredded) return false;
        // Keys first: should the event fail, the next check records it (and deletes nothing more).
        const keysDeleted = await this.vault.deletePetitionKeys(petitionId);
        await this.vault.run(
          ShredSignatoryData,
          petitionId,
          { type: 'ShredSignatoryData', retentionMonths: this.config.vault.retentionMonths, keysDeleted },
          { actor: systemActor('signatory-data-retention'), correlationId: due.correlationId, causationId: due.causationId },
        );
        return true;
      },
      (petitionId) => `Signatory data of ${petitionId} not shredded yet`,
    );
  }

  protected follow(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded.type, recorded.data);
    if (!event || !('petitionId' in event.data)) return;
    const petitionId = event.data.petitionId;
    if (event.type === 'SignatoryDataShredded') {
      this.pending.delete(petitionId);
    } else if (event.type === 'PetitionClosed' || event.type === 'PetitionWithdrawn') {
      const endedAt = event.type === 'PetitionClosed' ? event.data.closedAt : event.data.withdrawnAt;
      this.pending.set(petitionId, { dueAt: Date.parse(addMonthsUtc(endedAt, this.config.vault.retentionMonths)), ...causedBy(recorded) });
    }
  }
}

/**
 * The deadline watch: a process in the service that records ResponseDeadlineMissed when a
 * submitted petition's due date passes with no admissibility decision, and AgendaSessionMissed
 * when an accepted petition's target session ends with no response recorded.
 *
 * It follows only the lifecycle events that start or stop a deadline, keeps the pending due dates
 * in memory (../due-watch.ts) and acts on those due. Exactly once: the decider records the event only
 * for an undecided, not-yet-missed petition, and the append expects the revision it decided on,
 * so two instances racing produce one event.
 *
 * A scheduled process of the service (src/processes): it issues its command through the
 * application core like a handler does, as the system actor.
 */
import { Inject, Injectable } from '@nestjs/common';
import { systemActor } from '../../domain/shared/actor';
import { storedTypesOf, toDomainEvent } from '../../domain/event-types';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../infrastructure/event-store/event-store.port';
import { causedBy, CorrelatedEntry, DueWatch } from '../due-watch';
import { CLOCK, Clock } from '../../application/clock';
import type { CommandDefinition } from '../../application/command-definition';
import { PetitionCommands } from '../../application/petition-commands.service';

const WATCHED = storedTypesOf(
  'PetitionSubmittedToCouncil',
  'PetitionDeclaredAdmissible',
  'PetitionDeclaredInadmissible',
  'PetitionWithdrawn',
  'ResponseDeadlineMissed',
  'OfficialResponseRecorded',
  'AgendaSessionMissed',
);

/** The command this process issues; only the system may. */
export const MarkResponseDeadlineMissed: CommandDefinition = { commandName: 'MarkResponseDeadlineMissed', roles: ['system'] };
export const MarkAgendaSessionMissed: CommandDefinition = { commandName: 'MarkAgendaSessionMissed', roles: ['system'] };

interface Pending extends CorrelatedEntry {
  dueAt: number;
}

@Injectable()
export class DeadlineWatch extends DueWatch {
  /** petitionId → response due date (ms) and the event that set it. */
  private readonly pending = new Map<string, Pending>();
  /** petitionId → end of the target session (ms) and the decision that set it. */
  private readonly sessions = new Map<string, Pending>();

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly petitions: PetitionCommands,
  ) {
    super(store, WATCHED, () => config.deadlineCheckIntervalMs, 'DeadlineWatch');
  }

  protected async actOnDue(): Promise<number> {
    const now = this.clock.now().getTime();
    return (
      (await this.record(this.pending, now, MarkResponseDeadlineMissed, 'deadline')) +
      (await this.record(this.sessions, now, MarkAgendaSessionMissed, 'session'))
    );
  }

  private record(due: Map<string, Pending>, now: number, definition: CommandDefinition, what: string): Promise<number> {
    return this.each(
      due,
      (entry) => entry.dueAt <= now,
      async (petitionId, entry) => {
        const outcome = await this.petitions.run(
          definition,
          petitionId,
          { type: definition.commandName as 'MarkResponseDeadlineMissed' | 'MarkAgendaSessionMissed' },
          { actor: systemActor('deadline-watch'), correlationId: entry.correlationId, causationId: entry.causationId },
        );
        return outcome.eventIds.length > 0;
      },
      (petitionId) => `Missed ${what} of ${petitionId} not recorded yet`,
    );
  }

  protected follow(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded.type, recorded.data);
    if (!event || !('petitionId' in event.data)) return;
    const petitionId = event.data.petitionId;
    const cause = causedBy(recorded);
    if (event.type === 'PetitionSubmittedToCouncil') {
      this.pending.set(petitionId, { dueAt: Date.parse(event.data.responseDueAt), ...cause });
      return;
    }
    this.pending.delete(petitionId);
    if (event.type === 'PetitionDeclaredAdmissible' && event.data.targetSession) {
      this.sessions.set(petitionId, { dueAt: Date.parse(event.data.targetSession.endsAt), ...cause });
    } else if (event.type === 'OfficialResponseRecorded' || event.type === 'AgendaSessionMissed' || event.type === 'PetitionWithdrawn') {
      this.sessions.delete(petitionId);
    }
  }
}

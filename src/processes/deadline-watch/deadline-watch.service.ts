/**
 * The deadline watch: a process in the service that records ResponseDeadlineMissed when a
 * submitted petition's due date passes with no admissibility decision, and AgendaSessionMissed
 * when an accepted petition's target session ends with no response recorded.
 *
 * It follows only the lifecycle events that start or stop a deadline ($all, filtered by type)
 * and keeps the pending due dates in memory. Exactly once: the decider records the event only
 * for an undecided, not-yet-missed petition, and the append expects the revision it decided on,
 * so two instances racing produce one event.
 *
 * A scheduled process of the service (src/processes): it issues its command through the
 * application core like a handler does, as the system actor.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { systemActor } from '../../domain/shared/actor';
import { storedTypesOf, toDomainEvent } from '../../domain/event-types';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EVENT_STORE, EventStore, RecordedEvent, Subscription } from '../../infrastructure/event-store/event-store.port';
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

interface Pending {
  dueAt: number;
  causationId: string;
  correlationId: string;
}

@Injectable()
export class DeadlineWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeadlineWatch');
  /** petitionId → response due date (ms) and the event that set it. */
  private readonly pending = new Map<string, Pending>();
  /** petitionId → end of the target session (ms) and the decision that set it. */
  private readonly sessions = new Map<string, Pending>();
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly petitions: PetitionCommands,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.store.subscribeToAll((e) => this.follow(e), { filter: { eventTypes: WATCHED } });
    this.timer = setInterval(() => void this.checkNow().catch((e) => this.logger.error(e)), this.config.deadlineCheckIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.stop();
    await this.running;
  }

  /** Records every deadline due by now; returns how many were recorded. Safe to call concurrently. */
  checkNow(): Promise<number> {
    this.running ??= this.check().finally(() => (this.running = null));
    return this.running;
  }

  private async check(): Promise<number> {
    await this.subscription?.caughtUp();
    const now = this.clock.now().getTime();
    return (
      (await this.record(this.pending, now, MarkResponseDeadlineMissed, 'deadline')) +
      (await this.record(this.sessions, now, MarkAgendaSessionMissed, 'session'))
    );
  }

  private async record(due: Map<string, Pending>, now: number, definition: CommandDefinition, what: string): Promise<number> {
    let recorded = 0;
    for (const [petitionId, entry] of due) {
      if (entry.dueAt > now) continue;
      try {
        const outcome = await this.petitions.run(
          definition,
          petitionId,
          { type: definition.commandName as 'MarkResponseDeadlineMissed' | 'MarkAgendaSessionMissed' },
          { actor: systemActor('deadline-watch'), correlationId: entry.correlationId, causationId: entry.causationId },
        );
        if (outcome.eventIds.length) recorded += 1;
        due.delete(petitionId);
      } catch (e) {
        this.logger.warn(`Missed ${what} of ${petitionId} not recorded yet: ${(e as Error).message}`);
      }
    }
    return recorded;
  }

  private follow(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded.type, recorded.data);
    if (!event || !('petitionId' in event.data)) return;
    const petitionId = event.data.petitionId;
    const cause = { causationId: recorded.id, correlationId: recorded.metadata.correlationId };
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

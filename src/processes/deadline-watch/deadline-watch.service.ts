/**
 * The deadline watch: a process in the service that records ResponseDeadlineMissed when a
 * submitted petition's due date passes with no admissibility decision.
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
);

/** The command this process issues; only the system may. */
export const MarkResponseDeadlineMissed: CommandDefinition = { commandName: 'MarkResponseDeadlineMissed', roles: ['system'] };

@Injectable()
export class DeadlineWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeadlineWatch');
  /** petitionId → due date (ms) and the event that set it. */
  private readonly pending = new Map<string, { dueAt: number; causationId: string; correlationId: string }>();
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
    let recorded = 0;
    for (const [petitionId, due] of this.pending) {
      if (due.dueAt > now) continue;
      try {
        const outcome = await this.petitions.run(
          MarkResponseDeadlineMissed,
          petitionId,
          { type: 'MarkResponseDeadlineMissed' },
          { actor: systemActor('deadline-watch'), correlationId: due.correlationId, causationId: due.causationId },
        );
        if (outcome.eventIds.length) recorded += 1;
        this.pending.delete(petitionId);
      } catch (e) {
        this.logger.warn(`Deadline of ${petitionId} not recorded yet: ${(e as Error).message}`);
      }
    }
    return recorded;
  }

  private follow(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded.type, recorded.data);
    if (!event || !('petitionId' in event.data)) return;
    const petitionId = event.data.petitionId;
    if (event.type === 'PetitionSubmittedToCouncil') {
      this.pending.set(petitionId, { dueAt: Date.parse(event.data.responseDueAt), causationId: recorded.id, correlationId: recorded.metadata.correlationId });
    } else {
      this.pending.delete(petitionId);
    }
  }
}

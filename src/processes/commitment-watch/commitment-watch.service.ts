/**
 * The commitment watch: records CommitmentMissed when the day of an official's commitment is over
 * and it was not marked kept. Like the deadline watch, it follows only the commitment events
 * ($all, filtered by type), keeps the open ones in memory, and issues its command through the
 * application core as the system actor. Exactly once: the decider records the miss only for a
 * still-open commitment, and the append expects the revision it decided on.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { systemActor } from '../../domain/shared/actor';
import { storedTypesOf, toDomainEvent } from '../../domain/event-types';
import { commitmentOverdue } from '../../domain/dialogue/thread.decide';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EVENT_STORE, EventStore, RecordedEvent, Subscription } from '../../infrastructure/event-store/event-store.port';
import { CLOCK, Clock } from '../../application/clock';
import type { CommandDefinition } from '../../application/command-definition';
import { DialogueCommands } from '../../application/dialogue-commands.service';

const WATCHED = storedTypesOf('CommitmentMade', 'CommitmentKept', 'CommitmentMissed');

/** The command this process issues; only the system may. */
export const MarkCommitmentMissed: CommandDefinition = { commandName: 'MarkCommitmentMissed', roles: ['system'] };

@Injectable()
export class CommitmentWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CommitmentWatch');
  /** commitmentId → its thread, due day and the event that made it. */
  private readonly pending = new Map<string, { threadId: string; dueOn: string; causationId: string; correlationId: string }>();
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dialogue: DialogueCommands,
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

  /** Records every commitment whose day is over; returns how many were recorded. Safe to call concurrently. */
  checkNow(): Promise<number> {
    this.running ??= this.check().finally(() => (this.running = null));
    return this.running;
  }

  private async check(): Promise<number> {
    await this.subscription?.caughtUp();
    const now = this.clock.now().toISOString();
    let recorded = 0;
    for (const [commitmentId, due] of this.pending) {
      if (!commitmentOverdue(due.dueOn, now)) continue;
      try {
        const outcome = await this.dialogue.thread(
          MarkCommitmentMissed,
          due.threadId,
          { type: 'MarkCommitmentMissed', commitmentId },
          { actor: systemActor('commitment-watch'), correlationId: due.correlationId, causationId: due.causationId },
        );
        if (outcome.eventIds.length) recorded += 1;
        this.pending.delete(commitmentId);
      } catch (e) {
        this.logger.warn(`Commitment ${commitmentId} not recorded missed yet: ${(e as Error).message}`);
      }
    }
    return recorded;
  }

  private follow(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded.type, recorded.data);
    if (!event) return;
    if (event.type === 'CommitmentMade') {
      const d = event.data;
      this.pending.set(d.commitmentId, { threadId: d.threadId, dueOn: d.dueOn, causationId: recorded.id, correlationId: recorded.metadata.correlationId });
    } else if (event.type === 'CommitmentKept' || event.type === 'CommitmentMissed') {
      this.pending.delete(event.data.commitmentId);
    }
  }
}

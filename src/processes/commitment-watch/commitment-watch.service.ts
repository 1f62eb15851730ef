/**
 * The commitment watch: records CommitmentMissed when the day of an official's commitment is over
 * and it was not marked kept. Like the deadline watch, it follows only the commitment events
 * ($all, filtered by type), keeps the open ones in memory, and issues its command through the
 * application core as the system actor. Exactly once: the decider records the miss only for a
 * still-open commitment, and the append expects the revision it decided on.
 */
import { Inject, Injectable } from '@nestjs/common';
import { systemActor } from '../../domain/shared/actor';
import { storedTypesOf, toDomainEvent } from '../../domain/event-types';
import { commitmentOverdue } from '../../domain/dialogue/thread.decide';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { EVENT_STORE, EventStore, RecordedEvent } from '../../infrastructure/event-store/event-store.port';
import { causedBy, CorrelatedEntry, DueWatch } from '../due-watch';
import { CLOCK, Clock } from '../../application/clock';
import type { CommandDefinition } from '../../application/command-definition';
import { DialogueCommands } from '../../application/dialogue-commands.service';

const WATCHED = storedTypesOf('CommitmentMade', 'CommitmentKept', 'CommitmentMissed');

/** The command this process issues; only the system may. */
export const MarkCommitmentMissed: CommandDefinition = { commandName: 'MarkCommitmentMissed', roles: ['system'] };

interface PendingCommitment extends CorrelatedEntry {
  threadId: string;
  dueOn: string;
}

@Injectable()
export class CommitmentWatch extends DueWatch {
  /** commitmentId → its thread, due day and the event that made it. */
  private readonly pending = new Map<string, PendingCommitment>();

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dialogue: DialogueCommands,
  ) {
    super(store, WATCHED, () => config.deadlineCheckIntervalMs, 'CommitmentWatch');
  }

  /** Records every commitment whose day is over; returns how many were recorded. */
  protected actOnDue(): Promise<number> {
    const now = this.clock.now().toISOString();
    return this.each(
      this.pending,
      (due) => commitmentOverdue(due.dueOn, now),
      async (commitmentId, due) => {
        const outcome = await this.dialogue.thread(
          MarkCommitmentMissed,
          due.threadId,
          { type: 'MarkCommitmentMissed', commitmentId },
          { actor: systemActor('commitment-watch'), correlationId: due.correlationId, causationId: due.causationId },
        );
        return outcome.eventIds.length > 0;
      },
      (commitmentId) => `Commitment ${commitmentId} not recorded missed yet`,
    );
  }

  protected follow(recorded: RecordedEvent): void {
    const event = toDomainEvent(recorded.type, recorded.data);
    if (!event) return;
    if (event.type === 'CommitmentMade') {
      const d = event.data;
      this.pending.set(d.commitmentId, { threadId: d.threadId, dueOn: d.dueOn, ...causedBy(recorded) });
    } else if (event.type === 'CommitmentKept' || event.type === 'CommitmentMissed') {
      this.pending.delete(event.data.commitmentId);
    }
  }
}

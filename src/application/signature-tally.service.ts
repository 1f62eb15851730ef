/**
 * Signature counts for the command side. One in-memory tally per process, caught up by reading
 * only the signature events appended since its last position (type-filtered $all read), so
 * counting never replays a petition's history and sees other processes' appends too.
 */
import { Inject, Injectable } from '@nestjs/common';
import { storedTypesOf, toDomainEvent } from '../domain/event-types';
import type { SignatureTally } from '../domain/petition/petition.commands';
import { SignatureTallies } from '../domain/signature/signature-tally';
import type { SignatureEvent } from '../domain/signature/signature.events';
import type { InvalidationEvent } from '../domain/signature/invalidation.events';
import { EVENT_STORE, EventStore } from '../infrastructure/event-store/event-store.port';

const SIGNATURE_TYPES = storedTypesOf('PetitionSigned', 'SignatureWithdrawn', 'SignaturesInvalidated', 'SignaturesReinstated');
const BATCH = 10_000;

@Injectable()
export class SignatureTallyService {
  private readonly tallies = new SignatureTallies();
  /** The read under way, and the one queued to start after it. */
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The petition's count, including every signature appended before this call. */
  async tallyOf(petitionId: string): Promise<SignatureTally> {
    await this.catchUp();
    return this.tallies.tallyOf(petitionId);
  }

  /**
   * Resolves after a read that started after this call. Concurrent callers share reads: one runs,
   * and everyone who arrives meanwhile shares the single read queued behind it, so a caller waits
   * at most two reads however long a burst of signatures lasts.
   */
  catchUp(): Promise<void> {
    if (!this.current) return (this.current = this.run());
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return (this.current = this.run());
      });
    return this.next;
  }

  private run(): Promise<void> {
    const read = this.readNew().finally(() => {
      if (this.current === read) this.current = null;
    });
    return read;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({ after: this.tallies.lastPosition, maxCount: BATCH, filter: { eventTypes: SIGNATURE_TYPES } });
      for (const recorded of batch) {
        const event = toDomainEvent(recorded.type, recorded.data) as SignatureEvent | InvalidationEvent | null;
        if (event) this.tallies.apply(event, recorded.position);
      }
      if (batch.length < BATCH) return;
    }
  }
}

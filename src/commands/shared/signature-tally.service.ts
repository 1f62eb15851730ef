/**
 * Signature counts for the command side. One in-memory tally per process, caught up by reading
 * only the signature events appended since its last position (type-filtered $all read), so
 * counting never replays a petition's history and sees other processes' appends too.
 */
import { Inject, Injectable } from '@nestjs/common';
import { storedTypesOf, toDomainEvent } from '../../domain/event-types';
import type { SignatureTally } from '../../domain/petition/petition.commands';
import { SignatureTallies } from '../../domain/signature/signature-tally';
import type { SignatureEvent } from '../../domain/signature/signature.events';
import { EVENT_STORE, EventStore } from '../../infrastructure/event-store/event-store.port';

const SIGNATURE_TYPES = storedTypesOf('PetitionSigned', 'SignatureWithdrawn');
const BATCH = 10_000;

@Injectable()
export class SignatureTallyService {
  private readonly tallies = new SignatureTallies();
  private catchingUp: Promise<void> | null = null;
  private again = false;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** The petition's count, including every signature appended before this call. */
  async tallyOf(petitionId: string): Promise<SignatureTally> {
    await this.catchUp();
    return this.tallies.tallyOf(petitionId);
  }

  /** Concurrent callers share one read; a caller arriving mid-read gets a second pass. */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.again = true;
      return this.catchingUp;
    }
    this.catchingUp = (async () => {
      try {
        do {
          this.again = false;
          await this.readNew();
        } while (this.again);
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const batch = await this.store.readAll({ after: this.tallies.lastPosition, maxCount: BATCH, filter: { eventTypes: SIGNATURE_TYPES } });
      for (const recorded of batch) {
        const event = toDomainEvent(recorded.type, recorded.data) as SignatureEvent | null;
        if (event) this.tallies.apply(event, recorded.position);
      }
      if (batch.length < BATCH) return;
    }
  }
}

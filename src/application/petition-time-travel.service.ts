/**
 * Time travel: a petition as it stood at a global position or at a moment, folded from the event
 * store with the domain's own evolve and signature tally. Bounded: it reads only that petition's
 * streams, and no further than the position asked for.
 */
import { Inject, Injectable } from '@nestjs/common';
import { toDomainEvent } from '../domain/event-types';
import { evolvePetition, initialPetitionState, PetitionState } from '../domain/petition/petition.state';
import { PetitionEvent, petitionStreamId } from '../domain/petition/petition.events';
import { SignatureTallies } from '../domain/signature/signature-tally';
import { SignatureEvent, signatureStreamPrefix } from '../domain/signature/signature.events';
import { EVENT_STORE, EventStore, RecordedEvent, StreamNotFoundError } from '../infrastructure/event-store/event-store.port';

const PAGE = 5000;

export type Bound = { position: bigint } | { time: string };

export interface PetitionThen {
  state: PetitionState;
  signatureCount: number;
  provinceCounts: Record<string, number>;
  /** The last of the petition's events folded in (decimal string), null when none was. */
  lastPosition: string | null;
}

@Injectable()
export class PetitionTimeTravel {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async at(petitionId: string, bound: Bound): Promise<PetitionThen | null> {
    const within = (e: RecordedEvent) => ('position' in bound ? e.position <= bound.position : Date.parse(e.metadata.occurredAt) <= Date.parse(bound.time));
    let lifecycle: RecordedEvent[];
    try {
      lifecycle = await this.store.readStream(petitionStreamId(petitionId));
    } catch (e) {
      if (e instanceof StreamNotFoundError) return null;
      throw e;
    }
    let state = initialPetitionState;
    let last = 0n;
    for (const r of lifecycle) {
      if (!within(r)) break;
      const event = toDomainEvent(r.type, r.data) as PetitionEvent | null;
      if (event) state = evolvePetition(state, event);
      last = r.position;
    }
    if (!state) return null;
    const tallies = new SignatureTallies();
    for (let after = 0n; ;) {
      const page = await this.store.readAll({ after, maxCount: PAGE, filter: { streamPrefixes: [signatureStreamPrefix(petitionId)] } });
      let done = page.length < PAGE;
      for (const r of page) {
        if ('position' in bound && r.position > bound.position) {
          done = true;
          break;
        }
        if (!within(r)) continue;
        const event = toDomainEvent(r.type, r.data) as SignatureEvent | null;
        if (event) tallies.apply(event, r.position);
        if (r.position > last) last = r.position;
      }
      if (done || page.length === 0) break;
      after = page[page.length - 1].position;
    }
    const tally = tallies.tallyOf(petitionId);
    return { state, signatureCount: tally.count, provinceCounts: tally.provinceCounts, lastPosition: last ? last.toString() : null };
  }
}

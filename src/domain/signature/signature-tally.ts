/**
 * Live signature counts per petition, folded from signature events in position order.
 * Pure: the command side keeps one in memory and catches it up by reading only the signature
 * events appended since its last position, so a count never replays a petition's history.
 */
import type { SignatureTally } from '../petition/petition.commands';
import type { SignatureEvent } from './signature.events';

export interface PetitionCount {
  count: number;
  provinceCounts: Record<string, number>;
}

export class SignatureTallies {
  private readonly counts = new Map<string, PetitionCount>();
  private position = 0n;

  get lastPosition(): bigint {
    return this.position;
  }

  apply(event: SignatureEvent, position: bigint): void {
    if (position <= this.position) return; // already counted
    this.position = position;
    const delta = event.type === 'PetitionSigned' ? 1 : -1;
    const entry = this.counts.get(event.data.petitionId) ?? { count: 0, provinceCounts: {} };
    entry.count += delta;
    const province = event.data.provinceId;
    if (province) entry.provinceCounts[province] = (entry.provinceCounts[province] ?? 0) + delta;
    this.counts.set(event.data.petitionId, entry);
  }

  /** Moves the position past events that do not concern signatures. */
  advanceTo(position: bigint): void {
    if (position > this.position) this.position = position;
  }

  tallyOf(petitionId: string): SignatureTally {
    const entry = this.counts.get(petitionId);
    return {
      count: entry?.count ?? 0,
      provinceCounts: { ...(entry?.provinceCounts ?? {}) },
      countedUpToPosition: this.position.toString(),
    };
  }
}

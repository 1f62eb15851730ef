/**
 * Live signature counts per petition, folded from signature events in position order.
 * Pure: the command side keeps one in memory and catches it up by reading only the signature
 * events appended since its last position, so a count never replays a petition's history.
 *
 * Invalidations and reinstatements fold by the rule in ./invalidation.events.ts. To apply it the
 * tally remembers, per petition, only the signatures withdrawn or invalidated (few), never every
 * signature.
 */
import type { SignatureTally } from '../petition/petition.commands';
import type { InvalidationEvent } from './invalidation.events';
import type { SignatureEvent } from './signature.events';

export interface PetitionCount {
  count: number;
  provinceCounts: Record<string, number>;
  /** Signatures invalidated now, and their province (regional petitions). */
  invalidated: Map<string, string | undefined>;
  /** Signatures withdrawn (ids are never reused: a signer who signs again gets a new one). */
  withdrawn: Set<string>;
}

export class SignatureTallies {
  private readonly counts = new Map<string, PetitionCount>();
  private position = 0n;

  get lastPosition(): bigint {
    return this.position;
  }

  apply(event: SignatureEvent | InvalidationEvent, position: bigint): void {
    if (position <= this.position) return; // already counted
    this.position = position;
    const entry = this.entry(event.data.petitionId);
    switch (event.type) {
      case 'PetitionSigned':
        this.add(entry, event.data.provinceId, 1);
        return;
      case 'SignatureWithdrawn':
        entry.withdrawn.add(event.data.signatureId);
        // An invalidated signature is not counted: withdrawing it changes no count.
        if (entry.invalidated.delete(event.data.signatureId)) return;
        this.add(entry, event.data.provinceId, -1);
        return;
      case 'SignaturesInvalidated':
        for (const s of event.data.signatures) {
          if (entry.withdrawn.has(s.signatureId) || entry.invalidated.has(s.signatureId)) continue;
          entry.invalidated.set(s.signatureId, s.provinceId);
          this.add(entry, s.provinceId, -1);
        }
        return;
      case 'SignaturesReinstated':
        for (const s of event.data.signatures) {
          if (!entry.invalidated.delete(s.signatureId)) continue;
          this.add(entry, s.provinceId, 1);
        }
        return;
    }
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

  /** How many of the petition's signatures are invalidated now. */
  invalidatedOf(petitionId: string): number {
    return this.counts.get(petitionId)?.invalidated.size ?? 0;
  }

  private entry(petitionId: string): PetitionCount {
    let entry = this.counts.get(petitionId);
    if (!entry) this.counts.set(petitionId, (entry = { count: 0, provinceCounts: {}, invalidated: new Map(), withdrawn: new Set() }));
    return entry;
  }

  private add(entry: PetitionCount, province: string | undefined, delta: number): void {
    entry.count += delta;
    if (province) entry.provinceCounts[province] = (entry.provinceCounts[province] ?? 0) + delta;
  }
}

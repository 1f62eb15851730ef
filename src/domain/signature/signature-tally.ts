/**
 * Live signature counts per petition, folded from signature events in position order.
 * Pure: the command side keeps one in memory and catches it up by reading only the signature
 * events appended since its last position, so a count never replays a petition's history.
 *
 * Invalidations and reinstatements fold by the rule in ./invalidation.events.ts. To apply it the
 * tally remembers, per petition, only the signatures withdrawn or invalidated (few), never every
 * signature.
 *
 * A tally can be saved and loaded again (`toSnapshot` / `fromSnapshot`): a versioned plain value
 * whose size grows with petitions (and their few withdrawn or invalidated signatures), never with
 * the signatures themselves, so a process restarts from it and reads only the events after it.
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

/** The event at a snapshot's position: a loader checks the store still holds it there. */
export interface SnapshotAnchor {
  eventId: string;
  streamId: string;
  revision: string;
}

export const TALLY_SNAPSHOT_VERSION = 1;

/** Version 1 of a saved tally (JSON). Positions and revisions are decimal strings (bigint). */
export interface TallySnapshotV1 {
  version: 1;
  position: string;
  anchor: SnapshotAnchor;
  petitions: {
    petitionId: string;
    count: number;
    provinceCounts: Record<string, number>;
    /** Signature id and province (null: a petition of one council). */
    invalidated: [string, string | null][];
    withdrawn: string[];
  }[];
}

/** A snapshot that must not be trusted: it does not parse, has an unknown version, or breaks the shape. */
export class TallySnapshotError extends Error {
  override name = 'TallySnapshotError';
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

  /** The tally as a snapshot value; `anchor` is the event at `lastPosition`. */
  toSnapshot(anchor: SnapshotAnchor): TallySnapshotV1 {
    return {
      version: TALLY_SNAPSHOT_VERSION,
      position: this.position.toString(),
      anchor: { ...anchor },
      petitions: [...this.counts].map(([petitionId, e]) => ({
        petitionId,
        count: e.count,
        provinceCounts: { ...e.provinceCounts },
        invalidated: [...e.invalidated].map(([id, province]): [string, string | null] => [id, province ?? null]),
        withdrawn: [...e.withdrawn],
      })),
    };
  }

  /**
   * A tally from a snapshot value (already JSON-parsed), checked field by field: anything but a
   * well-formed version 1 throws TallySnapshotError, so a caller never counts from a corrupt one.
   */
  static fromSnapshot(value: unknown): { tallies: SignatureTallies; anchor: SnapshotAnchor } {
    const bad = (what: string): never => {
      throw new TallySnapshotError(`tally snapshot: ${what}`);
    };
    if (!isObject(value)) return bad('not an object');
    if (value.version !== TALLY_SNAPSHOT_VERSION) return bad(`unknown version ${JSON.stringify(value.version)}`);
    const position = decimal(value.position) ?? bad('position');
    const anchor = value.anchor;
    if (!isObject(anchor) || !nonEmpty(anchor.eventId) || !nonEmpty(anchor.streamId) || decimal(anchor.revision) === undefined) return bad('anchor');
    if (position === 0n) return bad('position 0');
    if (!Array.isArray(value.petitions)) return bad('petitions');
    const tallies = new SignatureTallies();
    tallies.position = position;
    for (const p of value.petitions as unknown[]) {
      if (!isObject(p) || !nonEmpty(p.petitionId) || tallies.counts.has(p.petitionId)) return bad('petition id');
      const at = p.petitionId;
      if (!isCount(p.count)) return bad(`count of ${at}`);
      const provinceCounts: Record<string, number> = {};
      if (!isObject(p.provinceCounts)) return bad(`province counts of ${at}`);
      for (const [province, n] of Object.entries(p.provinceCounts)) {
        if (!nonEmpty(province) || !isCount(n)) return bad(`province counts of ${at}`);
        provinceCounts[province] = n;
      }
      if (!Array.isArray(p.invalidated) || !Array.isArray(p.withdrawn)) return bad(`signature lists of ${at}`);
      const invalidated = new Map<string, string | undefined>();
      for (const pair of p.invalidated as unknown[]) {
        if (!Array.isArray(pair) || pair.length !== 2 || !nonEmpty(pair[0]) || !(pair[1] === null || nonEmpty(pair[1]))) return bad(`invalidated of ${at}`);
        invalidated.set(pair[0], pair[1] ?? undefined);
      }
      const withdrawn = new Set<string>();
      for (const id of p.withdrawn as unknown[]) {
        if (!nonEmpty(id)) return bad(`withdrawn of ${at}`);
        withdrawn.add(id);
      }
      tallies.counts.set(at, { count: p.count, provinceCounts, invalidated, withdrawn });
    }
    return { tallies, anchor: { eventId: anchor.eventId, streamId: anchor.streamId, revision: anchor.revision as string } };
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
/** A non-negative decimal integer string as bigint, else undefined. */
const decimal = (v: unknown): bigint | undefined => (typeof v === 'string' && /^(0|[1-9][0-9]{0,19})$/.test(v) ? BigInt(v) : undefined);

/**
 * Fraud checks on a petition's signatures, on one stream per petition: `invalidations-<petitionId>`.
 *
 * One event per decision, listing every signature it matched at decision time (ids, signer hash,
 * province), so folding it never depends on what was signed later: a replay gives the same
 * result. A reinstatement names the invalidation it reverses and the signatures it gives back.
 *
 * How counts fold (the tally, the petition page and the signatures list apply the same rule, in
 * global position order): a listed signature stops being counted from the invalidation on, unless
 * it was already withdrawn or invalidated; a withdrawal of an invalidated signature changes no
 * count; a reinstatement counts again each listed signature that is still invalidated.
 */
import type { SignatureChannel } from './signature.events';

/** What the clerk asked for; every given criterion must hold (AND). */
export interface InvalidationCriteria {
  /** Signed at or after (ISO instant). */
  signedFrom?: string;
  /** Signed before (ISO instant, exclusive). */
  signedBefore?: string;
  channel?: SignatureChannel;
  provinceId?: string;
  /** Paper signatures entered from this numbered sheet (`paperSheet.sheet` of PetitionSigned.v2). */
  paperSheet?: number;
  /**
   * Decisions taken before paper sheets were numbered named a sheet by its free-text reference;
   * such a stored decision keeps it as recorded. New decisions never carry it.
   */
  paperSheetRef?: string;
  signatureIds?: string[];
}

export interface ListedSignature {
  signatureId: string;
  signerHash: string;
  provinceId?: string;
}

export interface SignaturesInvalidated {
  type: 'SignaturesInvalidated';
  data: {
    petitionId: string;
    invalidationId: string;
    /** One of INVALIDATION_REASON_CODES. */
    reasonCode: string;
    criteria: InvalidationCriteria;
    /** The signatures matched and counted at decision time, each checked against its own stream. */
    signatures: ListedSignature[];
    count: number;
    /** Per province, for regional petitions. */
    provinceCounts?: Record<string, number>;
    /** The petition's status when decided: collecting, or submitted (the bureau's verification). */
    petitionStatus: 'collecting' | 'submitted';
    invalidatedAt: string;
  };
}

export interface SignaturesReinstated {
  type: 'SignaturesReinstated';
  data: {
    petitionId: string;
    invalidationId: string;
    /** One of REINSTATEMENT_REASON_CODES. */
    reasonCode: string;
    signatures: ListedSignature[];
    count: number;
    provinceCounts?: Record<string, number>;
    reinstatedAt: string;
  };
}

export type InvalidationEvent = SignaturesInvalidated | SignaturesReinstated;

export const invalidationStreamId = (petitionId: string) => `invalidations-${petitionId}`;

/** Signatures per province among `signatures` (undefined when none has a province). */
export function provinceCountsOf(signatures: ListedSignature[]): Record<string, number> | undefined {
  const counts: Record<string, number> = {};
  for (const s of signatures) if (s.provinceId) counts[s.provinceId] = (counts[s.provinceId] ?? 0) + 1;
  return Object.keys(counts).length ? counts : undefined;
}

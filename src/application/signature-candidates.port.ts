/**
 * Where a fraud check finds the signatures its criteria may match, without reading every signer
 * stream: an indexed query on the signatures read model (src/read-models/signatures). Only a
 * selection: the decision is taken on what each candidate's own signer stream says.
 */
import type { InvalidationCriteria } from '../domain/signature/invalidation.events';

export const SIGNATURE_CANDIDATES = Symbol('SIGNATURE_CANDIDATES');

export interface SignatureCandidate {
  signatureId: string;
  signerHash: string;
}

export interface CandidateSelection {
  candidates: SignatureCandidate[];
  /** The read model's position when selected (decimal string): signatures after it were not seen. */
  upToPosition: string;
}

export interface SignatureCandidates {
  /** Signatures of the petition, counted or invalidated, that may match; at most `limit`. */
  select(petitionId: string, criteria: InvalidationCriteria, limit: number): Promise<CandidateSelection>;
  /** The given signatures of the petition (for a reinstatement). */
  byIds(petitionId: string, signatureIds: string[]): Promise<SignatureCandidate[]>;
}

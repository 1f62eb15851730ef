/**
 * Signature events, on one stream per (petition, signer): `signature-<petitionId>-<signerHash>`.
 * The signer is known only by a keyed hash of their identity number (HMAC-SHA256 with a server
 * secret, scoped to the petition): never the number, name or address.
 */

import type { PaperSheetLine, SealedSignatoryData } from '../vault/signatory-data';

export type SignatureChannel = 'online' | 'paper';
/** The signer's link to the territory, as the organic laws list them. */
export type SignerBasis = 'residence' | 'economic_activity' | 'commercial_activity' | 'professional_activity';
export const SIGNER_BASES: SignerBasis[] = ['residence', 'economic_activity', 'commercial_activity', 'professional_activity'];

export type ElectoralEligibility = 'registered' | 'meets-registration-conditions' | 'not-required';

export interface PetitionSigned {
  type: 'PetitionSigned';
  data: {
    petitionId: string;
    signatureId: string;
    signerHash: string;
    channel: SignatureChannel;
    basis: SignerBasis;
    /**
     * v2. What the signer declared of the electoral-list condition, as the level's law words it:
     * `registered` (v1 events, which recorded a declared registration), `meets-registration-conditions`
     * (communes and provinces), `not-required` (regions have no such condition).
     */
    electoralEligibility: ElectoralEligibility;
    /** The province the signer declares (regional petitions count a share per province). */
    provinceId?: string;
    /** PetitionSigned.v1 only: the free-text sheet reference, kept as stored (v2 records `paperSheet`). */
    paperSheetRef?: string;
    /** Paper signatures (v2): the sheet and line numbers they were entered from. */
    paperSheet?: PaperSheetLine;
    /** v2: the signatory's particulars, sealed (ciphertext and key id only; see vault/signatory-data.ts). */
    signatory?: SealedSignatoryData;
    /** The exact text version signed. */
    textDigest: string;
    signedAt: string;
  };
}

export interface SignatureWithdrawn {
  type: 'SignatureWithdrawn';
  data: {
    petitionId: string;
    signatureId: string;
    signerHash: string;
    provinceId?: string;
    withdrawnAt: string;
  };
}

export type SignatureEvent = PetitionSigned | SignatureWithdrawn;

export const signatureStreamPrefix = (petitionId: string) => `signature-${petitionId}-`;
export const signatureStreamId = (petitionId: string, signerHash: string) => `${signatureStreamPrefix(petitionId)}${signerHash}`;

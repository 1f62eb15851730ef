/**
 * What the law asks the council to verify about each signatory — full name, identity-card number,
 * address and, for a regional petition, the province — is personal data (Law 09-08). It never enters
 * an event in clear: the signature event carries it sealed with a data key of its own (AES-256-GCM),
 * and only the key id names that key. Deleting the key (erasure, retention) makes the data
 * unreadable everywhere while the event, its hash chain and the counts stay as they were.
 */

/** The signatory's particulars, as entered from the paper sheet or attested by the identity provider. */
export interface SignatoryData {
  fullName: string;
  identityNumber: string;
  address: string;
  /** Regional petitions: the province or prefecture the signatory belongs to. */
  provinceId?: string;
  /** Where the particulars come from: typed from a paper sheet, or the identity provider's claims. */
  source: 'paper_sheet' | 'identity_provider' | 'declared';
}

/** The sealed particulars, as stored in the PetitionSigned event: ciphertext and a key id only. */
export interface SealedSignatoryData {
  /** Always AES-256-GCM with a 96-bit IV and a 128-bit tag. */
  alg: 'A256GCM';
  /** The data key, in the key store (deleted on erasure or at the end of retention). */
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** A paper signature's place on the filed sheets: numbers only, so it can never carry a name. */
export interface PaperSheetLine {
  sheet: number;
  line: number;
}

export const MAX_SHEET = 100_000;
export const MAX_LINE = 1_000;

/** Letters (any script), combining marks, spaces, apostrophes, dots and hyphens: a name, never a number. */
export const FULL_NAME = /^[\p{L}\p{M}][\p{L}\p{M}' .\u2019-]*$/u;

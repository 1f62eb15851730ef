/**
 * Events of a petition's signatory data (`signatory-data-<petitionId>`): who downloaded the
 * signatory list, which signatories' data was erased and why, and the shredding of all of it at
 * the end of the retention period. None carries a name, number or address; only key ids,
 * signature ids and counts.
 */

export type SignatoryListFormat = 'csv' | 'html';
export const SIGNATORY_LIST_FORMATS: SignatoryListFormat[] = ['csv', 'html'];

export interface SignatoryListDownloaded {
  type: 'SignatoryListDownloaded';
  data: {
    petitionId: string;
    format: SignatoryListFormat;
    /** Signatures on the list (withdrawn ones excluded). */
    rows: number;
    /** Of those, rows whose particulars were erased and print as such. */
    erasedRows: number;
    /** Why the downloader may: the petition's agent, or a clerk of its council. */
    as: 'petition_agent' | 'council_clerk';
    downloadedAt: string;
  };
}

/** Who asked for an erasure: the signatory (identity attested by the token), or an admin acting on a paper request. */
export type ErasureRequester = 'signatory' | 'admin';

export interface SignatoryDataErased {
  type: 'SignatoryDataErased';
  data: {
    petitionId: string;
    signatureId: string;
    keyId: string;
    requestedBy: ErasureRequester;
    /** Admin erasures: the reference of the written request (letters, digits, / and -). */
    requestReference?: string;
    erasedAt: string;
  };
}

export interface SignatoryDataShredded {
  type: 'SignatoryDataShredded';
  data: {
    petitionId: string;
    /** When the petition's life ended (closed or withdrawn), from which the retention period ran. */
    endedAt: string;
    retentionMonths: number;
    keysDeleted: number;
    shreddedAt: string;
  };
}

export type VaultEvent = SignatoryListDownloaded | SignatoryDataErased | SignatoryDataShredded;

export const vaultStreamId = (petitionId: string) => `signatory-data-${petitionId}`;

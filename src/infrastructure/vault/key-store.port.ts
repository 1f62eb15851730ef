/**
 * The signatory-data key store: one data key per signature, wrapped by the vault's master key.
 * It is the only place a key lives, and it really deletes: once a key is gone, the sealed
 * particulars in the signature event can never be read again (crypto-shredding), while the
 * event, its hash chain and every count stay valid.
 */
export const KEY_STORE = Symbol('KEY_STORE');

export interface SignerKeyRecord {
  keyId: string;
  petitionId: string;
  signatureId: string;
  /**
   * Keyed hash of the signatory's identity number, not scoped to a petition: finds all of a
   * person's keys for an erasure request. Lives only here, and goes with the key.
   */
  subjectHash: string;
  /** The data key wrapped with the master key: iv (12) ‖ tag (16) ‖ ciphertext (32). */
  wrappedKey: Buffer;
  /** Which master key wrapped it (rotation: docs/operations.md). */
  masterKeyId: string;
  createdAt: string;
}

export interface KeyStore {
  put(record: SignerKeyRecord): Promise<void>;
  /** The records of these keys that still exist (erased ones are simply absent). */
  getMany(keyIds: string[]): Promise<Map<string, SignerKeyRecord>>;
  /** A person's keys, optionally on one petition only. */
  findBySubject(subjectHash: string, petitionId?: string): Promise<SignerKeyRecord[]>;
  /** Deletes these keys for good; returns how many existed. */
  delete(keyIds: string[]): Promise<number>;
  /** Deletes every key of a petition for good (end of retention); returns how many existed. */
  deletePetition(petitionId: string): Promise<number>;
  close(): Promise<void>;
}

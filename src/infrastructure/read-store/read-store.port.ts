/**
 * The read-store port: collections of JSON documents, shaped like the MongoDB collections the
 * production adapter maps them to. The embedded store keeps them in SQLite tables. Projections
 * are written once against this port (see src/projections).
 *
 * Idempotence: every document remembers `_position`, the global position of the last event
 * applied to it; a write guarded by position lands only if it is newer, so a replayed event
 * changes nothing. Checkpoints are written in the same atomic commit as the documents.
 */

export const READ_STORE = Symbol('READ_STORE');

export type Scalar = string | number | boolean | null;

export interface ReadDocument {
  _id: string;
  /** Global position (decimal string) of the last event applied to this document. */
  _position?: string;
  [field: string]: unknown;
}

/** Conditions on one field (dot paths allowed: `council.level`). */
export type FieldCondition = Scalar | { $eq?: Scalar; $ne?: Scalar; $in?: Scalar[]; $gt?: Scalar; $gte?: Scalar; $lt?: Scalar; $lte?: Scalar };

/** Fields are ANDed. `$text` searches the collection's text fields (words, any order). */
export type Filter = { [field: string]: FieldCondition | undefined } & { $text?: string };

export interface SortSpec {
  field: string;
  direction: 1 | -1;
}

export interface FindOptions {
  /** One sort key; ties are broken by _id in the same direction. Default: _id ascending. */
  sort?: SortSpec;
  /** Default 50, at most 1000. */
  limit?: number;
  /** The `nextCursor` of the previous page (opaque). */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Null on the last page. */
  nextCursor: string | null;
}

export interface IndexSpec {
  /** Compound index, in order. */
  fields: SortSpec[];
  unique?: boolean;
}

export interface CollectionSpec {
  name: string;
  indexes: IndexSpec[];
  /** Fields searched by `$text` (e.g. title, subject). */
  textFields?: string[];
}

export interface DocumentWrite {
  collection: string;
  doc: ReadDocument;
  /**
   * Guarded write: applied only if the stored document is absent or its `_position` is lower
   * than `doc._position`. Unguarded writes replace whatever is stored.
   */
  guarded: boolean;
}

export interface WriteBatch {
  puts: DocumentWrite[];
  deletes: { collection: string; id: string }[];
  /** Stored atomically with the documents. */
  checkpoint?: { name: string; position: bigint };
  /**
   * When set, the commit fails with FencedError (writing nothing) unless `token` is still the
   * current token of lease `lease`: a projector that lost its lease cannot overwrite its successor.
   */
  fence?: { lease: string; token: number };
}

export interface Lease {
  name: string;
  owner: string;
  /** Grows every time the lease changes hands. */
  token: number;
  expiresAt: number;
}

export class FencedError extends Error {
  override name = 'FencedError';
}

export interface ReadStore {
  /** Creates the collection and its declared indexes if missing (idempotent). */
  ensureCollection(spec: CollectionSpec): Promise<void>;
  dropCollection(name: string): Promise<void>;
  get<T extends ReadDocument>(collection: string, id: string): Promise<T | null>;
  getMany<T extends ReadDocument>(collection: string, ids: string[]): Promise<T[]>;
  find<T extends ReadDocument>(collection: string, filter?: Filter, options?: FindOptions): Promise<Page<T>>;
  count(collection: string, filter?: Filter): Promise<number>;
  /** All writes and the checkpoint, atomically. */
  commit(batch: WriteBatch): Promise<void>;
  getCheckpoint(name: string): Promise<bigint | null>;
  deleteCheckpoint(name: string): Promise<void>;
  /**
   * Takes the lease if it is free, expired, or already ours (then renews it, same token).
   * Returns null when another owner holds it. `nowMs` comes from the caller's clock.
   */
  acquireLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<Lease | null>;
  releaseLease(name: string, owner: string): Promise<void>;
  /** Small key-value settings shared by projector instances (e.g. which generation is live). */
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
  close(): Promise<void>;
  /**
   * Optional: a bulk load (a rebuild's replay) starts on this connection (`true`) or ends
   * (`false`). A store may then write differently for this connection only (the embedded store
   * checkpoints its write-ahead log less often); what a commit guarantees does not change.
   */
  bulkLoad?(on: boolean): Promise<void>;
}

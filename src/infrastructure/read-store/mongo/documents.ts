/**
 * MongoDB read store: documents and writes. A stored document is the port document's JSON form
 * plus `_pos`, the Int64 copy of `_position` that guarded writes compare (stripped on read); a
 * commit's puts and deletes become one bulkWrite per collection.
 */
import { Long } from 'mongodb';
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { WriteBatch } from '../read-store.port';
import { collectionName, INT64_MAX, parsePosition } from '../read-store.rules';

/** A document as stored in MongoDB: string `_id` (never an ObjectId). */
export interface StoredDocument extends Document {
  _id: string;
}

/** Numeric copy of `_position` (Int64), compared by guarded writes; stripped on read. */
export const POSITION_FIELD = '_pos';

export type PreparedWrites = Map<string, { operations: AnyBulkWriteOperation<StoredDocument>[]; ordered: boolean }>;

/** The BSON Int64 stored for a position (exact far above 2^53, where a double is not). */
export function positionToLong(position: string | bigint): Long {
  const value = typeof position === 'bigint' ? position : parsePosition(position);
  if (value < 0n || value > INT64_MAX) throw new RangeError(`Position ${value} is outside [0, 2^63)`);
  return Long.fromBigInt(value);
}

/** Reads back a stored position (the driver promotes Int64 values below 2^53 to numbers). */
export function longToPosition(value: unknown): bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string') return parsePosition(value);
  if (Long.isLong(value)) return value.toBigInt();
  throw new TypeError(`Not a stored position: ${JSON.stringify(value) ?? typeof value}`);
}

/**
 * The stored form of a port document: its JSON form (as the embedded store keeps it: undefined
 * fields dropped, dates as strings) plus `_pos`, the Int64 copy of `_position` when present.
 * Throws TypeError for a missing string `_id` or a malformed `_position`.
 */
export function toStoredDocument(collection: string, doc: unknown): StoredDocument {
  if (doc === null || typeof doc !== 'object' || typeof (doc as { _id?: unknown })._id !== 'string') {
    throw new TypeError(`A document written to ${collection} needs a string _id`);
  }
  const json = JSON.parse(JSON.stringify(doc)) as StoredDocument;
  delete json[POSITION_FIELD];
  const position = (doc as { _position?: unknown })._position;
  if (position !== undefined) json[POSITION_FIELD] = positionToLong(parsePosition(position, `${collection}/${json._id}`));
  return json;
}

/** The port form of a stored document (without `_pos`). */
export function fromStoredDocument<T>(stored: Document): T {
  const { [POSITION_FIELD]: _pos, ...doc } = stored;
  void _pos;
  return doc as T;
}

/**
 * Update pipeline of a guarded put: replaces the stored document only if it has no `_pos` or a
 * lower one, and otherwise keeps it (`$$ROOT`). With `upsert: true` on `{ _id }` it is one atomic
 * statement that never fails on a stale write: an upsert whose filter also tested `_pos` would
 * raise E11000 against a newer document, and any write error aborts the whole transaction.
 * `$literal` keeps values such as "$x" from being read as expressions.
 */
export function guardedReplacePipeline(stored: StoredDocument): Document[] {
  const position = stored[POSITION_FIELD];
  if (position === undefined) throw new TypeError(`A guarded write (${stored._id}) needs _position`);
  const current = `$${POSITION_FIELD}`;
  return [
    {
      $replaceWith: {
        $cond: {
          if: { $or: [{ $eq: [{ $type: current }, 'missing'] }, { $eq: [current, null] }, { $lt: [current, position] }] },
          then: { $literal: stored },
          else: '$$ROOT',
        },
      },
    },
  ];
}

/**
 * The batch's writes as one bulkWrite per collection: the puts in order, then the deletes.
 * Unordered (the server may apply them in any order) only when no id is written twice in that
 * collection. Validates names, ids and positions (TypeError).
 */
export function prepareWrites(batch: WriteBatch): PreparedWrites {
  const groups = new Map<string, { operations: AnyBulkWriteOperation<StoredDocument>[]; ids: Set<string>; ordered: boolean }>();
  const group = (collection: string, id: string) => {
    const name = collectionName(collection);
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { operations: [], ids: new Set(), ordered: false }));
    if (g.ids.has(id)) g.ordered = true;
    g.ids.add(id);
    return g;
  };
  for (const put of batch.puts ?? []) {
    const stored = toStoredDocument(put.collection, put.doc);
    if (put.guarded && stored[POSITION_FIELD] === undefined) {
      throw new TypeError(`A guarded write (${put.collection}/${stored._id}) needs _position`);
    }
    const g = group(put.collection, stored._id);
    if (put.guarded) {
      g.operations.push({ updateOne: { filter: { _id: stored._id }, update: guardedReplacePipeline(stored), upsert: true } });
    } else {
      const { _id, ...replacement } = stored;
      g.operations.push({ replaceOne: { filter: { _id }, replacement, upsert: true } });
    }
  }
  for (const del of batch.deletes ?? []) {
    if (typeof del.id !== 'string') throw new TypeError('Document ids are strings');
    group(del.collection, del.id).operations.push({ deleteOne: { filter: { _id: del.id } } });
  }
  return new Map([...groups].map(([name, g]) => [name, { operations: g.operations, ordered: g.ordered }]));
}

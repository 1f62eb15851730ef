/**
 * The read-store rules every adapter shares (and the read models may rely on), written once:
 * collection names and field paths, filter scalars, `_position` and checkpoint positions,
 * sort and limit defaults, the opaque page cursor, `$text` word splitting and the searchable
 * text of a field. Pure: no I/O, no adapter imports. The SQLite and MongoDB adapters
 * (./sqlite, ./mongo) and src/read-models/shared/query-params.ts use these, so that a cursor
 * or a position means the same thing everywhere. The contract suite
 * (test/read-store/read-store.contract.ts) pins the behaviour.
 */
import type { IndexSpec, Scalar, SortSpec } from './read-store.port';

// ---------------------------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------------------------

export const DEFAULT_FIND_LIMIT = 50;
export const MAX_FIND_LIMIT = 1000;

/** The port's limit: default 50, clamped to 1000; below 1 or not an integer throws RangeError. */
export function resolveLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_FIND_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be an integer >= 1 (got ${String(limit)})`);
  }
  return Math.min(limit, MAX_FIND_LIMIT);
}

// ---------------------------------------------------------------------------------------------
// Names, paths and values
// ---------------------------------------------------------------------------------------------

const COLLECTION_NAME = /^[A-Za-z0-9_]+$/;
/** Dot paths of plain keys: `title`, `council.level`. */
const FIELD_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

/** Collection names: `[A-Za-z0-9_]+` (so they never collide with MongoDB's `readstore.*` or SQL). */
export function collectionName(name: unknown): string {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw new TypeError(`Invalid collection name ${JSON.stringify(name)}: use [A-Za-z0-9_] only`);
  }
  return name;
}

/** Field paths: dot-separated `[A-Za-z0-9_]+` keys (no `$`, so no operator can be smuggled in). */
export function fieldPath(field: unknown): string {
  if (typeof field !== 'string' || !FIELD_PATH.test(field)) {
    throw new TypeError(`Invalid field path ${JSON.stringify(field)}: use dot-separated [A-Za-z0-9_] keys`);
  }
  return field;
}

/** The filter operators of the port. */
export const FILTER_OPERATORS: ReadonlySet<string> = new Set(['$eq', '$ne', '$in', '$gt', '$gte', '$lt', '$lte']);

/** A filter value: a string, a finite number, a boolean or null; anything else throws TypeError. */
export function scalar(field: string, value: unknown): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`${field}: filter values are strings, finite numbers, booleans or null`);
}

/** Value at a dot path (`council.level`); undefined if a step is missing or not an object. */
export function valueAtPath(doc: unknown, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

// ---------------------------------------------------------------------------------------------
// Positions: canonical decimal strings below 2^63 in documents, bigints in checkpoints.
// ---------------------------------------------------------------------------------------------

export const INT64_MAX = (1n << 63n) - 1n;
const CANONICAL_POSITION = /^(0|[1-9][0-9]*)$/;

/** A document's `_position`: a canonical non-negative decimal integer string below 2^63. */
export function parsePosition(position: unknown, where = 'document'): bigint {
  if (typeof position === 'string' && CANONICAL_POSITION.test(position)) {
    const value = BigInt(position);
    if (value <= INT64_MAX) return value;
  }
  throw new TypeError(`${where}: _position must be a decimal integer string below 2^63 (got ${JSON.stringify(position)})`);
}

/** A checkpoint position: a bigint in [0, 2^63). */
export function checkCheckpointPosition(name: string, position: unknown): bigint {
  if (typeof position !== 'bigint' || position < 0n || position > INT64_MAX) {
    throw new RangeError(`Checkpoint ${name}: position must be a bigint in [0, 2^63)`);
  }
  return position;
}

// ---------------------------------------------------------------------------------------------
// Sorting and indexes
// ---------------------------------------------------------------------------------------------

export const DEFAULT_SORT: SortSpec = { field: '_id', direction: 1 };

/** One sort key (default `_id` ascending); a bad path or direction throws TypeError. */
export function resolveSort(sort: SortSpec | undefined | null): SortSpec {
  if (sort === undefined || sort === null) return DEFAULT_SORT;
  if (sort.field !== '_id') fieldPath(sort.field);
  if (sort.direction !== 1 && sort.direction !== -1) throw new TypeError('Sort direction is 1 or -1');
  return sort;
}

/** The validated keys of a declared index (at least one, each a valid sort key). */
export function indexFields(index: IndexSpec): SortSpec[] {
  if (!index || !Array.isArray(index.fields) || index.fields.length === 0) {
    throw new TypeError('An index needs at least one field');
  }
  return index.fields.map((f) => resolveSort(f));
}

// ---------------------------------------------------------------------------------------------
// Cursors: base64url of the JSON `[lastSortValue, lastId]`
// ---------------------------------------------------------------------------------------------

export type CursorValue = string | number | boolean | null;
export type CursorPosition = [value: CursorValue, id: string];

/** Opaque cursor: base64url of the JSON `[lastSortValue, lastId]`. */
export function encodeCursor(value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id]), 'utf8').toString('base64url');
}

export interface DecodeCursorOptions {
  /** Whether a boolean sort value is accepted (MongoDB sorts booleans; SQLite pages never hold one). */
  booleans?: boolean;
}

/** Decodes a cursor; anything malformed (including a refused boolean) throws RangeError('Invalid cursor'). */
export function decodeCursor(cursor: unknown, options: DecodeCursorOptions = {}): CursorPosition {
  let parsed: unknown;
  try {
    if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('Invalid cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[1] !== 'string' ||
    !isCursorValue(parsed[0]) ||
    (options.booleans === false && typeof parsed[0] === 'boolean')
  ) {
    throw new RangeError('Invalid cursor');
  }
  return [parsed[0], parsed[1]];
}

export function isCursorValue(value: unknown): value is CursorValue {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

// ---------------------------------------------------------------------------------------------
// Text search
// ---------------------------------------------------------------------------------------------

/** A search word needs a letter or a digit. */
const WORDLIKE = /[\p{L}\p{N}]/u;

/** The words of a `$text` search: runs separated by white space that hold a letter or a digit. */
export function searchWords(search: string): string[] {
  return search.split(/\s+/u).filter((word) => WORDLIKE.test(word));
}

/** The searchable text of a field: a string, or the strings of an array (one per line); else null. */
export function searchableText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const strings = value.filter((v): v is string => typeof v === 'string');
    return strings.length > 0 ? strings.join('\n') : null;
  }
  return null;
}

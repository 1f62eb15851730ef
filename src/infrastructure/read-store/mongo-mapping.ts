/**
 * Pure mapping between the read-store port and MongoDB: names and paths, filter translation,
 * keyset pagination, cursors, positions, text-search quoting and index specs. No I/O, so it is
 * unit-tested without a server (test/read-store/mongo-mapping.spec.ts); MongoReadStore wires it
 * to the driver.
 *
 * The semantics follow the contract suite (test/read-store/read-store.contract.ts) and the
 * embedded adapter (sqlite-read-store.ts): same validation errors (TypeError for bad names,
 * paths, values and positions, RangeError for limits, cursors and checkpoints), MongoDB's own
 * type bracketing for filters, null/missing lowest in sorts.
 */
import { Long } from 'mongodb';
import type { Document, Filter as MongoFilter, IndexDescription, IndexDirection, SortDirection } from 'mongodb';
import type { CollectionSpec, Filter, IndexSpec, Scalar, SortSpec } from './read-store.port';

/** A document as stored in MongoDB: string `_id` (never an ObjectId). */
export interface StoredDocument extends Document {
  _id: string;
}

/** Numeric copy of `_position` (Int64), compared by guarded writes; stripped on read. */
export const POSITION_FIELD = '_pos';
/**
 * The text index's `language_override` field. MongoDB's default (`language`) would make any
 * document with a `language` field holding an unsupported language (e.g. "fr-BE") unwritable.
 */
export const TEXT_LANGUAGE_FIELD = '_textIndexLanguage';
/** Name of the (single) text index of a collection. */
export const TEXT_INDEX_NAME = 'text_search';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

// ---------------------------------------------------------------------------------------------
// Names and paths
// ---------------------------------------------------------------------------------------------

const COLLECTION_NAME = /^[A-Za-z0-9_]+$/;
/** Dot paths of plain keys: `title`, `council.level`. */
const FIELD_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

/** Collection names: `[A-Za-z0-9_]+` (so they never collide with the store's own `readstore.*`). */
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

// ---------------------------------------------------------------------------------------------
// Positions: canonical decimal strings below 2^63 in documents, Int64 in `_pos`.
// ---------------------------------------------------------------------------------------------

const INT64_MAX = (1n << 63n) - 1n;
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
  throw new TypeError(`Not a stored position: ${String(value)}`);
}

// ---------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------

const OPERATORS = new Set(['$eq', '$ne', '$in', '$gt', '$gte', '$lt', '$lte']);

function scalar(field: string, value: unknown): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`${field}: filter values are strings, finite numbers, booleans or null`);
}

/** `_id` is compared with strings only (null only for `$ne`). */
function idValue(field: string, op: string, value: Scalar): Scalar {
  if (field === '_id' && typeof value !== 'string' && !(op === '$ne' && value === null)) {
    throw new TypeError(`_id: ${op} takes strings`);
  }
  return value;
}

/**
 * One field's condition as a MongoDB operator document, or null when every operand is undefined.
 * MongoDB brackets types exactly as the port does: a number matches numbers, a string strings, a
 * boolean booleans; null (`$eq`, `$in`) matches null and missing; `$ne` matches missing.
 */
export function translateCondition(field: string, condition: unknown): Document | null {
  if (field !== '_id') fieldPath(field);
  if (condition === null || typeof condition !== 'object') {
    return { $eq: idValue(field, '$eq', scalar(field, condition)) };
  }
  if (Array.isArray(condition)) throw new TypeError(`${field}: arrays are not filter values`);
  if (Object.keys(condition).length === 0) throw new TypeError(`${field}: empty condition`);
  const out: Document = {};
  for (const [op, operand] of Object.entries(condition as Record<string, unknown>)) {
    if (!OPERATORS.has(op)) throw new TypeError(`${field}: unsupported operator ${op}`);
    if (operand === undefined) continue;
    if (op === '$in') {
      if (!Array.isArray(operand)) throw new TypeError(`${field}: $in takes an array`);
      out.$in = operand.map((v) => idValue(field, op, scalar(field, v)));
    } else if (op === '$eq' || op === '$ne') {
      out[op] = idValue(field, op, scalar(field, operand));
    } else {
      const value = scalar(field, operand);
      if (typeof value !== 'number' && typeof value !== 'string') throw new TypeError(`${field}: ${op} takes a number or a string`);
      out[op] = idValue(field, op, value);
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** A `$text` search: the words, each as the tokens it must match in a row. */
export interface TextQuery {
  /** Tokens of each word (a word like "l'école" is the two tokens l, école, adjacent). */
  words: string[][];
  /** The MongoDB `$search` string (every distinct token quoted), '' when there are no words. */
  search: string;
}

export interface TranslatedFilter {
  /** The MongoDB filter, including `$text` when the search has words. */
  filter: MongoFilter<StoredDocument>;
  /** Set when the port filter had `$text`. With no words, nothing matches. */
  text: TextQuery | null;
}

/**
 * The port filter as a MongoDB filter: one key per field (dot paths kept as such), fields ANDed,
 * undefined values ignored; anything else than the port's operators and scalar values throws
 * TypeError, so caller input can never become a MongoDB operator.
 */
export function translateFilter(filter: Filter | undefined | null): TranslatedFilter {
  const out: Document = {};
  let text: TextQuery | null = null;
  if (filter === undefined || filter === null) return { filter: out, text };
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new TypeError('A filter is an object');
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$text') {
      if (condition === undefined) continue;
      if (typeof condition !== 'string') throw new TypeError('$text takes a string');
      text = textQuery(condition);
      if (text.search) out.$text = { $search: text.search };
      continue;
    }
    if (field.startsWith('$')) throw new TypeError(`Unsupported filter operator ${field}`);
    if (condition === undefined) continue;
    const translated = translateCondition(field, condition);
    if (translated) out[field] = translated;
  }
  return { filter: out, text };
}

// ---------------------------------------------------------------------------------------------
// Text search
// ---------------------------------------------------------------------------------------------

/** A search word needs a letter or a digit. */
const WORDLIKE = /[\p{L}\p{N}]/u;
/** A token: letters, digits and private-use characters (with combining marks); the rest separates. */
const TOKEN = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*/gu;

/** Case- and diacritics-folded form, used to compare tokens. */
export function foldText(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '');
}

/** The tokens of a text, as written. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * A user's search as words (runs separated by white space that hold a letter or a digit), each
 * the list of its tokens; and the `$search` string for MongoDB: every distinct token quoted,
 * because MongoDB ORs bare terms but requires every quoted phrase. Quotes, minus signs
 * (negation) and all other punctuation never reach MongoDB: only letters and digits do.
 */
export function textQuery(search: string): TextQuery {
  const words = search
    .split(/\s+/u)
    .filter((word) => WORDLIKE.test(word))
    .map(tokenize)
    .filter((tokens) => tokens.length > 0);
  return { words, search: quoteTokens(words.flat()) };
}

/** `"a" "b"`: each distinct (folded) token quoted once. */
export function quoteTokens(tokens: readonly string[]): string {
  const seen = new Set<string>();
  const quoted: string[] = [];
  for (const token of tokens) {
    const folded = foldText(token);
    if (seen.has(folded)) continue;
    seen.add(folded);
    quoted.push(`"${token}"`);
  }
  return quoted.join(' ');
}

/** The `$search` string for a user's search (see textQuery); '' when it has no word. */
export function quoteTextSearch(search: string): string {
  return textQuery(search).search;
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

/** The searchable text of a field: a string, or the strings of an array (one after the other). */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const strings = value.filter((v): v is string => typeof v === 'string');
    return strings.length > 0 ? strings.join('\n') : null;
  }
  return null;
}

function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Whether every word occurs as whole tokens (in a row, within one text field), case- and
 * diacritics-insensitively. MongoDB's phrase matching is a substring match ("eclairage" is found
 * in "éclairages" once another word of the search selected the document through the index), so
 * the store re-checks MongoDB's candidates with this.
 */
export function documentMatchesText(doc: unknown, textFields: readonly string[], words: readonly string[][]): boolean {
  if (words.length === 0) return false;
  const fields: string[][] = [];
  for (const field of textFields) {
    const text = textOf(valueAtPath(doc, field));
    if (text !== null) fields.push(tokenize(text).map(foldText));
  }
  return words.every((word) => {
    const folded = word.map(foldText);
    return fields.some((tokens) => containsRun(tokens, folded));
  });
}

// ---------------------------------------------------------------------------------------------
// Sorting, limits, keyset pagination, cursors
// ---------------------------------------------------------------------------------------------

export const DEFAULT_SORT: SortSpec = { field: '_id', direction: 1 };

export function resolveSort(sort: SortSpec | undefined | null): SortSpec {
  if (sort === undefined || sort === null) return DEFAULT_SORT;
  if (sort.field !== '_id') fieldPath(sort.field);
  if (sort.direction !== 1 && sort.direction !== -1) throw new TypeError('Sort direction is 1 or -1');
  return sort;
}

/** The port's limit: default 50, clamped to 1000; below 1 or not an integer throws RangeError. */
export function resolveLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be an integer >= 1 (got ${String(limit)})`);
  }
  return Math.min(limit, MAX_LIMIT);
}

/**
 * MongoDB sort for (field, _id) in the same direction, as ordered pairs (an object would move
 * integer-like keys first). MongoDB sorts null and missing alike, below numbers, below strings.
 */
export function toMongoSort(sort: SortSpec | undefined): Array<[string, SortDirection]> {
  const s = resolveSort(sort);
  if (s.field === '_id') return [['_id', s.direction]];
  return [
    [s.field, s.direction],
    ['_id', s.direction],
  ];
}

export type CursorValue = string | number | boolean | null;
export type CursorPosition = [value: CursorValue, id: string];

/** Opaque cursor: base64url of the JSON `[lastSortValue, lastId]`. */
export function encodeCursor(value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id]), 'utf8').toString('base64url');
}

/** Decodes a cursor; anything malformed throws RangeError. */
export function decodeCursor(cursor: unknown): CursorPosition {
  let parsed: unknown;
  try {
    if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('Invalid cursor');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string' || !isCursorValue(parsed[0])) {
    throw new RangeError('Invalid cursor');
  }
  return [parsed[0], parsed[1]];
}

function isCursorValue(value: unknown): value is CursorValue {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** The cursor that continues after `doc` in `sort`. Values that are not scalars count as null. */
export function cursorAfter(doc: Document, sort: SortSpec | undefined): string {
  const s = resolveSort(sort);
  const id = String(doc._id);
  if (s.field === '_id') return encodeCursor(id, id);
  const value = valueAtPath(doc, s.field);
  return encodeCursor(isCursorValue(value) ? value : null, id);
}

/**
 * The documents after (value, id) in the order (field, _id), both in the sort's direction, with
 * null/missing lowest, then numbers, then strings (then booleans). Query operators only compare
 * within a type, so the types sorting after (ascending) or before (descending) the cursor's are
 * added as whole-type clauses. Each clause is an index range on (field, _id).
 */
export function keysetCondition(sort: SortSpec | undefined, after: CursorPosition): MongoFilter<StoredDocument> {
  const s = resolveSort(sort);
  const [value, id] = after;
  const up = s.direction === 1;
  const idAfter = { _id: { [up ? '$gt' : '$lt']: id } };
  if (s.field === '_id') return idAfter;
  const f = s.field;
  if (value === null) {
    return up ? { $or: [{ [f]: { $eq: null }, ...idAfter }, { [f]: { $ne: null } }] } : { [f]: { $eq: null }, ...idAfter };
  }
  const clauses: Document[] = [{ [f]: { $eq: value }, ...idAfter }, { [f]: { [up ? '$gt' : '$lt']: value } }];
  // Type order: null < numbers < strings < booleans (as MongoDB sorts them).
  const rank = typeof value === 'number' ? 1 : typeof value === 'string' ? 2 : 3;
  const types: Array<[number, Document]> = [
    [1, { $type: 'number' }],
    [2, { $type: 'string' }],
    [3, { $type: 'bool' }],
  ];
  for (const [r, type] of types) if (up ? r > rank : r < rank) clauses.push({ [f]: type });
  if (!up) clauses.push({ [f]: { $eq: null } });
  return { $or: clauses };
}

/** ANDs MongoDB filters: one object when their keys do not collide, else an `$and` of the rest. */
export function andFilters(...filters: Array<MongoFilter<StoredDocument> | undefined>): MongoFilter<StoredDocument> {
  const merged: Document = {};
  const rest: Document[] = [];
  for (const part of filters) {
    if (!part || Object.keys(part).length === 0) continue;
    if (Object.keys(part).some((k) => k in merged)) rest.push(part);
    else Object.assign(merged, part);
  }
  return rest.length === 0 ? merged : { ...merged, $and: rest };
}

// ---------------------------------------------------------------------------------------------
// Documents and writes
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Indexes
// ---------------------------------------------------------------------------------------------

function indexName(key: Array<[string, IndexDirection]>, unique: boolean): string {
  return (unique ? 'ux_' : 'ix_') + key.map(([f, d]) => `${f}_${String(d)}`).join('_');
}

/**
 * createIndexes descriptions for a collection spec: each declared index compound in the declared
 * order, then `_id` (in the last field's direction) so that keyset pages and ties are served by
 * the index; and one text index over the text fields (see textIndexDescription).
 */
export function indexDescriptions(spec: CollectionSpec): IndexDescription[] {
  const out = (spec.indexes ?? []).map(indexDescription);
  if (spec.textFields && spec.textFields.length > 0) out.push(textIndexDescription(spec.textFields));
  return out;
}

/**
 * A unique index is kept as declared (a trailing `_id` would make every key unique) and only
 * holds documents that have all its fields, so several documents may lack them (as in SQLite,
 * where NULLs never collide); an explicit null still counts as a value in MongoDB.
 */
export function indexDescription(index: IndexSpec): IndexDescription {
  if (!index || !Array.isArray(index.fields) || index.fields.length === 0) throw new TypeError('An index needs at least one field');
  const key: Array<[string, IndexDirection]> = index.fields.map((f) => {
    const s = resolveSort(f);
    return [s.field, s.direction];
  });
  const unique = index.unique === true;
  if (unique) {
    const partialFilterExpression: Document = {};
    for (const [field] of key) if (field !== '_id') partialFilterExpression[field] = { $exists: true };
    return {
      key: new Map(key),
      name: indexName(key, true),
      unique: true,
      ...(Object.keys(partialFilterExpression).length > 0 ? { partialFilterExpression } : {}),
    };
  }
  if (!key.some(([f]) => f === '_id')) key.push(['_id', index.fields[index.fields.length - 1].direction]);
  return { key: new Map(key), name: indexName(key, false) };
}

/**
 * The text index: `default_language: 'none'` (no stemming, no stop words; version 3 text
 * indexes fold case and diacritics) and a `language_override` field no document uses.
 */
export function textIndexDescription(textFields: readonly string[]): IndexDescription {
  return {
    key: new Map(textFields.map((f): [string, IndexDirection] => [fieldPath(f), 'text'])),
    name: TEXT_INDEX_NAME,
    default_language: 'none',
    language_override: TEXT_LANGUAGE_FIELD,
  };
}

/** The fields of a text index, from its listIndexes entry (`weights`); null for other indexes. */
export function textFieldsOfIndex(index: Document): string[] | null {
  if (!index || !index.key || index.key._fts !== 'text' || !index.weights) return null;
  return Object.keys(index.weights as Document).sort();
}

// ---------------------------------------------------------------------------------------------
// Connection strings
// ---------------------------------------------------------------------------------------------

/** The host list of a connection string, for messages: no scheme, credentials, path or options. */
export function describeMongoHosts(url: string): string {
  const withoutScheme = url.replace(/^[a-z0-9+.-]+:\/\//i, '');
  const end = withoutScheme.search(/[/?]/);
  const authority = end === -1 ? withoutScheme : withoutScheme.slice(0, end);
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  return hosts || '(no host)';
}

/** A message with a connection string's credentials (raw and URI-decoded) masked. */
export function redactCredentials(message: string, url: string): string {
  let safe = message;
  const userinfo = /^[a-z0-9+.-]+:\/\/([^@/?]*)@/i.exec(url)?.[1];
  if (userinfo) {
    const secrets = new Set<string>([userinfo]);
    for (const part of userinfo.split(':')) {
      secrets.add(part);
      try {
        secrets.add(decodeURIComponent(part));
      } catch {
        /* not URI-encoded */
      }
    }
    for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
      if (secret.length > 0) safe = safe.split(secret).join('***');
    }
  }
  return safe;
}

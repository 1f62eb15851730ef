/**
 * MongoDB read store: port filters translated to MongoDB filters. MongoDB brackets types as the
 * port does, so a condition maps operator for operator; caller input is validated on the way so
 * that it can never become a MongoDB operator. `$text` becomes a text-index search (text-search.ts).
 */
import type { Document, Filter as MongoFilter } from 'mongodb';
import type { Filter, Scalar } from '../read-store.port';
import { FILTER_OPERATORS, fieldPath, scalar } from '../read-store.rules';
import type { StoredDocument } from './documents';
import { TextQuery, textQuery } from './text-search';

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
    if (!FILTER_OPERATORS.has(op)) throw new TypeError(`${field}: unsupported operator ${op}`);
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

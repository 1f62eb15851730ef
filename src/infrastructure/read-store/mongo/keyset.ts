/**
 * MongoDB read store: sorting and keyset pagination. The sort is (field, _id) in one direction;
 * a page continues after the cursor of its predecessor through index ranges on (field, _id).
 * The cursor itself is the shared codec of ../read-store.rules.ts.
 */
import type { Document, Filter as MongoFilter, SortDirection } from 'mongodb';
import type { SortSpec } from '../read-store.port';
import { CursorPosition, encodeCursor, isCursorValue, resolveSort, valueAtPath } from '../read-store.rules';
import type { StoredDocument } from './documents';

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

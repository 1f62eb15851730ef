/**
 * SQLite read store: query planning for find and count. A find is keyset-paginated: its cursor
 * splits it into segments ("phases"), each one index range with its own WHERE term and ORDER BY,
 * read in turn until the page is full. Null and missing sort lowest; ties are broken by id.
 */
import type { Filter, FindOptions } from '../read-store.port';
import { CursorValue, decodeCursor, resolveLimit, resolveSort } from '../read-store.rules';
import type { CollectionCatalog, CollectionState } from './schema';
import { compileFilter, Condition, fieldExpr } from './filter';
import { textCondition } from './text-search';

export interface Query {
  sql: string;
  params: unknown[];
}

/** One keyset segment of a find: its own WHERE term and ORDER BY, each an index range. */
interface Phase {
  where: string | null;
  params: unknown[];
  orderBy: string;
}

export interface FindPlan {
  state: CollectionState;
  queries: Query[];
  limit: number;
  sortIsId: boolean;
}

/** A row a find query returns: the sort key `k` unless sorting by id. */
export interface FoundRow {
  id: string;
  doc: string;
  k?: CursorValue;
}

/** The field conditions and the `$text` search of a filter, ANDed. */
export function whereOf(state: CollectionState, conditions: Condition[], filter: Filter): Condition {
  const terms = conditions.map((c) => c.sql);
  const params = conditions.flatMap((c) => c.params);
  const text = filter?.$text;
  if (text !== undefined) {
    const condition = textCondition(state, text);
    terms.push(condition.sql);
    params.push(...condition.params);
  }
  return { sql: terms.map((t) => (terms.length > 1 ? `(${t})` : t)).join(' AND '), params };
}

/** The count query of a filter, or null when the collection does not exist. */
export function planCount(catalog: CollectionCatalog, collection: string, filter: Filter): { state: CollectionState; query: Query } | null {
  const conditions = compileFilter(filter);
  const state = catalog.state(collection);
  if (!state) return null;
  const where = whereOf(state, conditions, filter);
  return { state, query: { sql: `SELECT count(*) FROM ${state.table}${where.sql ? ` WHERE ${where.sql}` : ''}`, params: where.params } };
}

/** The queries of a find page (each takes `LIMIT ?` last), or null when the collection does not exist. */
export function planFind(catalog: CollectionCatalog, collection: string, filter: Filter, options: FindOptions): FindPlan | null {
  const limit = resolveLimit(options.limit);
  const sort = resolveSort(options.sort);
  const cursor = options.cursor === undefined || options.cursor === null ? null : decodeCursor(options.cursor, { booleans: false });
  const conditions = compileFilter(filter);
  const state = catalog.state(collection);
  if (!state) return null;
  const where = whereOf(state, conditions, filter);

  const sortIsId = sort.field === '_id';
  const key = sortIsId ? 'id' : fieldExpr(sort.field);
  const dir = sort.direction === 1 ? 'ASC' : 'DESC';
  const byId = `id ${dir}`;
  const full = sortIsId ? byId : `${key} ${dir}, id ${dir}`;
  const after = sort.direction === 1 ? '>' : '<';

  let phases: Phase[];
  if (!cursor) {
    phases = [{ where: null, params: [], orderBy: full }];
  } else if (sortIsId) {
    phases = [{ where: `id ${after} ?`, params: [cursor[1]], orderBy: byId }];
  } else if (cursor[0] === null) {
    // Null and missing sort lowest: first in ascending order, last in descending order.
    phases =
      sort.direction === 1
        ? [
            { where: `${key} IS NULL AND id > ?`, params: [cursor[1]], orderBy: byId },
            { where: `${key} IS NOT NULL`, params: [], orderBy: full },
          ]
        : [{ where: `${key} IS NULL AND id < ?`, params: [cursor[1]], orderBy: byId }];
  } else {
    const [value, id] = cursor;
    // Ties with the last value first, then the values after it: both are plain index ranges
    // (a row-value or OR condition would make SQLite scan from the start of the range).
    phases = [
      { where: `${key} = ? AND id ${after} ?`, params: [value, id], orderBy: byId },
      { where: `${key} ${after} ?`, params: [value], orderBy: full },
    ];
    if (sort.direction === -1) phases.push({ where: `${key} IS NULL`, params: [], orderBy: byId });
  }

  const columns = sortIsId ? 'id, doc' : `id, doc, ${key} AS k`;
  const queries = phases.map((phase) => {
    const terms = [where.sql, phase.where].filter((t): t is string => !!t);
    const whereSql = terms.length ? ` WHERE ${terms.join(' AND ')}` : '';
    return {
      sql: `SELECT ${columns} FROM ${state.table}${whereSql} ORDER BY ${phase.orderBy} LIMIT ?`,
      params: [...where.params, ...phase.params],
    };
  });
  return { state, queries, limit, sortIsId };
}

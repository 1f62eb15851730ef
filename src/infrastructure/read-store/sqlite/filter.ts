/**
 * SQLite read store: port filters compiled to SQL conditions on the document JSON. Filters are
 * type-bracketed like MongoDB (a number matches numbers only, a string strings only, a boolean
 * booleans only; null matches null and missing). Field expressions are spelt exactly as the
 * declared expression indexes (schema.ts) so that SQLite uses them.
 */
import type { Filter, Scalar } from '../read-store.port';
import { FILTER_OPERATORS, fieldPath, scalar } from '../read-store.rules';

export interface Condition {
  sql: string;
  params: unknown[];
}

const RANGE_SQL: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
const NUMBER_TYPES = `IN ('integer', 'real')`;

/** The indexed expression of a field; queries must spell it identically for SQLite to use the index. */
export function fieldExpr(field: string): string {
  return field === '_id' ? 'id' : `json_extract(doc, '$.${fieldPath(field)}')`;
}

function fieldType(field: string): string {
  return `json_type(doc, '$.${fieldPath(field)}')`;
}

/** The field conditions of a filter (`$text` is left to text-search.ts); undefined values are ignored. */
export function compileFilter(filter: Filter | undefined): Condition[] {
  if (filter === undefined || filter === null) return [];
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new TypeError('A filter is an object');
  const conditions: Condition[] = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$text' || condition === undefined) continue;
    if (field.startsWith('$')) throw new TypeError(`Unsupported filter operator ${field}`);
    if (field !== '_id') fieldPath(field);
    if (condition !== null && typeof condition === 'object') {
      if (Array.isArray(condition)) throw new TypeError(`${field}: arrays are not filter values`);
      const entries = Object.entries(condition).filter(([, v]) => v !== undefined);
      if (Object.keys(condition).length === 0) throw new TypeError(`${field}: empty condition`);
      for (const [op, operand] of entries) {
        if (!FILTER_OPERATORS.has(op)) throw new TypeError(`${field}: unsupported operator ${op}`);
        conditions.push(operatorCondition(field, op, operand));
      }
    } else {
      conditions.push(equals(field, scalar(field, condition)));
    }
  }
  return conditions;
}

function operatorCondition(field: string, op: string, operand: unknown): Condition {
  switch (op) {
    case '$eq':
      return equals(field, scalar(field, operand));
    case '$ne': {
      const value = scalar(field, operand);
      if (value === null) return { sql: `${fieldExpr(field)} IS NOT NULL`, params: [] };
      const eq = equals(field, value);
      return { sql: `NOT ifnull(${eq.sql}, 0)`, params: eq.params };
    }
    case '$in': {
      if (!Array.isArray(operand)) throw new TypeError(`${field}: $in takes an array`);
      return isIn(
        field,
        operand.map((v) => scalar(field, v)),
      );
    }
    default: {
      const value = scalar(field, operand);
      const sql = RANGE_SQL[op];
      if (field === '_id') {
        if (typeof value !== 'string') throw new TypeError(`_id: ${op} takes a string`);
        return { sql: `id ${sql} ?`, params: [value] };
      }
      if (typeof value === 'number') {
        return { sql: `${fieldExpr(field)} ${sql} ? AND ${fieldType(field)} ${NUMBER_TYPES}`, params: [value] };
      }
      if (typeof value === 'string') {
        return { sql: `${fieldExpr(field)} ${sql} ? AND ${fieldType(field)} = 'text'`, params: [value] };
      }
      throw new TypeError(`${field}: ${op} takes a number or a string`);
    }
  }
}

/** Type-bracketed equality; null matches null and missing. */
function equals(field: string, value: Scalar): Condition {
  if (field === '_id') {
    if (typeof value !== 'string') throw new TypeError('_id is compared with strings');
    return { sql: 'id = ?', params: [value] };
  }
  const expr = fieldExpr(field);
  if (value === null) return { sql: `${expr} IS NULL`, params: [] };
  if (typeof value === 'string') return { sql: `${expr} = ?`, params: [value] };
  if (typeof value === 'number') return { sql: `(${expr} = ? AND ${fieldType(field)} ${NUMBER_TYPES})`, params: [value] };
  // json_extract gives 1 / 0 for JSON true / false; json_type tells them from numbers.
  return { sql: `(${expr} = ? AND ${fieldType(field)} = '${value}')`, params: [value ? 1 : 0] };
}

function isIn(field: string, values: Scalar[]): Condition {
  if (field === '_id') {
    if (values.some((v) => typeof v !== 'string')) throw new TypeError('_id is compared with strings');
    if (values.length === 0) return { sql: '0', params: [] };
    return { sql: `id IN (${values.map(() => '?').join(', ')})`, params: values };
  }
  const expr = fieldExpr(field);
  const strings = [...new Set(values.filter((v): v is string => typeof v === 'string'))];
  const numbers = [...new Set(values.filter((v): v is number => typeof v === 'number'))];
  const booleans = [...new Set(values.filter((v): v is boolean => typeof v === 'boolean'))];
  const parts: Condition[] = [];
  const list = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  if (values.includes(null)) parts.push({ sql: `${expr} IS NULL`, params: [] });
  if (strings.length) parts.push({ sql: `${expr} IN (${list(strings.length)})`, params: strings });
  if (numbers.length) {
    parts.push({ sql: `(${expr} IN (${list(numbers.length)}) AND ${fieldType(field)} ${NUMBER_TYPES})`, params: numbers });
  }
  if (booleans.length) {
    parts.push({
      sql: `(${expr} IN (${list(booleans.length)}) AND ${fieldType(field)} IN ('true', 'false'))`,
      params: booleans.map((b) => (b ? 1 : 0)),
    });
  }
  if (parts.length === 0) return { sql: '0', params: [] };
  if (parts.length === 1) return parts[0];
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
}

/**
 * MongoDB read store: index specs. Declared indexes become compound indexes ending with `_id`
 * (so keyset pages and ties are served by the index), text fields one text index.
 */
import type { Document, IndexDescription, IndexDirection } from 'mongodb';
import type { CollectionSpec, IndexSpec } from '../read-store.port';
import { fieldPath, indexFields } from '../read-store.rules';

/**
 * The text index's `language_override` field. MongoDB's default (`language`) would make any
 * document with a `language` field holding an unsupported language (e.g. "fr-BE") unwritable.
 */
export const TEXT_LANGUAGE_FIELD = '_textIndexLanguage';
/** Name of the (single) text index of a collection. */
export const TEXT_INDEX_NAME = 'text_search';

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
  const key: Array<[string, IndexDirection]> = indexFields(index).map((s) => [s.field, s.direction]);
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

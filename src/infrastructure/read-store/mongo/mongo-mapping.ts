/**
 * Pure mapping between the read-store port and MongoDB, gathered in one place for the adapter's
 * unit tests (test/read-store/mongo-mapping.spec.ts): names and paths, filter translation,
 * keyset pagination, cursors, positions, text-search quoting and index specs. No I/O.
 *
 * The rules both read-store adapters share (names, paths, positions, sort, limit, the cursor
 * codec) live in ../read-store.rules.ts; the MongoDB translations in filter.ts, keyset.ts,
 * text-search.ts, documents.ts, indexes.ts and connection.ts. Same validation errors as the
 * embedded store (TypeError for bad names, paths, values and positions, RangeError for limits,
 * cursors and checkpoints), MongoDB's own type bracketing for filters, null/missing lowest in sorts.
 */
export {
  checkCheckpointPosition,
  collectionName,
  decodeCursor,
  DEFAULT_FIND_LIMIT as DEFAULT_LIMIT,
  DEFAULT_SORT,
  encodeCursor,
  fieldPath,
  MAX_FIND_LIMIT as MAX_LIMIT,
  parsePosition,
  resolveLimit,
  resolveSort,
  valueAtPath,
} from '../read-store.rules';
export type { CursorPosition, CursorValue } from '../read-store.rules';
export { describeMongoHosts, redactCredentials } from './connection';
export { fromStoredDocument, guardedReplacePipeline, longToPosition, POSITION_FIELD, positionToLong, prepareWrites, toStoredDocument } from './documents';
export type { PreparedWrites, StoredDocument } from './documents';
export { translateCondition, translateFilter } from './filter';
export type { TranslatedFilter } from './filter';
export { indexDescription, indexDescriptions, TEXT_INDEX_NAME, TEXT_LANGUAGE_FIELD, textFieldsOfIndex, textIndexDescription } from './indexes';
export { andFilters, cursorAfter, keysetCondition, toMongoSort } from './keyset';
export { documentMatchesText, foldText, quoteTextSearch, quoteTokens, textQuery, tokenize } from './text-search';
export type { TextQuery } from './text-search';

/**
 * SQLite read store: the schema. The store's own tables (collections, checkpoints, leases,
 * settings), one table per collection (`doc_<name>`: rid, id, position, doc JSON) with its
 * declared indexes as expression indexes, and the catalog of prepared per-collection statements,
 * which follows SQLite's schema generation (`PRAGMA schema_version`) so that collections created,
 * changed or dropped by another connection are seen.
 */
import type Database from 'better-sqlite3';
import { createHash } from 'crypto';
import type { IndexSpec } from '../read-store.port';
import { collectionName, indexFields } from '../read-store.rules';
import { fieldExpr } from './filter';
import { ftsInsertSql, ftsTable, textLookupSql } from './text-search';

export const STORE_SCHEMA = `
CREATE TABLE IF NOT EXISTS collections (
  name        TEXT PRIMARY KEY COLLATE NOCASE,
  text_fields TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (
  name     TEXT PRIMARY KEY,
  position INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leases (
  name       TEXT PRIMARY KEY,
  owner      TEXT,
  token      INTEGER NOT NULL,
  expires_at INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`;

/** Cached find/count statements per collection before the cache is reset. */
const MAX_CACHED_QUERIES = 256;

export interface CollectionState {
  name: string;
  table: string;
  /** Quoted FTS5 table name, or null when the collection has no text fields. */
  fts: string | null;
  textFields: string[];
  guardedPut: Database.Statement;
  put: Database.Statement;
  del: Database.Statement;
  /** Text collections: rid, position and the text fields (value and JSON type) of a stored document. */
  textLookup: Database.Statement | null;
  ftsReplace: Database.Statement | null;
  ftsDelete: Database.Statement | null;
  get: Database.Statement;
  getMany: Database.Statement;
  /** find/count statements by SQL text. */
  queries: Map<string, Database.Statement>;
}

export interface CollectionRow {
  name: string;
  text_fields: string;
}

export function docTable(name: string): string {
  return `"doc_${name}"`;
}

export interface IndexSql {
  columns: string;
  unique: boolean;
  hash: string;
}

/** A declared index as the column list of an expression index, named by a hash of its keys. */
export function indexSql(index: IndexSpec): IndexSql {
  const fields = indexFields(index);
  const unique = index.unique === true;
  const columns = fields.map((f) => `${fieldExpr(f.field)} ${f.direction === 1 ? 'ASC' : 'DESC'}`);
  // id last (in the last field's direction) serves the tie-break and the cursor; a unique index
  // must not include it, or it would constrain nothing.
  if (!unique && !fields.some((f) => f.field === '_id')) {
    columns.push(`id ${fields[fields.length - 1].direction === 1 ? 'ASC' : 'DESC'}`);
  }
  const hash = createHash('sha1')
    .update(JSON.stringify({ fields: fields.map((f) => [f.field, f.direction]), unique }))
    .digest('hex')
    .slice(0, 12);
  return { columns: columns.join(', '), unique, hash };
}

/** Inside ensureCollection's transaction: the collection's table and declared indexes, if missing. */
export function createDocTable(db: Database.Database, name: string, indexes: IndexSql[]): string {
  const table = docTable(name);
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (
       rid      INTEGER PRIMARY KEY,
       id       TEXT NOT NULL UNIQUE,
       position INTEGER,
       doc      TEXT NOT NULL
     )`,
  );
  for (const index of indexes) {
    db.exec(`CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS "ix_${name}_${index.hash}" ON ${table} (${index.columns})`);
  }
  return table;
}

/**
 * The prepared statements of each existing collection, rebuilt when SQLite's schema generation
 * moves (another connection may have created, changed or dropped collections).
 */
export class CollectionCatalog {
  private readonly states = new Map<string, CollectionState>();
  private schemaVersion = -1;
  private readonly schemaVersionStmt: Database.Statement;
  readonly row: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.schemaVersionStmt = db.prepare('PRAGMA schema_version').pluck();
    this.row = db.prepare('SELECT name, text_fields FROM collections WHERE name = ?');
  }

  /** The collection's cached statements, or null when it does not exist. */
  state(collection: string, sync = true): CollectionState | null {
    if (sync) this.sync();
    const cached = this.states.get(collection);
    if (cached) return cached;
    const name = collectionName(collection);
    const row = this.row.get(name) as CollectionRow | undefined;
    if (!row || row.name !== name) return null;
    const state = this.prepare(name, JSON.parse(row.text_fields) as string[]);
    this.states.set(name, state);
    return state;
  }

  /** Inside a commit, after sync(): no schema check per document. */
  writable(collection: string): CollectionState {
    const state = this.states.get(collection) ?? this.state(collection, false);
    if (!state) throw new Error(`Collection ${collection} does not exist (ensureCollection first)`);
    return state;
  }

  /** Another connection may have created, changed or dropped collections since the cache was built. */
  sync(): void {
    const version = this.schemaVersionStmt.get() as number;
    if (version !== this.schemaVersion) {
      this.states.clear();
      this.schemaVersion = version;
    }
  }

  forget(name: string): void {
    this.states.delete(name);
  }

  clear(): void {
    this.states.clear();
  }

  /** A cached find/count statement of the collection. */
  query(state: CollectionState, sql: string, pluck = false): Database.Statement {
    let statement = state.queries.get(sql);
    if (!statement) {
      if (state.queries.size >= MAX_CACHED_QUERIES) state.queries.clear();
      statement = this.db.prepare(sql);
      if (pluck) statement.pluck();
      state.queries.set(sql, statement);
    }
    return statement;
  }

  private prepare(name: string, textFields: string[]): CollectionState {
    const db = this.db;
    const table = docTable(name);
    const fts = textFields.length > 0 ? ftsTable(name) : null;
    const upsert = `INSERT INTO ${table} (id, position, doc) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc`;
    return {
      name,
      table,
      fts,
      textFields,
      guardedPut: db.prepare(`${upsert} WHERE ${table}.position IS NULL OR excluded.position > ${table}.position`),
      put: db.prepare(upsert),
      del: db.prepare(`DELETE FROM ${table} WHERE id = ?${fts ? ' RETURNING rid' : ''}`),
      textLookup: fts ? db.prepare(textLookupSql(table, textFields)).safeIntegers(true).raw(true) : null,
      ftsReplace: fts ? db.prepare(ftsInsertSql('INSERT OR REPLACE', fts, textFields)) : null,
      ftsDelete: fts ? db.prepare(`DELETE FROM ${fts} WHERE rowid = ?`) : null,
      get: db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).pluck(),
      getMany: db.prepare(`SELECT id, doc FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`),
      queries: new Map(),
    };
  }
}

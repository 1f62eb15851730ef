import Database from 'better-sqlite3';
import { openSqlite } from '../embedded-stores';
import { createHash } from 'crypto';
import {
  CollectionSpec,
  DocumentWrite,
  FencedError,
  Filter,
  FindOptions,
  IndexSpec,
  Lease,
  Page,
  ReadDocument,
  ReadStore,
  Scalar,
  SortSpec,
  WriteBatch,
} from './read-store.port';

export const DEFAULT_FIND_LIMIT = 50;
export const MAX_FIND_LIMIT = 1000;

const MAX_INT64 = 9223372036854775807n;
const COLLECTION_NAME = /^[A-Za-z0-9_]+$/;
/** Dot paths of plain keys: `title`, `council.level`. */
const FIELD_PATH = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;
/** Canonical non-negative decimal integer. */
const POSITION = /^(0|[1-9][0-9]*)$/;
/** A `$text` term must hold at least one letter or digit to be a word. */
const WORD = /[\p{L}\p{N}]/u;
const OPERATORS = new Set(['$eq', '$ne', '$in', '$gt', '$gte', '$lt', '$lte']);
const RANGE_SQL: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };
/** Cached find/count statements per collection before the cache is reset. */
const MAX_CACHED_QUERIES = 256;

const SCHEMA = `
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

interface CollectionState {
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

interface Query {
  sql: string;
  params: unknown[];
}

interface Condition {
  sql: string;
  params: unknown[];
}

/** One keyset segment of a find: its own WHERE term and ORDER BY, each an index range. */
interface Phase {
  where: string | null;
  params: unknown[];
  orderBy: string;
}

type CursorValue = string | number | null;

/**
 * Read store on one SQLite file: one table per collection (`doc_<name>`: rid, id, position, doc
 * JSON), declared indexes as expression indexes on `json_extract(doc, '$.field')` followed by
 * `id`, and an FTS5 table (`"doc_<name>:fts"`, contentless, unicode61 with diacritics removed)
 * for collections with text fields, kept in sync by `commit`.
 *
 * Semantics beyond the port (test/read-store/read-store.contract.ts pins them for every adapter,
 * except those marked SQLite-only):
 * - Collection names: `[A-Za-z0-9_]+`. Field paths: dot-separated `[A-Za-z0-9_]+` segments; `_id`
 *   is the document id. Anything else throws TypeError. SQLite-only: names differing only in case
 *   are refused (SQLite table names are case-insensitive).
 * - Reads of a collection that does not exist (never ensured, or dropped) return nothing
 *   (null, [], an empty page, 0). SQLite-only: writes to it throw (and the commit writes nothing).
 * - Documents are stored as JSON (`get` returns `JSON.parse(JSON.stringify(doc))`).
 *   `_position`, when present, must be a canonical decimal integer string below 2^63;
 *   guarded writes need it and compare it numerically. A guarded write lands when the stored
 *   document is absent, has no `_position`, or has a lower one.
 * - A commit applies the fence check, then the puts in order, then the deletes, then the
 *   checkpoint (an unconditional upsert, which may move it backwards). Any error rolls it all back.
 * - Filters are type-bracketed like MongoDB: a number matches numbers only, a string strings
 *   only, a boolean booleans only; `null` (`{f: null}`, `$eq: null`, `$in: [null]`) matches null
 *   and missing fields, `$ne: x` matches missing fields too. Range operators take numbers or
 *   strings (strings compare by code point / UTF-8 bytes); anything else throws TypeError.
 *   Undefined values are ignored. Fields holding arrays or objects are not filterable
 *   (unspecified results).
 * - Sort: null and missing sort lowest, then numbers, then strings; ties by `_id` in the
 *   same direction. Sorting a field mixing booleans with other types is unspecified.
 * - `limit` defaults to 50; larger than 1000 is clamped to 1000; below 1 or not an integer
 *   throws RangeError. A malformed cursor throws RangeError. `nextCursor` is null exactly when
 *   the page holds the last matching documents (no trailing empty page).
 * - `$text`: the words (runs separated by whitespace, each needing a letter or digit) must all
 *   occur as whole words in the text fields, case- and (Latin) diacritic-insensitively, no
 *   stemming. No words at all matches nothing. `$text` on a collection without text fields throws.
 * - Leases: tokens start at 1 and grow by one each time the lease is taken while free, released
 *   or expired (`expires_at <= now`), even by the same owner; an owner renewing a valid lease
 *   keeps its token. The fence compares tokens only (not expiry or owner).
 * - getMany returns the documents found, in the order of `ids`, each once.
 */
export class SqliteReadStore implements ReadStore {
  private ownsDb = false;
  private closed = false;
  private readonly states = new Map<string, CollectionState>();
  private schemaVersion = -1;

  private readonly stmt: {
    schemaVersion: Database.Statement;
    collection: Database.Statement;
    upsertCollection: Database.Statement;
    deleteCollection: Database.Statement;
    checkpoint: Database.Statement;
    upsertCheckpoint: Database.Statement;
    deleteCheckpoint: Database.Statement;
    lease: Database.Statement;
    leaseToken: Database.Statement;
    insertLease: Database.Statement;
    takeLease: Database.Statement;
    renewLease: Database.Statement;
    releaseLease: Database.Statement;
    setting: Database.Statement;
    upsertSetting: Database.Statement;
  };
  private readonly commitTx: Database.Transaction<(batch: WriteBatch) => void>;
  private readonly acquireTx: Database.Transaction<
    (name: string, owner: string, ttlMs: number, nowMs: number) => Lease | null
  >;
  private readonly readTx: Database.Transaction<(read: () => unknown) => unknown>;

  /** Opens (or creates) a WAL-mode database file, or ':memory:'. The store closes it on close(). */
  static open(file: string): SqliteReadStore {
    // As the service opens its read models (rebuildable, so NORMAL; SQLite's default page cache).
    const db = openSqlite(file, 'NORMAL');
    try {
      const store = new SqliteReadStore(db);
      store.ownsDb = true;
      return store;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    const prepare = (sql: string) => db.prepare(sql);
    this.stmt = {
      schemaVersion: prepare('PRAGMA schema_version').pluck(),
      collection: prepare('SELECT name, text_fields FROM collections WHERE name = ?'),
      upsertCollection: prepare(
        `INSERT INTO collections (name, text_fields) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET text_fields = excluded.text_fields`,
      ),
      deleteCollection: prepare('DELETE FROM collections WHERE name = ?'),
      checkpoint: prepare('SELECT position FROM checkpoints WHERE name = ?').pluck().safeIntegers(true),
      upsertCheckpoint: prepare(
        `INSERT INTO checkpoints (name, position) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      ),
      deleteCheckpoint: prepare('DELETE FROM checkpoints WHERE name = ?'),
      lease: prepare('SELECT owner, token, expires_at FROM leases WHERE name = ?'),
      leaseToken: prepare('SELECT token FROM leases WHERE name = ?').pluck(),
      insertLease: prepare('INSERT INTO leases (name, owner, token, expires_at) VALUES (?, ?, 1, ?)'),
      takeLease: prepare('UPDATE leases SET owner = ?, token = token + 1, expires_at = ? WHERE name = ?'),
      renewLease: prepare('UPDATE leases SET expires_at = ? WHERE name = ?'),
      releaseLease: prepare('UPDATE leases SET owner = NULL, expires_at = NULL WHERE name = ? AND owner = ?'),
      setting: prepare('SELECT value FROM settings WHERE key = ?').pluck(),
      upsertSetting: prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
    this.commitTx = db.transaction((batch: WriteBatch) => this.commitInTransaction(batch));
    this.acquireTx = db.transaction((name: string, owner: string, ttlMs: number, nowMs: number) =>
      this.acquireInTransaction(name, owner, ttlMs, nowMs),
    );
    this.readTx = db.transaction((read: () => unknown) => read());
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    this.assertOpen();
    const name = collectionName(spec.name);
    const textFields = (spec.textFields ?? []).map(fieldPath);
    const indexes = (spec.indexes ?? []).map(indexSql);
    this.db
      .transaction(() => {
        const existing = this.stmt.collection.get(name) as { name: string; text_fields: string } | undefined;
        if (existing && existing.name !== name) {
          throw new TypeError(`Collection ${name} collides with ${existing.name} (names are case-insensitive)`);
        }
        const table = docTable(name);
        this.db.exec(
          `CREATE TABLE IF NOT EXISTS ${table} (
             rid      INTEGER PRIMARY KEY,
             id       TEXT NOT NULL UNIQUE,
             position INTEGER,
             doc      TEXT NOT NULL
           )`,
        );
        for (const index of indexes) {
          this.db.exec(
            `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS "ix_${name}_${index.hash}" ON ${table} (${index.columns})`,
          );
        }
        const fts = ftsTable(name);
        const ftsExists = this.db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(unquote(fts)) !== undefined;
        const wanted = JSON.stringify(textFields);
        if (!existing || existing.text_fields !== wanted || ftsExists !== textFields.length > 0) {
          this.db.exec(`DROP TABLE IF EXISTS ${fts}`);
          if (textFields.length > 0) {
            const columns = textFields.map((_, i) => `t${i}`).join(', ');
            this.db.exec(
              `CREATE VIRTUAL TABLE ${fts} USING fts5(${columns}, content = '', contentless_delete = 1,
                 tokenize = 'unicode61 remove_diacritics 2')`,
            );
            const insert = this.db.prepare(
              `INSERT INTO ${fts} (rowid, ${columns}) VALUES (?, ${textFields.map(() => '?').join(', ')})`,
            );
            // Index the documents already stored, a chunk at a time (a connection cannot write while iterating).
            const chunk = this.db.prepare(`SELECT rid, doc FROM ${table} WHERE rid > ? ORDER BY rid LIMIT 1000`);
            for (let after = -Infinity; ; ) {
              const rows = chunk.all(after) as Array<{ rid: number; doc: string }>;
              if (rows.length === 0) break;
              for (const row of rows) insert.run(row.rid, ...textValues(JSON.parse(row.doc), textFields));
              after = rows[rows.length - 1].rid;
            }
          }
        }
        this.stmt.upsertCollection.run(name, wanted);
      })
      .immediate();
    this.states.delete(name);
  }

  async dropCollection(name: string): Promise<void> {
    this.assertOpen();
    collectionName(name);
    this.db
      .transaction(() => {
        const existing = this.stmt.collection.get(name) as { name: string } | undefined;
        // Another name differing only in case would share the tables: leave it alone.
        if (existing && existing.name !== name) return;
        this.db.exec(`DROP TABLE IF EXISTS ${ftsTable(name)}`);
        this.db.exec(`DROP TABLE IF EXISTS ${docTable(name)}`);
        this.stmt.deleteCollection.run(name);
      })
      .immediate();
    this.states.delete(name);
  }

  async get<T extends ReadDocument>(collection: string, id: string): Promise<T | null> {
    this.assertOpen();
    if (typeof id !== 'string') throw new TypeError('Document ids are strings');
    const state = this.state(collection);
    if (!state) return null;
    const doc = state.get.get(id) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as T);
  }

  async getMany<T extends ReadDocument>(collection: string, ids: string[]): Promise<T[]> {
    this.assertOpen();
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      throw new TypeError('Document ids are strings');
    }
    const state = this.state(collection);
    if (!state || ids.length === 0) return [];
    const rows = state.getMany.all(JSON.stringify(ids)) as Array<{ id: string; doc: string }>;
    const byId = new Map(rows.map((row) => [row.id, row.doc]));
    const result: T[] = [];
    for (const id of ids) {
      const doc = byId.get(id);
      if (doc === undefined) continue;
      byId.delete(id);
      result.push(JSON.parse(doc) as T);
    }
    return result;
  }

  async find<T extends ReadDocument>(collection: string, filter: Filter = {}, options: FindOptions = {}): Promise<Page<T>> {
    this.assertOpen();
    const plan = this.planFind(collection, filter, options);
    if (!plan) return { items: [], nextCursor: null };
    const { state, queries, limit, sortIsId } = plan;

    const run = (): Array<{ id: string; doc: string; k?: CursorValue }> => {
      const rows: Array<{ id: string; doc: string; k?: CursorValue }> = [];
      for (const query of queries) {
        const wanted = limit + 1 - rows.length;
        if (wanted <= 0) break;
        const found = this.query(state, query.sql).all(...query.params, wanted) as typeof rows;
        for (const row of found) rows.push(row);
      }
      return rows;
    };
    // Several keyset segments read one snapshot.
    const rows = queries.length > 1 ? (this.readTx(run) as ReturnType<typeof run>) : run();

    const items = rows.slice(0, limit).map((row) => JSON.parse(row.doc) as T);
    let nextCursor: string | null = null;
    if (rows.length > limit) {
      const last = rows[limit - 1];
      nextCursor = encodeCursor(sortIsId ? last.id : (last.k ?? null), last.id);
    }
    return { items, nextCursor };
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    this.assertOpen();
    const conditions = compileFilter(filter);
    const state = this.state(collection);
    if (!state) return 0;
    const where = this.whereOf(state, conditions, filter);
    const sql = `SELECT count(*) FROM ${state.table}${where.sql ? ` WHERE ${where.sql}` : ''}`;
    return this.query(state, sql, true).get(...where.params) as number;
  }

  async commit(batch: WriteBatch): Promise<void> {
    this.assertOpen();
    this.commitTx.immediate(batch);
  }

  async getCheckpoint(name: string): Promise<bigint | null> {
    this.assertOpen();
    return (this.stmt.checkpoint.get(name) as bigint | undefined) ?? null;
  }

  async deleteCheckpoint(name: string): Promise<void> {
    this.assertOpen();
    this.stmt.deleteCheckpoint.run(name);
  }

  async acquireLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<Lease | null> {
    this.assertOpen();
    if (typeof name !== 'string' || typeof owner !== 'string') throw new TypeError('Lease names and owners are strings');
    if (!Number.isFinite(ttlMs) || ttlMs <= 0 || !Number.isFinite(nowMs)) {
      throw new RangeError('ttlMs must be positive and nowMs finite');
    }
    return this.acquireTx.immediate(name, owner, ttlMs, nowMs);
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    this.assertOpen();
    this.stmt.releaseLease.run(name, owner);
  }

  async getSetting(key: string): Promise<string | null> {
    this.assertOpen();
    return (this.stmt.setting.get(key) as string | undefined) ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.assertOpen();
    if (typeof value !== 'string') throw new TypeError('Settings are strings');
    this.stmt.upsertSetting.run(key, value);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.states.clear();
    if (this.ownsDb) this.db.close();
  }

  /**
   * SQLite's query plan for each statement `find` would run (one per keyset segment), e.g.
   * `SEARCH doc_x USING INDEX ix_x_… (<expr>=?)`. For tests and diagnostics.
   */
  explainFind(collection: string, filter: Filter = {}, options: FindOptions = {}): string[][] {
    this.assertOpen();
    const plan = this.planFind(collection, filter, options);
    if (!plan) return [];
    return plan.queries.map((query) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params, plan.limit + 1) as Array<{ detail: string }>).map(
        (row) => row.detail,
      ),
    );
  }

  // ---------------------------------------------------------------------------------------------

  private commitInTransaction(batch: WriteBatch): void {
    this.syncSchema();
    if (batch.fence) {
      const token = this.stmt.leaseToken.get(batch.fence.lease) as number | undefined;
      if (token === undefined || token !== batch.fence.token) {
        throw new FencedError(
          `Lease ${batch.fence.lease} has moved on (token ${token ?? 'none'}, fenced with ${batch.fence.token}): nothing written`,
        );
      }
    }
    for (const write of batch.puts ?? []) this.putInTransaction(write);
    for (const del of batch.deletes ?? []) {
      const state = this.writableState(del.collection);
      if (typeof del.id !== 'string') throw new TypeError('Document ids are strings');
      if (state.ftsDelete) {
        const row = state.del.get(del.id) as { rid: number } | undefined;
        if (row) state.ftsDelete.run(row.rid);
      } else {
        state.del.run(del.id);
      }
    }
    if (batch.checkpoint) {
      const { name, position } = batch.checkpoint;
      if (typeof position !== 'bigint' || position < 0n || position > MAX_INT64) {
        throw new RangeError(`Checkpoint ${name}: position must be a bigint in [0, 2^63)`);
      }
      this.stmt.upsertCheckpoint.run(name, position);
    }
  }

  private putInTransaction(write: DocumentWrite): void {
    const state = this.writableState(write.collection);
    const doc = write.doc;
    if (doc === null || typeof doc !== 'object' || typeof doc._id !== 'string') {
      throw new TypeError(`A document written to ${write.collection} needs a string _id`);
    }
    let position: bigint | null = null;
    if (doc._position !== undefined) {
      position = parsePosition(doc._position, write.collection, doc._id);
    } else if (write.guarded) {
      throw new TypeError(`A guarded write (${write.collection}/${doc._id}) needs _position`);
    }
    const statement = write.guarded ? state.guardedPut : state.put;
    if (!state.textLookup) {
      statement.run(doc._id, position, JSON.stringify(doc));
      return;
    }
    // Text collections: the text index changes only when the text does, which spares FTS work on
    // the common update (a counter or a status), and a stale write is known before it is tried.
    const stored = state.textLookup.get(doc._id) as unknown[] | undefined;
    if (stored && write.guarded && stored[1] !== null && (position as bigint) <= (stored[1] as bigint)) return;
    const info = statement.run(doc._id, position, JSON.stringify(doc));
    if (info.changes === 0) return;
    const texts = textValues(doc, state.textFields);
    if (!stored) {
      state.ftsReplace!.run(info.lastInsertRowid, ...texts);
    } else if (!sameTexts(stored, texts)) {
      state.ftsReplace!.run(stored[0], ...texts);
    }
  }

  private acquireInTransaction(name: string, owner: string, ttlMs: number, nowMs: number): Lease | null {
    const expiresAt = nowMs + ttlMs;
    const row = this.stmt.lease.get(name) as { owner: string | null; token: number; expires_at: number | null } | undefined;
    if (!row) {
      this.stmt.insertLease.run(name, owner, expiresAt);
      return { name, owner, token: 1, expiresAt };
    }
    const free = row.owner === null || row.expires_at === null || row.expires_at <= nowMs;
    if (free) {
      this.stmt.takeLease.run(owner, expiresAt, name);
      return { name, owner, token: row.token + 1, expiresAt };
    }
    if (row.owner === owner) {
      this.stmt.renewLease.run(expiresAt, name);
      return { name, owner, token: row.token, expiresAt };
    }
    return null;
  }

  private planFind(
    collection: string,
    filter: Filter,
    options: FindOptions,
  ): { state: CollectionState; queries: Query[]; limit: number; sortIsId: boolean } | null {
    const limit = resolveLimit(options.limit);
    const sort = resolveSort(options.sort);
    const cursor = options.cursor === undefined || options.cursor === null ? null : decodeCursor(options.cursor);
    const conditions = compileFilter(filter);
    const state = this.state(collection);
    if (!state) return null;
    const where = this.whereOf(state, conditions, filter);

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
      phases = [{ where: `id ${after} ?`, params: [cursor.id], orderBy: byId }];
    } else if (cursor.value === null) {
      // Null and missing sort lowest: first in ascending order, last in descending order.
      phases =
        sort.direction === 1
          ? [
              { where: `${key} IS NULL AND id > ?`, params: [cursor.id], orderBy: byId },
              { where: `${key} IS NOT NULL`, params: [], orderBy: full },
            ]
          : [{ where: `${key} IS NULL AND id < ?`, params: [cursor.id], orderBy: byId }];
    } else {
      // Ties with the last value first, then the values after it: both are plain index ranges
      // (a row-value or OR condition would make SQLite scan from the start of the range).
      phases = [
        { where: `${key} = ? AND id ${after} ?`, params: [cursor.value, cursor.id], orderBy: byId },
        { where: `${key} ${after} ?`, params: [cursor.value], orderBy: full },
      ];
      if (sort.direction === -1) phases.push({ where: `${key} IS NULL`, params: [], orderBy: byId });
    }

    const columns = sortIsId ? 'id, doc' : `id, doc, ${key} AS k`;
    const queries = phases.map((phase) => {
      const terms = [where.sql, phase.where].filter((t): t is string => !!t);
      return {
        sql: `SELECT ${columns} FROM ${state.table}${terms.length ? ` WHERE ${terms.join(' AND ')}` : ''} ORDER BY ${phase.orderBy} LIMIT ?`,
        params: [...where.params, ...phase.params],
      };
    });
    return { state, queries, limit, sortIsId };
  }

  private whereOf(state: CollectionState, conditions: Condition[], filter: Filter): Condition {
    const terms = conditions.map((c) => c.sql);
    const params = conditions.flatMap((c) => c.params);
    const text = filter?.$text;
    if (text !== undefined) {
      if (typeof text !== 'string') throw new TypeError('$text takes a string');
      if (!state.fts) throw new TypeError(`Collection ${state.name} has no text fields to search`);
      const words = text.split(/\s+/u).filter((word) => WORD.test(word));
      if (words.length === 0) {
        terms.push('0');
      } else {
        // Each word quoted: FTS5 reads it as a phrase of its tokens, never as query syntax.
        terms.push(`rid IN (SELECT rowid FROM ${state.fts} WHERE ${state.fts} MATCH ?)`);
        params.push(words.map((word) => `"${word.replace(/"/g, '""')}"`).join(' '));
      }
    }
    return { sql: terms.map((t) => (terms.length > 1 ? `(${t})` : t)).join(' AND '), params };
  }

  private query(state: CollectionState, sql: string, pluck = false): Database.Statement {
    let statement = state.queries.get(sql);
    if (!statement) {
      if (state.queries.size >= MAX_CACHED_QUERIES) state.queries.clear();
      statement = this.db.prepare(sql);
      if (pluck) statement.pluck();
      state.queries.set(sql, statement);
    }
    return statement;
  }

  /** Inside a commit, after syncSchema(): no schema check per document. */
  private writableState(collection: string): CollectionState {
    const state = this.states.get(collection) ?? this.state(collection, false);
    if (!state) throw new Error(`Collection ${collection} does not exist (ensureCollection first)`);
    return state;
  }

  /** The collection's cached statements, or null when it does not exist. */
  private state(collection: string, sync = true): CollectionState | null {
    if (sync) this.syncSchema();
    const cached = this.states.get(collection);
    if (cached) return cached;
    const name = collectionName(collection);
    const row = this.stmt.collection.get(name) as { name: string; text_fields: string } | undefined;
    if (!row || row.name !== name) return null;
    const state = this.buildState(name, JSON.parse(row.text_fields) as string[]);
    this.states.set(name, state);
    return state;
  }

  /** Another connection may have created, changed or dropped collections since the cache was built. */
  private syncSchema(): void {
    const version = this.stmt.schemaVersion.get() as number;
    if (version !== this.schemaVersion) {
      this.states.clear();
      this.schemaVersion = version;
    }
  }

  private buildState(name: string, textFields: string[]): CollectionState {
    const table = docTable(name);
    const fts = textFields.length > 0 ? ftsTable(name) : null;
    const upsert = `INSERT INTO ${table} (id, position, doc) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc`;
    const columns = textFields.map((_, i) => `t${i}`).join(', ');
    return {
      name,
      table,
      fts,
      textFields,
      guardedPut: this.db.prepare(
        `${upsert} WHERE ${table}.position IS NULL OR excluded.position > ${table}.position`,
      ),
      put: this.db.prepare(upsert),
      del: this.db.prepare(`DELETE FROM ${table} WHERE id = ?${fts ? ' RETURNING rid' : ''}`),
      textLookup: fts
        ? this.db
            .prepare(
              `SELECT rid, position, ${textFields
                .map((field) => `json_type(doc, '$.${field}'), json_extract(doc, '$.${field}')`)
                .join(', ')} FROM ${table} WHERE id = ?`,
            )
            .safeIntegers(true)
            .raw(true)
        : null,
      ftsReplace: fts
        ? this.db.prepare(
            `INSERT OR REPLACE INTO ${fts} (rowid, ${columns}) VALUES (?, ${textFields.map(() => '?').join(', ')})`,
          )
        : null,
      ftsDelete: fts ? this.db.prepare(`DELETE FROM ${fts} WHERE rowid = ?`) : null,
      get: this.db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).pluck(),
      getMany: this.db.prepare(`SELECT id, doc FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`),
      queries: new Map(),
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteReadStore is closed');
  }
}

// ---------------------------------------------------------------------------------------------
// Names, paths and values

function collectionName(name: string): string {
  if (typeof name !== 'string' || !COLLECTION_NAME.test(name)) {
    throw new TypeError(`Invalid collection name ${JSON.stringify(name)}: use [A-Za-z0-9_] only`);
  }
  return name;
}

function fieldPath(field: string): string {
  if (typeof field !== 'string' || !FIELD_PATH.test(field)) {
    throw new TypeError(`Invalid field path ${JSON.stringify(field)}: use dot-separated [A-Za-z0-9_] keys`);
  }
  return field;
}

function docTable(name: string): string {
  return `"doc_${name}"`;
}

/** A character no collection name holds keeps FTS5's shadow tables (`…_data`) clear of other names. */
function ftsTable(name: string): string {
  return `"doc_${name}:fts"`;
}

function unquote(identifier: string): string {
  return identifier.slice(1, -1);
}

/** The indexed expression of a field; queries must spell it identically for SQLite to use the index. */
function fieldExpr(field: string): string {
  return field === '_id' ? 'id' : `json_extract(doc, '$.${fieldPath(field)}')`;
}

function fieldType(field: string): string {
  return `json_type(doc, '$.${fieldPath(field)}')`;
}

function indexSql(index: IndexSpec): { columns: string; unique: boolean; hash: string } {
  if (!index || !Array.isArray(index.fields) || index.fields.length === 0) {
    throw new TypeError('An index needs at least one field');
  }
  const fields = index.fields.map((f) => resolveSort(f));
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

function resolveSort(sort: SortSpec | undefined): SortSpec {
  if (sort === undefined) return { field: '_id', direction: 1 };
  if (sort.field !== '_id') fieldPath(sort.field);
  if (sort.direction !== 1 && sort.direction !== -1) throw new TypeError('Sort direction is 1 or -1');
  return sort;
}

function resolveLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_FIND_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be an integer >= 1 (got ${String(limit)})`);
  }
  return Math.min(limit, MAX_FIND_LIMIT);
}

function parsePosition(position: unknown, collection: string, id: string): bigint {
  if (typeof position === 'string' && POSITION.test(position)) {
    const value = BigInt(position);
    if (value <= MAX_INT64) return value;
  }
  throw new TypeError(`${collection}/${id}: _position must be a decimal integer string below 2^63`);
}

/** What the FTS table indexes for each text field: strings, and the strings of arrays. */
function textValues(doc: unknown, fields: string[]): Array<string | null> {
  return fields.map((field) => {
    let value: unknown = doc;
    for (const key of field.split('.')) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
      value = (value as Record<string, unknown>)[key];
    }
    if (typeof value === 'string') return value;
    if (Array.isArray(value)) return arrayText(value);
    return null;
  });
}

function arrayText(values: unknown[]): string | null {
  const strings = values.filter((v): v is string => typeof v === 'string');
  return strings.length > 0 ? strings.join('\n') : null;
}

/** Whether the text fields of a stored row (`textLookup`: rid, position, then type and value per field) are `texts`. */
function sameTexts(stored: unknown[], texts: Array<string | null>): boolean {
  for (let i = 0; i < texts.length; i++) {
    const type = stored[2 + 2 * i];
    const value = stored[3 + 2 * i];
    let old: string | null = null;
    if (type === 'text') old = value as string;
    else if (type === 'array') old = arrayText(JSON.parse(value as string) as unknown[]);
    if (old !== texts[i]) return false;
  }
  return true;
}

function encodeCursor(value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { value: CursorValue; id: string } {
  let parsed: unknown;
  try {
    if (typeof cursor !== 'string' || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error();
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('Invalid cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[1] !== 'string' ||
    !(parsed[0] === null || typeof parsed[0] === 'string' || (typeof parsed[0] === 'number' && Number.isFinite(parsed[0])))
  ) {
    throw new RangeError('Invalid cursor');
  }
  return { value: parsed[0], id: parsed[1] };
}

// ---------------------------------------------------------------------------------------------
// Filters

const NUMBER_TYPES = `IN ('integer', 'real')`;

function compileFilter(filter: Filter | undefined): Condition[] {
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
        if (!OPERATORS.has(op)) throw new TypeError(`${field}: unsupported operator ${op}`);
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
      return isIn(field, operand.map((v) => scalar(field, v)));
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

function scalar(field: string, value: unknown): Scalar {
  if (value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`${field}: filter values are strings, finite numbers, booleans or null`);
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

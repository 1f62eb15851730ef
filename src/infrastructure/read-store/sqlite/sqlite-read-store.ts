/**
 * The embedded read store (SQLite): the ReadStore class, wiring the parts beside it: schema.ts
 * (tables, indexes, the per-collection statement catalog), filter.ts (filters as SQL),
 * find-plan.ts (keyset find/count queries), text-search.ts (FTS5) and writes.ts (commits).
 * The rules shared with the MongoDB adapter are ../read-store.rules.ts.
 */
import Database from 'better-sqlite3';
import { openSqlite } from '../../embedded-stores';
import { CollectionSpec, Filter, FindOptions, Lease, Page, ReadDocument, ReadStore, WriteBatch } from '../read-store.port';
import { collectionName, encodeCursor, fieldPath } from '../read-store.rules';
import { planCount, planFind, FoundRow } from './find-plan';
import { CollectionCatalog, CollectionRow, createDocTable, docTable, indexSql, STORE_SCHEMA } from './schema';
import { ftsTable, syncTextIndex } from './text-search';
import { commitInTransaction } from './writes';

export { DEFAULT_FIND_LIMIT, MAX_FIND_LIMIT } from '../read-store.rules';

/** SQLite's default automatic checkpoint (pages of the write-ahead log), and the one of a bulk load (64 MiB of 4 KiB pages). */
const DEFAULT_CHECKPOINT_PAGES = 1000;
const BULK_LOAD_CHECKPOINT_PAGES = 16_384;

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
  private readonly catalog: CollectionCatalog;

  private readonly stmt: {
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
  private readonly acquireTx: Database.Transaction<(name: string, owner: string, ttlMs: number, nowMs: number) => Lease | null>;
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
    db.exec(STORE_SCHEMA);
    this.catalog = new CollectionCatalog(db);
    const prepare = (sql: string) => db.prepare(sql);
    this.stmt = {
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
      upsertSetting: prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
    this.commitTx = db.transaction((batch: WriteBatch) => commitInTransaction(this.catalog, this.stmt, batch));
    this.acquireTx = db.transaction((name: string, owner: string, ttlMs: number, nowMs: number) => this.acquireInTransaction(name, owner, ttlMs, nowMs));
    this.readTx = db.transaction((read: () => unknown) => read());
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    this.assertOpen();
    const name = collectionName(spec.name);
    const textFields = (spec.textFields ?? []).map(fieldPath);
    const indexes = (spec.indexes ?? []).map(indexSql);
    this.db
      .transaction(() => {
        const existing = this.catalog.row.get(name) as CollectionRow | undefined;
        if (existing && existing.name !== name) {
          throw new TypeError(`Collection ${name} collides with ${existing.name} (names are case-insensitive)`);
        }
        const table = createDocTable(this.db, name, indexes);
        syncTextIndex(this.db, name, table, textFields, existing?.text_fields);
        this.stmt.upsertCollection.run(name, JSON.stringify(textFields));
      })
      .immediate();
    this.catalog.forget(name);
  }

  async dropCollection(name: string): Promise<void> {
    this.assertOpen();
    collectionName(name);
    this.db
      .transaction(() => {
        const existing = this.catalog.row.get(name) as CollectionRow | undefined;
        // Another name differing only in case would share the tables: leave it alone.
        if (existing && existing.name !== name) return;
        this.db.exec(`DROP TABLE IF EXISTS ${ftsTable(name)}`);
        this.db.exec(`DROP TABLE IF EXISTS ${docTable(name)}`);
        this.stmt.deleteCollection.run(name);
      })
      .immediate();
    this.catalog.forget(name);
  }

  async get<T extends ReadDocument>(collection: string, id: string): Promise<T | null> {
    this.assertOpen();
    if (typeof id !== 'string') throw new TypeError('Document ids are strings');
    const state = this.catalog.state(collection);
    if (!state) return null;
    const doc = state.get.get(id) as string | undefined;
    return doc === undefined ? null : (JSON.parse(doc) as T);
  }

  async getMany<T extends ReadDocument>(collection: string, ids: string[]): Promise<T[]> {
    this.assertOpen();
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      throw new TypeError('Document ids are strings');
    }
    const state = this.catalog.state(collection);
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
    const plan = planFind(this.catalog, collection, filter, options);
    if (!plan) return { items: [], nextCursor: null };
    const { state, queries, limit, sortIsId } = plan;

    const run = (): FoundRow[] => {
      const rows: FoundRow[] = [];
      for (const query of queries) {
        const wanted = limit + 1 - rows.length;
        if (wanted <= 0) break;
        const found = this.catalog.query(state, query.sql).all(...query.params, wanted) as typeof rows;
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
    const plan = planCount(this.catalog, collection, filter);
    if (!plan) return 0;
    return this.catalog.query(plan.state, plan.query.sql, true).get(...plan.query.params) as number;
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

  /**
   * During a bulk load the write-ahead log is copied into the database (a checkpoint, two fsyncs)
   * every 64 MiB rather than every 4 MiB (SQLite's default, restored after). Commits are as durable
   * as before (synchronous stays NORMAL); the log file grows to that size meanwhile.
   */
  async bulkLoad(on: boolean): Promise<void> {
    this.assertOpen();
    this.db.pragma(`wal_autocheckpoint = ${on ? BULK_LOAD_CHECKPOINT_PAGES : DEFAULT_CHECKPOINT_PAGES}`);
    if (!on) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.catalog.clear();
    if (this.ownsDb) this.db.close();
  }

  /**
   * SQLite's query plan for each statement `find` would run (one per keyset segment), e.g.
   * `SEARCH doc_x USING INDEX ix_x_… (<expr>=?)`. For tests and diagnostics.
   */
  explainFind(collection: string, filter: Filter = {}, options: FindOptions = {}): string[][] {
    this.assertOpen();
    const plan = planFind(this.catalog, collection, filter, options);
    if (!plan) return [];
    return plan.queries.map((query) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params, plan.limit + 1) as Array<{ detail: string }>).map((row) => row.detail),
    );
  }

  // ---------------------------------------------------------------------------------------------

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

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteReadStore is closed');
  }
}

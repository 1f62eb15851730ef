import Database from 'better-sqlite3';
import { openSqlite } from '../embedded-stores';
import { SqliteGroupCommit } from '../sqlite-group-commit';
import { SqliteAppender } from './sqlite-appender';
import type { SqliteAppendThread } from './sqlite-append-thread';
import {
  AllFilter,
  AppendResult,
  EventData,
  EventHandler,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamNotFoundError,
  SubscribeToAllOptions,
  Subscription,
  UndecodableEvent,
  WrongExpectedVersionError,
} from './event-store.port';
import { SubscriptionRegistry } from './subscription-registry';
import { clampRevision, DEFAULT_READ_ALL_MAX_COUNT, expectedRevisionHolds, MAX_INT64 } from './event-store.rules';

export { DEFAULT_READ_ALL_MAX_COUNT } from './event-store.rules';
export const DEFAULT_POLL_INTERVAL_MS = 100;

/** Highest code point: `prefix + PREFIX_END` bounds every string that starts with `prefix` (UTF-8 byte order). */
const PREFIX_END = '\u{10FFFF}';

export interface SqliteEventStoreOptions {
  /** How often live subscriptions look for appends made by other processes. */
  pollIntervalMs?: number;
  /**
   * Appends committed on a thread of their own (its own connection to the same file), so that the
   * commit's fsync never blocks the event loop; the store closes it. Without it, on this connection.
   */
  appendThread?: SqliteAppendThread;
}

export interface SqliteSubscribeOptions extends SubscribeToAllOptions {
  /** Called once if the handler (or a read) fails; the subscription has stopped by then. */
  onError?: (error: unknown) => void;
}

/** An event id is already stored in a different stream (ids are unique store-wide here). */
export class EventIdConflictError extends Error {
  constructor(
    readonly eventId: string,
    readonly streamId: string,
    readonly existingStreamId: string,
  ) {
    super(`Event ${eventId} cannot be appended to ${streamId}: it is already stored in ${existingStreamId}`);
    this.name = 'EventIdConflictError';
  }
}

interface EventRow {
  position: bigint;
  id: string;
  stream_id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY, -- events are never deleted, so a rowid is never reused
  id        TEXT    NOT NULL UNIQUE,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
CREATE TABLE IF NOT EXISTS streams (
  stream_id TEXT PRIMARY KEY,
  revision  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_type_position ON events (type, position);
`;

const EVENT_COLUMNS = 'position, id, stream_id, revision, type, data, metadata';

/** A row whose data or metadata is not a JSON object (written by another tool): what is known of it. */
class UndecodableRow {
  constructor(readonly event: UndecodableEvent) {}
}

/** For subscriptions: the event, or what is known of it when it cannot be decoded (to park it). */
function toRecordedOrUndecodable(row: EventRow): RecordedEvent | UndecodableRow {
  try {
    const recorded = toRecorded(row);
    for (const [what, value] of [
      ['data', recorded.data],
      ['metadata', recorded.metadata],
    ] as const) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`The ${what} of event ${row.id} is not a JSON object`);
    }
    return recorded;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return new UndecodableRow({ id: row.id, streamId: row.stream_id, revision: row.revision, position: row.position, type: row.type, reason });
  }
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
  };
}

/** SQLite LIMIT: negative means none. */
function limitOf(maxCount: number | undefined, fallback: number): number {
  if (maxCount === undefined) return fallback;
  if (!Number.isFinite(maxCount)) return -1;
  return Math.max(0, Math.floor(maxCount));
}

function isUniqueEventIdViolation(err: unknown): boolean {
  // Duck-typed: better-sqlite3's SqliteError may come from another realm (e.g. a test VM context).
  const e = err as { code?: unknown; message?: unknown } | null;
  return typeof e === 'object' && e !== null && e.code === 'SQLITE_CONSTRAINT_UNIQUE' && String(e.message).includes('events.id');
}

/**
 * Embedded event store on one SQLite file. Several processes may share the file: appends
 * serialise on SQLite's write lock (BEGIN IMMEDIATE), and subscriptions poll for appends
 * made elsewhere.
 *
 * Semantics beyond the port:
 * - Event ids are unique across the whole store. Re-appending a batch whose first id is already
 *   in the stream is a no-op that returns the earlier append's result (whatever the expected
 *   revision); an id already in another stream throws EventIdConflictError.
 * - Appending zero events checks the expected revision and returns the stream's last revision
 *   and the position of its last event, or `-1n` / `0n` when the stream does not exist
 *   (-1n is what EventStoreDB's client reports for "no stream").
 * - readAll returns at most DEFAULT_READ_ALL_MAX_COUNT events when maxCount is absent.
 *   An empty eventTypes / streamPrefixes list matches nothing.
 * - A subscription whose handler throws stops; the error is passed to `onError` (if given)
 *   and `stop()` / `caughtUp()` then reject with it. A row whose data or metadata is not a JSON
 *   object (written by another tool) goes to `onUndecodable` and is skipped, or without it stops
 *   the subscription the same way.
 */
export class SqliteEventStore implements EventStore {
  private readonly pollIntervalMs: number;
  private ownsDb = false;
  private closed = false;
  private readonly subscriptions = new SubscriptionRegistry<SqliteSubscription>();

  private readonly stmt: {
    streamRevision: Database.Statement;
    streamHead: Database.Statement;
    eventById: Database.Statement;
    streamIdsFrom: Database.Statement;
    headPosition: Database.Statement;
  };
  /** readAll statements by filter shape ("all", "types:3", "prefixes:2"). */
  private readonly readAllStatements = new Map<string, Database.Statement>();
  /** Appends through the group commit: on this connection, or on the append thread's. */
  private readonly appendBatch: (streamId: string, events: EventData[], expected: ExpectedRevision) => Promise<AppendResult>;
  private readonly appendThread?: SqliteAppendThread;
  private readonly commits: SqliteGroupCommit;
  private readonly appendListeners: (() => void)[] = [];

  /** Opens (or creates) a WAL-mode database file, or ':memory:'. The store closes it on close(). */
  static open(file: string, options: SqliteEventStoreOptions & { synchronous?: 'FULL' | 'NORMAL' } = {}): SqliteEventStore {
    const db = openSqlite(file, options.synchronous ?? 'NORMAL');
    try {
      const store = new SqliteEventStore(db, options);
      store.ownsDb = true;
      return store;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  constructor(
    private readonly db: Database.Database,
    options: SqliteEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    db.exec(SCHEMA);

    const prepare = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.stmt = {
      streamHead: prepare(
        `SELECT s.revision AS revision, e.position AS position FROM streams s
         LEFT JOIN events e ON e.stream_id = s.stream_id AND e.revision = s.revision
         WHERE s.stream_id = ?`,
      ),
      eventById: prepare('SELECT stream_id, revision, position FROM events WHERE id = ?'),
      streamIdsFrom: prepare('SELECT id, revision, position FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?'),
      headPosition: prepare('SELECT coalesce(max(position), 0) FROM events').pluck(),
      streamRevision: prepare('SELECT revision FROM streams WHERE stream_id = ?').pluck(),
    };

    const commits = SqliteGroupCommit.of(db);
    const thread = options.appendThread;
    if (thread) {
      this.appendBatch = (streamId, events, expected) => thread.append(streamId, events, expected);
    } else {
      const appender = new SqliteAppender(db);
      this.appendBatch = (streamId, events, expected) => commits.run(() => appender.append(streamId, events, expected));
    }
    this.commits = commits;
    this.appendThread = thread;
  }

  async appendToStream(streamId: string, events: EventData[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    if (events.length === 0) return this.appendNothing(streamId, expected);

    let result: AppendResult;
    try {
      // Shares a transaction (and its fsync) with the appends that arrive in the same turn of the
      // event loop; each runs in its own savepoint, so its expected revision is checked alone.
      result = await this.appendBatch(streamId, events, expected);
    } catch (err) {
      // The transaction rolled back. A retried batch fails here (wrong revision or duplicate id),
      // so idempotency is resolved off the hot path; stored events never change, so this is safe.
      if (!(err instanceof WrongExpectedVersionError) && !isUniqueEventIdViolation(err)) throw err;
      const earlier = this.earlierAppend(streamId, events);
      if (earlier) return earlier;
      if (isUniqueEventIdViolation(err)) {
        throw new Error(`Duplicate event id in the batch appended to ${streamId}`, { cause: err });
      }
      throw err;
    }
    this.appended();
    return result;
  }

  /**
   * Calls `listener` after each append this process makes (several processes share the file: a
   * supervisor relays it to the process whose subscriptions should look now, see `wake`).
   */
  onAppend(listener: () => void): void {
    this.appendListeners.push(listener);
  }

  /** Another process appended: live subscriptions read now instead of at their next poll. */
  wake(): void {
    for (const subscription of this.subscriptions) subscription.wake();
  }

  private appended(): void {
    this.wake();
    for (const listener of this.appendListeners) listener();
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = limitOf(options.maxCount, -1);
    const rows = (
      options.direction === 'backwards'
        ? this.limited(
            'backwards',
            limit,
            (l) => `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ${l}`,
          ).all(streamId, clampRevision(options.fromRevision ?? MAX_INT64))
        : this.limited(
            'forwards',
            limit,
            (l) => `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ${l}`,
          ).all(streamId, clampRevision(options.fromRevision ?? 0n))
    ) as EventRow[];
    if (rows.length === 0 && this.stmt.streamRevision.get(streamId) === undefined) {
      throw new StreamNotFoundError(streamId);
    }
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readAllSync(options.after ?? 0n, limitOf(options.maxCount, DEFAULT_READ_ALL_MAX_COUNT), options.filter);
  }

  subscribeToAll(handler: EventHandler, options: SqliteSubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = new SqliteSubscription(
      {
        head: () => this.headSync(),
        read: (after, maxCount) => this.readAllSync(after, maxCount, options.filter, toRecordedOrUndecodable),
        pollIntervalMs: this.pollIntervalMs,
        onFinished: this.subscriptions.remove,
      },
      handler,
      options,
    );
    return this.subscriptions.add(subscription);
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.headSync();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.commits.flush();
    await this.appendThread?.close();
    await this.subscriptions.stopAll();
    if (this.ownsDb) this.db.close();
  }

  private appendNothing(streamId: string, expected: ExpectedRevision): AppendResult {
    const head = this.stmt.streamHead.get(streamId) as { revision: bigint; position: bigint | null } | undefined;
    const actual = head ? head.revision : 'no_stream';
    if (!expectedRevisionHolds(expected, actual)) throw new WrongExpectedVersionError(streamId, expected, actual);
    return head ? { nextExpectedRevision: head.revision, position: head.position ?? 0n } : { nextExpectedRevision: -1n, position: 0n };
  }

  /**
   * The result of an earlier append of this batch, when its first event is already in the stream:
   * the last event of the batch that is stored consecutively after it.
   */
  private earlierAppend(streamId: string, events: EventData[]): AppendResult | undefined {
    type Found = { stream_id: string; revision: bigint; position: bigint };
    let first: Found | undefined;
    for (let i = 0; i < events.length; i++) {
      const found = this.stmt.eventById.get(events[i].id) as Found | undefined;
      if (found && found.stream_id !== streamId) {
        throw new EventIdConflictError(events[i].id, streamId, found.stream_id);
      }
      if (i === 0) first = found;
    }
    if (!first) return undefined;

    const stored = this.stmt.streamIdsFrom.all(streamId, first.revision, events.length) as Array<{
      id: string;
      revision: bigint;
      position: bigint;
    }>;
    let last = { revision: first.revision, position: first.position };
    for (let i = 0; i < stored.length && stored[i].id === events[i].id; i++) {
      last = stored[i];
    }
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private headSync(): bigint {
    return this.stmt.headPosition.get() as bigint;
  }

  private readAllSync(after: bigint, limit: number, filter: AllFilter | undefined): RecordedEvent[];
  private readAllSync<T>(after: bigint, limit: number, filter: AllFilter | undefined, decode: (row: EventRow) => T): T[];
  private readAllSync(after: bigint, limit: number, filter: AllFilter | undefined, decode: (row: EventRow) => unknown = toRecorded): unknown[] {
    let rows: EventRow[];
    if (!filter) {
      rows = this.readAllStatement('all', limit, () => '').all(after) as EventRow[];
    } else if ('eventTypes' in filter) {
      const types = [...new Set(filter.eventTypes)];
      if (types.length === 0) return [];
      if (types.length === 1) {
        rows = this.readAllStatement('types:1', limit, () => 'AND type = ?').all(after, types[0]) as EventRow[];
      } else {
        rows = this.readByTypesStatement(types.length, limit).all(...types.flatMap((type) => [type, after])) as EventRow[];
      }
    } else {
      const prefixes = filter.streamPrefixes;
      if (prefixes.length === 0) return [];
      // Ranges rather than LIKE: case-sensitive, and served by the UNIQUE (stream_id, revision) index:
      // the cost follows the matching streams' events, not the whole history.
      rows = this.readByPrefixesStatement(prefixes.length, limit).all(...prefixes.flatMap((p) => [p, p + PREFIX_END, after])) as EventRow[];
    }
    return rows.map(decode);
  }

  /**
   * Statements with their LIMIT written in, cached per limit: the SQLite shipped with
   * better-sqlite3 re-plans a statement whose LIMIT is a bound parameter on every run, which cost
   * up to a fifth of a signature's time. Few distinct limits occur; the cache is bounded anyway.
   */
  private limited(key: string, limit: number, sql: (limit: string) => string): Database.Statement {
    const cacheKey = `${key}#${limit}`;
    let statement = this.readAllStatements.get(cacheKey);
    if (!statement) {
      if (this.readAllStatements.size >= 256) this.readAllStatements.clear();
      statement = this.db.prepare(sql(String(Math.trunc(limit)))).safeIntegers(true);
      this.readAllStatements.set(cacheKey, statement);
    }
    return statement;
  }

  private readAllStatement(key: string, limit: number, condition: () => string): Database.Statement {
    return this.limited(key, limit, (l) => `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ${condition()} ORDER BY position LIMIT ${l}`);
  }

  private readByPrefixesStatement(count: number, limit: number): Database.Statement {
    // `+position` keeps the planner off a scan of every later event by position: it takes the
    // stream-name range from the index, then sorts just those events. UNION, not UNION ALL:
    // overlapping prefixes must not return an event twice.
    return this.limited(`prefixes:${count}`, limit, (l) => {
      const arm = `SELECT * FROM (SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id >= ? AND stream_id < ? AND +position > ? ORDER BY +position LIMIT ${l})`;
      return `${Array.from({ length: count }, () => arm).join(' UNION ')} ORDER BY position LIMIT ${l}`;
    });
  }

  private readByTypesStatement(count: number, limit: number): Database.Statement {
    return this.limited(`types:${count}`, limit, (l) => {
      const arm = `SELECT * FROM (SELECT ${EVENT_COLUMNS} FROM events WHERE type = ? AND position > ? ORDER BY position LIMIT ${l})`;
      return `${Array.from({ length: count }, () => arm).join(' UNION ALL ')} ORDER BY position LIMIT ${l}`;
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteEventStore is closed');
  }
}

interface SubscriptionSource {
  head(): bigint;
  read(after: bigint, maxCount: number): (RecordedEvent | UndecodableRow)[];
  pollIntervalMs: number;
  onFinished(subscription: SqliteSubscription): void;
}

/**
 * One loop per subscription: read a batch after the cursor, deliver it one event at a time,
 * and when nothing is left, sleep until an in-process append wakes it or the poll interval passes.
 */
class SqliteSubscription implements Subscription {
  /** Every matching event at or below this position has been delivered. */
  private cursor: bigint;
  private stopping = false;
  private finished = false;
  private failed = false;
  private error: unknown;
  private wakePending = false;
  private wakeSleeper: (() => void) | undefined;
  private waiters: Array<{ target: bigint; resolve: () => void; reject: (error: unknown) => void }> = [];
  private readonly done: Promise<void>;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly handler: EventHandler,
    private readonly options: SqliteSubscribeOptions,
  ) {
    this.cursor = options.after ?? 0n;
    this.done = this.run();
  }

  /** Resolves once no handler is running and none will start; rejects with the handler's error if it failed. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.done;
    if (this.failed) throw this.error;
  }

  caughtUp(): Promise<void> {
    if (this.failed) return Promise.reject(this.error);
    let target: bigint;
    try {
      target = this.source.head();
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.cursor >= target) return Promise.resolve();
    if (this.finished || this.stopping) return Promise.reject(new Error('Subscription stopped before catching up'));
    return new Promise((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  wake(): void {
    if (this.wakeSleeper) this.wakeSleeper();
    else this.wakePending = true;
  }

  private async run(): Promise<void> {
    // Never call the handler before subscribeToAll has returned.
    await Promise.resolve();
    try {
      while (!this.stopping) {
        const head = this.source.head();
        if (head <= this.cursor) {
          await this.sleep();
          continue;
        }
        // head is read before the batch, so a short batch means everything up to head is in it.
        const batch = this.source.read(this.cursor, DEFAULT_READ_ALL_MAX_COUNT);
        for (const event of batch) {
          if (this.stopping) return;
          if (event instanceof UndecodableRow) {
            // Park it (the subscriber records it) and go on; without onUndecodable, stop with the error.
            if (!this.options.onUndecodable) throw new Error(event.event.reason);
            await this.options.onUndecodable(event.event);
            this.advance(event.event.position);
            continue;
          }
          await this.handler(event);
          this.advance(event.position);
        }
        if (batch.length < DEFAULT_READ_ALL_MAX_COUNT && !this.stopping) this.advance(head);
      }
    } catch (err) {
      this.failed = true;
      this.error = err;
      this.stopping = true;
      try {
        this.options.onError?.(err);
      } catch {
        // onError's own failure must not hide the original error, which stop() still reports.
      }
    } finally {
      this.finished = true;
      const reason = this.failed ? this.error : new Error('Subscription stopped before catching up');
      for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
      this.source.onFinished(this);
    }
  }

  private advance(position: bigint): void {
    if (position <= this.cursor) return;
    this.cursor = position;
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.target > position) return true;
      waiter.resolve();
      return false;
    });
  }

  private sleep(): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => wakeUp(), this.source.pollIntervalMs);
      const wakeUp = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      this.wakeSleeper = wakeUp;
    });
  }
}

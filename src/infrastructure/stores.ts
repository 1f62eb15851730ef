/**
 * Opens the stores the configuration selects: EventStoreDB when EVENTSTORE_URL is set,
 * MongoDB when MONGODB_URL is set, else the embedded SQLite files under DATA_DIR. A configured
 * store that cannot be reached stops start-up: never a silent fallback to SQLite.
 */
import type Database from 'better-sqlite3';
import type { AppConfig } from '../config/app-config';
import { join } from 'node:path';
import { openEmbeddedDatabase, openSqlite } from './embedded-stores';
import { EsdbEventStore, InvalidConnectionStringError } from './event-store/esdb/esdb-event-store';
import type { EventStore } from './event-store/event-store.port';
import { SqliteEventStore } from './event-store/sqlite-event-store';
import { compiledWorkerAvailable, SqliteAppendThread } from './event-store/sqlite-append-thread';
import type { IdempotencyStore } from './idempotency/idempotency.port';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { MongoThrottlerStorage } from './rate-limit/mongo-throttler.storage';
import { SqliteThrottlerStorage } from './rate-limit/sqlite-throttler.storage';
import type { MerkleStore } from './merkle/merkle-store.port';
import { MongoMerkleStore } from './merkle/mongo-merkle-store';
import { SqliteMerkleStore } from './merkle/sqlite-merkle-store';
import { MongoIdempotencyStore } from './idempotency/mongo-idempotency.store';
import { SqliteIdempotencyStore } from './idempotency/sqlite-idempotency.store';
import { MongoReadStore, MongoReadStoreUnusableError } from './read-store/mongo/mongo-read-store';
import type { ReadStore } from './read-store/read-store.port';
import { SqliteReadStore } from './read-store/sqlite/sqlite-read-store';
import type { KeyStore } from './vault/key-store.port';
import { MongoKeyStore } from './vault/mongo-key-store';
import { SqliteKeyStore } from './vault/sqlite-key-store';
import { SqliteWalSync } from './sqlite-wal-sync';
import type { TallySnapshotStore } from './tally-snapshot/tally-snapshot-store.port';
import { MongoTallySnapshotStore } from './tally-snapshot/mongo-tally-snapshot-store';
import { SqliteTallySnapshotStore, TALLY_SNAPSHOTS_FILE } from './tally-snapshot/sqlite-tally-snapshot-store';

export interface Stores {
  eventStore: EventStore;
  readStore: ReadStore;
  idempotencyStore: IdempotencyStore;
  /** Rate-limit counters, shared by every API instance on these stores. */
  throttlerStorage: ThrottlerStorage;
  /** The signatory-data keys: MongoDB collection with MONGODB_URL, else DATA_DIR/signer-keys.sqlite. */
  keyStore: KeyStore;
  /** The Merkle log of the verifiable history (beside the event log when embedded, else in MongoDB). */
  merkleStore: MerkleStore;
  /** The signature tally's snapshots: MongoDB collection with MONGODB_URL, else DATA_DIR/tally-snapshots.sqlite. */
  tallySnapshotStore: TallySnapshotStore;
  /** For the start-up log and /health/ready. */
  describe: { eventStore: string; readStore: string };
  close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  /** False when waiting cannot help (a malformed URL, a standalone MongoDB): start-up stops at once. */
  constructor(
    message: string,
    readonly retryable = true,
  ) {
    super(message);
  }
}

export async function openStores(config: AppConfig): Promise<Stores> {
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    let embedded: Database.Database | null = null;
    const embeddedDb = (file: 'events.sqlite' | 'read-models.sqlite' | 'rate-limits.sqlite') => {
      const db = openEmbeddedDatabase(config.dataDir, file, config.eventsSynchronous);
      closers.push(() => {
        db.close();
      });
      return db;
    };

    let eventStore: EventStore;
    let eventStoreDescription: string;
    if (config.eventStoreUrl) {
      eventStore = await EsdbEventStore.connect(config.eventStoreUrl).catch((e: Error) => {
        if (e instanceof InvalidConnectionStringError) throw new StoreUnavailableError(`EVENTSTORE_URL: ${e.message}`, false);
        throw new StoreUnavailableError(`EVENTSTORE_URL is set but EventStoreDB cannot be reached: ${e.message}`);
      });
      eventStoreDescription = `EventStoreDB (${redact(config.eventStoreUrl)})`;
    } else {
      embedded = embeddedDb('events.sqlite');
      // Appends committed on a thread of their own: their fsync never blocks the event loop.
      const appendThread = compiledWorkerAvailable
        ? new SqliteAppendThread(join(config.dataDir, 'events.sqlite'), config.eventsSynchronous === 'full' ? 'FULL' : 'NORMAL')
        : undefined;
      eventStore = new SqliteEventStore(embedded, { appendThread });
      eventStoreDescription = `embedded SQLite (${config.dataDir}/events.sqlite)`;
    }
    closers.push(() => eventStore.close());

    let readStore: ReadStore;
    let idempotencyStore: IdempotencyStore;
    let throttlerStorage: ThrottlerStorage;
    let keyStore: KeyStore;
    let readStoreDescription: string;
    let merkleStore: MerkleStore;
    let tallySnapshotStore: TallySnapshotStore;
    if (config.mongodbUrl) {
      const mongo = await MongoReadStore.connect(config.mongodbUrl, config.mongodbDb).catch((e: Error) => {
        if (e instanceof MongoReadStoreUnusableError) throw new StoreUnavailableError(`MONGODB_URL: ${e.message}`, false);
        throw new StoreUnavailableError(`MONGODB_URL is set but MongoDB cannot be reached: ${e.message}`);
      });
      readStore = mongo;
      const keys = new MongoIdempotencyStore(mongo.database());
      await keys.init();
      idempotencyStore = keys;
      const counters = new MongoThrottlerStorage(mongo.database());
      await counters.init();
      throttlerStorage = counters;
      const signerKeys = new MongoKeyStore(mongo.database());
      await signerKeys.init();
      keyStore = signerKeys;
      const merkle = new MongoMerkleStore(mongo.database());
      await merkle.init();
      merkleStore = merkle;
      tallySnapshotStore = new MongoTallySnapshotStore(mongo.database());
      readStoreDescription = `MongoDB (${redact(config.mongodbUrl)}, database ${config.mongodbDb})`;
    } else {
      readStore = new SqliteReadStore(embeddedDb('read-models.sqlite'));
      // Its own file: a counter's write never waits behind a projection's commit (nor another instance's).
      throttlerStorage = new SqliteThrottlerStorage(embeddedDb('rate-limits.sqlite'));
      const local = embedded ?? embeddedDb('events.sqlite');
      idempotencyStore = new SqliteIdempotencyStore(local);
      merkleStore = new SqliteMerkleStore(local);
      // As durable as the log: an event must never reference a key a power cut lost. At `full`, each
      // put is flushed to disk on the thread pool before the event is appended, not on the event loop.
      const keysFile = join(config.dataDir, 'signer-keys.sqlite');
      const keysDb = openSqlite(keysFile, 'NORMAL');
      const signerKeys = new SqliteKeyStore(keysDb, config.eventsSynchronous === 'full' ? new SqliteWalSync(`${keysFile}-wal`) : undefined);
      closers.push(async () => {
        await signerKeys.close();
        keysDb.close();
      });
      keyStore = signerKeys;
      // Its own file: a snapshot (derived, rebuildable) never holds the event log's write lock.
      const snapshotsDb = openSqlite(join(config.dataDir, TALLY_SNAPSHOTS_FILE), 'NORMAL');
      closers.push(() => {
        snapshotsDb.close();
      });
      tallySnapshotStore = new SqliteTallySnapshotStore(snapshotsDb);
      readStoreDescription = `embedded SQLite (${config.dataDir}/read-models.sqlite)`;
    }
    closers.push(() => readStore.close());
    return {
      eventStore,
      readStore,
      idempotencyStore,
      throttlerStorage,
      keyStore,
      merkleStore,
      tallySnapshotStore,
      describe: { eventStore: eventStoreDescription, readStore: readStoreDescription },
      close,
    };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}

/** A connection string without its credentials, for logs. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

export interface RetryOptions {
  /** Total time to keep trying; 0: one attempt. */
  budgetMs: number;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each pause with what failed and how long the pause is. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Opens the stores, retrying with a backoff (1 s doubling to 10 s) while a configured store is
 * unreachable (EventStoreDB still electing its leader, MongoDB's replica set not yet primary),
 * within a time budget: a stack started all at once comes up in any order, and a store that is
 * still not there when the budget is spent stops start-up with its last error.
 */
export async function withStartupRetry<T>(open: () => Promise<T>, options: RetryOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + options.budgetMs;
  let delay = options.minDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      const left = deadline - now();
      if (!(error instanceof StoreUnavailableError) || !error.retryable || left <= 0) throw error;
      const pause = Math.min(delay, left);
      options.onRetry?.(error, attempt, pause);
      await sleep(pause);
      delay = Math.min(delay * 2, options.maxDelayMs ?? 10_000);
    }
  }
}

/**
 * Opens the stores the configuration selects: EventStoreDB when EVENTSTORE_URL is set,
 * MongoDB when MONGODB_URL is set, else the embedded SQLite files under DATA_DIR. A configured
 * store that cannot be reached stops start-up: never a silent fallback to SQLite.
 */
import type Database from 'better-sqlite3';
import type { AppConfig } from '../config/app-config';
import { openEmbeddedDatabase } from './embedded-stores';
import { EsdbEventStore } from './event-store/esdb/esdb-event-store';
import type { EventStore } from './event-store/event-store.port';
import { SqliteEventStore } from './event-store/sqlite-event-store';
import type { IdempotencyStore } from './idempotency/idempotency.port';
import type { MerkleStore } from './merkle/merkle-store.port';
import { MongoMerkleStore } from './merkle/mongo-merkle-store';
import { SqliteMerkleStore } from './merkle/sqlite-merkle-store';
import { MongoIdempotencyStore } from './idempotency/mongo-idempotency.store';
import { SqliteIdempotencyStore } from './idempotency/sqlite-idempotency.store';
import { MongoReadStore } from './read-store/mongo/mongo-read-store';
import type { ReadStore } from './read-store/read-store.port';
import { SqliteReadStore } from './read-store/sqlite/sqlite-read-store';

export interface Stores {
  eventStore: EventStore;
  readStore: ReadStore;
  idempotencyStore: IdempotencyStore;
  /** The Merkle log of the verifiable history (beside the event log when embedded, else in MongoDB). */
  merkleStore: MerkleStore;
  /** For the start-up log and /health/ready. */
  describe: { eventStore: string; readStore: string };
  close(): Promise<void>;
}

export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export async function openStores(config: AppConfig): Promise<Stores> {
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c();
  };
  try {
    let embedded: Database.Database | null = null;
    const embeddedDb = (file: 'events.sqlite' | 'read-models.sqlite') => {
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
        throw new StoreUnavailableError(`EVENTSTORE_URL is set but EventStoreDB cannot be reached: ${e.message}`);
      });
      eventStoreDescription = `EventStoreDB (${redact(config.eventStoreUrl)})`;
    } else {
      embedded = embeddedDb('events.sqlite');
      eventStore = new SqliteEventStore(embedded);
      eventStoreDescription = `embedded SQLite (${config.dataDir}/events.sqlite)`;
    }
    closers.push(() => eventStore.close());

    let readStore: ReadStore;
    let idempotencyStore: IdempotencyStore;
    let readStoreDescription: string;
    let merkleStore: MerkleStore;
    if (config.mongodbUrl) {
      const mongo = await MongoReadStore.connect(config.mongodbUrl, config.mongodbDb).catch((e: Error) => {
        throw new StoreUnavailableError(`MONGODB_URL is set but MongoDB cannot be reached: ${e.message}`);
      });
      readStore = mongo;
      const keys = new MongoIdempotencyStore(mongo.database());
      await keys.init();
      idempotencyStore = keys;
      const merkle = new MongoMerkleStore(mongo.database());
      await merkle.init();
      merkleStore = merkle;
      readStoreDescription = `MongoDB (${redact(config.mongodbUrl)}, database ${config.mongodbDb})`;
    } else {
      readStore = new SqliteReadStore(embeddedDb('read-models.sqlite'));
      const local = embedded ?? embeddedDb('events.sqlite');
      idempotencyStore = new SqliteIdempotencyStore(local);
      merkleStore = new SqliteMerkleStore(local);
      readStoreDescription = `embedded SQLite (${config.dataDir}/read-models.sqlite)`;
    }
    closers.push(() => readStore.close());
    return { eventStore, readStore, idempotencyStore, merkleStore, describe: { eventStore: eventStoreDescription, readStore: readStoreDescription }, close };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}

/** A connection string without its credentials, for logs. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * The production read store: each port collection is a MongoDB collection of the same name
 * (official driver, mongodb 7.x).
 *
 * Requires a replica set (a single-node one is enough, e.g. `mongod --replSet rs0` after
 * `rs.initiate()`): `commit` is one multi-document transaction (`ClientSession.withTransaction`),
 * which a standalone server refuses.
 *
 * Stored documents are the port documents (in their JSON form) plus `_pos`, the Int64 copy of
 * `_position` that guarded writes compare; it is stripped on read. The store's own state lives in
 * `readstore.checkpoints`, `readstore.leases` and `readstore.settings` of the same database: the
 * dot keeps them apart from every port collection (`[A-Za-z0-9_]+`).
 *
 * Filters, sorts, cursors, text search, documents and indexes are translated by the files beside
 * this one (filter.ts, keyset.ts, text-search.ts, documents.ts, indexes.ts; mongo-mapping.ts
 * gathers them), on the rules shared with the embedded store (../read-store.rules.ts); the
 * semantics are those of the contract suite (test/read-store/read-store.contract.ts).
 */
import { MongoClient } from 'mongodb';
import type { Collection, Db, Document } from 'mongodb';
import { checkCheckpointPosition, collectionName, decodeCursor, resolveLimit, resolveSort } from '../read-store.rules';
import { describeMongoHosts, redactCredentials, replicaSetProblem } from './connection';
import {
  acquireLease,
  checkFence,
  CHECKPOINTS,
  CheckpointDocument,
  isServerError,
  LeaseDocument,
  LEASES,
  NAMESPACE_EXISTS,
  NAMESPACE_NOT_FOUND,
  SETTINGS,
  SettingDocument,
} from './store-collections';
import { fromStoredDocument, longToPosition, POSITION_FIELD, PreparedWrites, positionToLong, prepareWrites, StoredDocument } from './documents';
import { translateFilter } from './filter';
import { indexDescriptions, TEXT_INDEX_NAME, textFieldsOfIndex } from './indexes';
import { andFilters, cursorAfter, keysetCondition, toMongoSort } from './keyset';
import { documentMatchesText, TextQuery } from './text-search';
import { CollectionSpec, Filter, FindOptions, Lease, Page, ReadDocument, ReadStore, WriteBatch } from '../read-store.port';

export interface MongoReadStoreOptions {
  /**
   * How long connect() and each operation wait for a reachable (primary) server. Default 30 s:
   * longer than a replica-set election (10 s to notice, a few to elect), so that a failover
   * delays writes instead of failing them.
   */
  serverSelectionTimeoutMS?: number;
  /**
   * Whose clock judges lease expiry. `server` (default): MongoDB's ($$NOW), the same for every
   * instance, so clock skew between hosts cannot make the lease flap. `caller`: the nowMs passed
   * to acquireLease (the contract suite simulates time with it).
   */
  leaseClock?: 'server' | 'caller';
}

export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 30_000;

/** A server or URL that can never hold the read store (standalone, malformed URL): waiting will not help. */
export class MongoReadStoreUnusableError extends Error {
  override name = 'MongoReadStoreUnusableError';
}

export { CHECKPOINTS, LEASES, SETTINGS } from './store-collections';

export class MongoReadStore implements ReadStore {
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly leaseClock: 'server' | 'caller' = 'server',
  ) {}

  /**
   * Connects, pings and creates the store's own collections. `dbName` defaults to the database
   * named by the connection string (the driver's default, `test`, if it names none). When the
   * server cannot be reached, throws an Error naming the host(s), never the credentials.
   */
  static async connect(url: string, dbName?: string, options: MongoReadStoreOptions = {}): Promise<MongoReadStore> {
    const hosts = describeMongoHosts(url);
    let client: MongoClient;
    try {
      client = new MongoClient(url, {
        serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS,
        // Documents are JSON: an undefined field is absent, never null.
        ignoreUndefined: true,
      });
    } catch (error) {
      throw new MongoReadStoreUnusableError(`Invalid MongoDB connection string for the read store (${hosts}): ${redactCredentials(messageOf(error), url)}`);
    }
    const db = client.db(dbName);
    try {
      await client.connect();
      await db.command({ ping: 1 });
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(`MongoDB read store unreachable at ${hosts}: ${redactCredentials(messageOf(error), url)}`);
    }
    // Commits are transactions, which a standalone server refuses at the first commit: refuse it
    // here, with the fix, rather than let the projector fail on every restart while reads look fine.
    let problem: string | null;
    try {
      problem = replicaSetProblem(await db.admin().command({ hello: 1 }));
    } catch (error) {
      problem = `cannot ask the server what it is (hello): ${redactCredentials(messageOf(error), url)}`;
    }
    if (problem) {
      await client.close().catch(() => undefined);
      throw new MongoReadStoreUnusableError(`MongoDB at ${hosts} cannot hold the read store: ${problem}`);
    }
    const store = new MongoReadStore(client, db, options.leaseClock ?? 'server');
    try {
      for (const name of [CHECKPOINTS, LEASES, SETTINGS]) await store.createCollectionIfMissing(name);
      return store;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw new Error(`MongoDB read store at ${hosts}: cannot prepare database ${db.databaseName}: ${redactCredentials(messageOf(error), url)}`);
    }
  }

  /**
   * The database this store works in, for other adapters sharing the connection (e.g. the
   * idempotency store). Its `readstore.*` collections and the projections' collections are ours.
   */
  database(): Db {
    this.assertOpen();
    return this.db;
  }

  async ensureCollection(spec: CollectionSpec): Promise<void> {
    this.assertOpen();
    const name = collectionName(spec?.name);
    const descriptions = indexDescriptions(spec); // validates every field first
    const textFields = [...(spec.textFields ?? [])].sort();
    // Names differing only in case are refused, as by the embedded store.
    const clash = (await this.db.listCollections({}, { nameOnly: true }).toArray()).find((c) => c.name !== name && c.name.toLowerCase() === name.toLowerCase());
    if (clash) throw new TypeError(`Collection ${name} collides with ${clash.name} (names are case-insensitive)`);
    await this.createCollectionIfMissing(name);
    const collection = this.collection(name);
    // A collection has at most one text index: drop it when its fields change.
    for (const index of await collection.listIndexes().toArray()) {
      const fields = textFieldsOfIndex(index);
      if (fields && (fields.join('\0') !== textFields.join('\0') || index.name !== TEXT_INDEX_NAME)) {
        await collection.dropIndex(String(index.name));
      }
    }
    if (descriptions.length > 0) await collection.createIndexes(descriptions);
  }

  async dropCollection(name: string): Promise<void> {
    this.assertOpen();
    collectionName(name);
    try {
      await this.db.dropCollection(name);
    } catch (error) {
      if (!isServerError(error, NAMESPACE_NOT_FOUND)) throw error;
    }
  }

  async get<T extends ReadDocument>(collection: string, id: string): Promise<T | null> {
    this.assertOpen();
    if (typeof id !== 'string') throw new TypeError('Document ids are strings');
    const found = await this.collection(collectionName(collection)).findOne({ _id: id }, { projection: { [POSITION_FIELD]: 0 } });
    return found ? fromStoredDocument<T>(found) : null;
  }

  async getMany<T extends ReadDocument>(collection: string, ids: string[]): Promise<T[]> {
    this.assertOpen();
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new TypeError('Document ids are strings');
    const name = collectionName(collection);
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    const found = await this.collection(name)
      .find({ _id: { $in: unique } }, { projection: { [POSITION_FIELD]: 0 } })
      .toArray();
    const byId = new Map(found.map((doc) => [doc._id, doc]));
    // In the order asked for, each once, absent ids skipped.
    return unique.flatMap((id) => {
      const doc = byId.get(id);
      return doc ? [fromStoredDocument<T>(doc)] : [];
    });
  }

  async find<T extends ReadDocument>(collection: string, filter: Filter = {}, options: FindOptions = {}): Promise<Page<T>> {
    this.assertOpen();
    const limit = resolveLimit(options.limit);
    const sort = resolveSort(options.sort);
    const after = options.cursor === undefined || options.cursor === null ? null : decodeCursor(options.cursor);
    const translated = translateFilter(filter);
    const name = collectionName(collection);
    const text = translated.text ? await this.textSearch(name, translated.text) : null;
    if (text === 'nothing') return { items: [], nextCursor: null };

    const cursor = this.collection(name)
      .find(andFilters(translated.filter, after ? keysetCondition(sort, after) : undefined), {
        projection: { [POSITION_FIELD]: 0 },
      })
      .sort(toMongoSort(sort));
    // One more than the page tells whether another page follows. Text candidates are re-checked
    // for whole words, so then the cursor is read (in batches) until the page is full.
    if (text) cursor.batchSize(Math.min(limit + 1, 1000));
    else cursor.limit(limit + 1);
    const rows: Document[] = [];
    try {
      for await (const doc of cursor) {
        if (text && !documentMatchesText(doc, text.fields, text.query.words)) continue;
        rows.push(doc);
        if (rows.length > limit) break;
      }
    } finally {
      await cursor.close();
    }
    const items = rows.slice(0, limit);
    return {
      items: items.map((doc) => fromStoredDocument<T>(doc)),
      nextCursor: rows.length > limit ? cursorAfter(items[items.length - 1], sort) : null,
    };
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    this.assertOpen();
    const translated = translateFilter(filter);
    const name = collectionName(collection);
    if (!translated.text) return this.collection(name).countDocuments(translated.filter);
    const text = await this.textSearch(name, translated.text);
    if (text === 'nothing') return 0;
    const projection: Document = { _id: 1 };
    for (const field of text.fields) projection[field] = 1;
    let n = 0;
    for await (const doc of this.collection(name).find(translated.filter, { projection })) {
      if (documentMatchesText(doc, text.fields, text.query.words)) n++;
    }
    return n;
  }

  /**
   * All writes and the checkpoint in one transaction: the fence check, the puts in order, the
   * deletes, the checkpoint. Any error aborts it, writing nothing. Errors found before the
   * transaction (invalid documents, missing collections) are raised after the fence check, as
   * the embedded store does.
   */
  async commit(batch: WriteBatch): Promise<void> {
    this.assertOpen();
    let prepared: PreparedWrites | undefined;
    let invalid: unknown;
    try {
      prepared = prepareWrites(batch);
      if (batch.checkpoint) checkCheckpointPosition(batch.checkpoint.name, batch.checkpoint.position);
      const missing = await this.missingCollections([...prepared.keys()]);
      if (missing.length > 0) invalid = new Error(`Collection ${missing[0]} does not exist (ensureCollection first)`);
    } catch (error) {
      invalid = error;
    }
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the error it caught, whatever its type
    if (invalid !== undefined && !batch.fence) throw invalid;
    if (invalid === undefined && prepared!.size === 0 && !batch.checkpoint && !batch.fence) return;

    const session = this.client.startSession();
    try {
      await session.withTransaction(
        async (s) => {
          if (batch.fence) await checkFence(this.db, batch.fence, s);
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the error it caught, whatever its type
          if (invalid !== undefined) throw invalid;
          for (const [name, writes] of prepared!) {
            await this.collection(name).bulkWrite(writes.operations, { session: s, ordered: writes.ordered });
          }
          if (batch.checkpoint) {
            const { name, position } = batch.checkpoint;
            await this.db
              .collection<CheckpointDocument>(CHECKPOINTS)
              .replaceOne({ _id: name }, { position: position.toString(), pos: positionToLong(position) }, { upsert: true, session: s });
          }
        },
        { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' } },
      );
    } finally {
      await session.endSession();
    }
  }

  async getCheckpoint(name: string): Promise<bigint | null> {
    this.assertOpen();
    const found = await this.db.collection<CheckpointDocument>(CHECKPOINTS).findOne({ _id: name });
    if (!found) return null;
    return typeof found.position === 'string' ? BigInt(found.position) : longToPosition(found.pos);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    this.assertOpen();
    await this.db.collection<CheckpointDocument>(CHECKPOINTS).deleteOne({ _id: name });
  }

  /**
   * One atomic findOneAndUpdate. The filter matches the lease when it is ours, free (released)
   * or expired (`expiresAt <= now`); the update pipeline keeps the token only when we renew our
   * still-valid lease, and otherwise adds one (1 for a lease that never existed, which the
   * upsert creates). When another owner holds the lease the filter misses, the upsert collides
   * with the existing _id (E11000) and the answer is null.
   */
  async acquireLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<Lease | null> {
    this.assertOpen();
    if (typeof name !== 'string' || typeof owner !== 'string') throw new TypeError('Lease names and owners are strings');
    if (!Number.isFinite(ttlMs) || ttlMs <= 0 || !Number.isFinite(nowMs)) throw new RangeError('ttlMs must be positive and nowMs finite');
    return acquireLease(this.db, name, owner, ttlMs, this.leaseClock === 'server' ? 'server' : nowMs);
  }

  /** Frees the lease if `owner` holds it; the document (and so the token) stays. */
  async releaseLease(name: string, owner: string): Promise<void> {
    this.assertOpen();
    await this.db.collection<LeaseDocument>(LEASES).updateOne({ _id: name, owner }, { $set: { owner: null, expiresAt: null } });
  }

  async getSetting(key: string): Promise<string | null> {
    this.assertOpen();
    const found = await this.db.collection<SettingDocument>(SETTINGS).findOne({ _id: key });
    return found ? found.value : null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.assertOpen();
    if (typeof value !== 'string') throw new TypeError('Settings are strings');
    await this.db.collection<SettingDocument>(SETTINGS).updateOne({ _id: key }, { $set: { value } }, { upsert: true });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Text fields of the collection (from its text index) for a `$text` search: 'nothing' when the
   * collection is missing or the search has no word; TypeError when it has no text fields.
   */
  private async textSearch(name: string, query: TextQuery): Promise<{ fields: string[]; query: TextQuery } | 'nothing'> {
    let indexes: Document[];
    try {
      indexes = await this.collection(name).listIndexes().toArray();
    } catch (error) {
      if (isServerError(error, NAMESPACE_NOT_FOUND)) return 'nothing';
      throw error;
    }
    const fields = indexes.map(textFieldsOfIndex).find((f): f is string[] => f !== null);
    if (!fields) throw new TypeError(`Collection ${name} has no text fields to search`);
    return query.words.length === 0 ? 'nothing' : { fields, query };
  }

  private async missingCollections(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const existing = await this.db.listCollections({ name: { $in: names } }, { nameOnly: true }).toArray();
    const found = new Set(existing.map((c) => c.name));
    return names.filter((n) => !found.has(n));
  }

  private collection(name: string): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(name);
  }

  private async createCollectionIfMissing(name: string): Promise<void> {
    try {
      await this.db.createCollection(name);
    } catch (error) {
      if (!isServerError(error, NAMESPACE_EXISTS)) throw error;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MongoReadStore is closed');
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

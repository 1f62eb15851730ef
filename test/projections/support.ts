/**
 * Shared helpers for the projection specs: real stores (SQLite, in memory), applying events with
 * the real applyBatch / Projector, and snapshots of whole collections for deep comparison.
 */
import Database from 'better-sqlite3';
import { newId } from '../../src/application/clock';
import type { EventStore, RecordedEvent } from '../../src/infrastructure/event-store/event-store.port';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite-event-store';
import type {
  CollectionSpec,
  Filter,
  FindOptions,
  Lease,
  Page,
  ReadDocument,
  ReadStore,
  WriteBatch,
} from '../../src/infrastructure/read-store/read-store.port';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { allProjections } from '../../src/projections';
import { liveGenerationOf, physicalName, Projection } from '../../src/projections/projection';
import { applyBatch, ensureGeneration, Projector, ProjectorOptions, toProjected } from '../../src/projections/projector';
import { Scenario } from '../support/scenario';

export interface Stores {
  events: SqliteEventStore;
  read: SqliteReadStore;
  /** The read store's own connection, to look at what tables exist. */
  readDb: Database.Database;
  scenario: Scenario;
  projections: Projection[];
  close(): Promise<void>;
}

export function openStores(): Stores {
  const events = SqliteEventStore.open(':memory:', { pollIntervalMs: 10 });
  const readDb = new Database(':memory:');
  const read = new SqliteReadStore(readDb);
  const scenario = new Scenario(events);
  return {
    events,
    read,
    readDb,
    scenario,
    projections: allProjections(scenario.rules),
    async close() {
      await events.close();
      await read.close();
      readDb.close();
    },
  };
}

export function projectionNamed(projections: Projection[], name: string): Projection {
  const p = projections.find((x) => x.name === name);
  if (!p) throw new Error(`no projection ${name}`);
  return p;
}

/** Every stored event, in position order. */
export async function readAllEvents(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after = 0n;
  for (;;) {
    const batch = await store.readAll({ after, maxCount: 1000 });
    all.push(...batch);
    if (batch.length < 1000) return all;
    after = batch[batch.length - 1].position;
  }
}

/** Applies `recorded` with the real applyBatch, `batchSize` events per commit, to the live generation. */
export async function applyEvents(read: ReadStore, projections: Projection[], recorded: RecordedEvent[], batchSize = 50): Promise<void> {
  for (const projection of projections) {
    const generation = await liveGenerationOf(read, projection.name);
    await ensureGeneration(read, projection, generation);
    for (let i = 0; i < recorded.length; i += batchSize) {
      const slice = recorded.slice(i, i + batchSize);
      const projected = slice.map(toProjected).filter((e) => e !== null);
      await applyBatch(read, projection, generation, projected, slice[slice.length - 1].position);
    }
  }
}

/** Runs a real Projector from the stored checkpoints up to the head, then stops it. */
export async function runProjector(stores: Pick<Stores, 'events' | 'read' | 'projections'>, options: Partial<ProjectorOptions> = {}): Promise<void> {
  const projector = new Projector(stores.events, stores.read, stores.projections, { owner: `test-${newId()}`, batchSize: 25, ...options });
  await projector.start();
  try {
    await projector.caughtUp();
  } finally {
    await projector.stop();
  }
}

/** Every document of a physical collection, sorted by _id. */
export async function allDocs<T extends ReadDocument = ReadDocument>(read: ReadStore, collection: string): Promise<T[]> {
  const docs: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await read.find<T>(collection, {}, { limit: 1000, ...(cursor ? { cursor } : {}) });
    docs.push(...page.items);
    if (!page.nextCursor) return docs;
    cursor = page.nextCursor;
  }
}

/** Every collection of the projections at a generation (the live one by default): logical name → docs. */
export async function snapshot(read: ReadStore, projections: Projection[], generation?: number): Promise<Record<string, ReadDocument[]>> {
  const out: Record<string, ReadDocument[]> = {};
  for (const projection of projections) {
    const g = generation ?? (await liveGenerationOf(read, projection.name));
    for (const spec of projection.collections) out[spec.name] = await allDocs(read, physicalName(spec.name, g));
  }
  return out;
}

/** Whether the SQLite read store still has a table for a physical collection. */
export function tableExists(db: Database.Database, collection: string): boolean {
  return db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get('table', `doc_${collection}`) !== undefined;
}

/** Waits (without asserting on time) until `condition` holds; Jest's timeout bounds it. */
export async function until(condition: () => boolean | Promise<boolean>, pauseMs = 5): Promise<void> {
  while (!(await condition())) await new Promise((r) => setTimeout(r, pauseMs));
}

/** A PetitionSigned event on a new signer stream, copied from a stored one (new ids and hash). */
export async function appendLateSignature(store: EventStore, template: RecordedEvent, signedAt: string): Promise<void> {
  const signerHash = `late${newId().replace(/-/g, '')}`;
  const data = { ...template.data, signatureId: newId(), signerHash, signedAt };
  const petitionId = template.data.petitionId as string;
  const { chain: _chain, ...metadata } = template.metadata;
  await store.appendToStream(
    `signature-${petitionId}-${signerHash}`,
    [{ id: newId(), type: template.type, data, metadata: { ...metadata, occurredAt: signedAt } }],
    {
      expectedRevision: 'no_stream',
    },
  );
}

/** Forwards everything to a real read store; test doubles of failures override one method. */
export class DelegatingReadStore implements ReadStore {
  constructor(protected readonly inner: ReadStore) {}

  commit(batch: WriteBatch): Promise<void> {
    return this.inner.commit(batch);
  }
  ensureCollection(spec: CollectionSpec): Promise<void> {
    return this.inner.ensureCollection(spec);
  }
  dropCollection(name: string): Promise<void> {
    return this.inner.dropCollection(name);
  }
  get<T extends ReadDocument>(collection: string, id: string): Promise<T | null> {
    return this.inner.get<T>(collection, id);
  }
  getMany<T extends ReadDocument>(collection: string, ids: string[]): Promise<T[]> {
    return this.inner.getMany<T>(collection, ids);
  }
  find<T extends ReadDocument>(collection: string, filter?: Filter, options?: FindOptions): Promise<Page<T>> {
    return this.inner.find<T>(collection, filter, options);
  }
  count(collection: string, filter?: Filter): Promise<number> {
    return this.inner.count(collection, filter);
  }
  getCheckpoint(name: string): Promise<bigint | null> {
    return this.inner.getCheckpoint(name);
  }
  deleteCheckpoint(name: string): Promise<void> {
    return this.inner.deleteCheckpoint(name);
  }
  acquireLease(name: string, owner: string, ttlMs: number, nowMs: number): Promise<Lease | null> {
    return this.inner.acquireLease(name, owner, ttlMs, nowMs);
  }
  releaseLease(name: string, owner: string): Promise<void> {
    return this.inner.releaseLease(name, owner);
  }
  getSetting(key: string): Promise<string | null> {
    return this.inner.getSetting(key);
  }
  setSetting(key: string, value: string): Promise<void> {
    return this.inner.setSetting(key, value);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  async bulkLoad(on: boolean): Promise<void> {
    await this.inner.bulkLoad?.(on);
  }
}

import type { ReadDocument, ReadStore, WriteBatch } from '../infrastructure/read-store/read-store.port';
import type { DocKey, UnitOfWork } from './projection';

/**
 * One batch of events applied to one projection: documents are read once (getMany per
 * collection), changed in memory, and written back with the checkpoint in one commit.
 */
export class BatchUnitOfWork implements UnitOfWork {
  private readonly docs = new Map<string, Map<string, ReadDocument | null>>();
  private readonly dirty = new Map<string, Set<string>>();
  private lastEvent: { position: bigint } | null = null;
  private lastPosition = '';

  constructor(private readonly physical: (logical: string) => string) {}

  async prefetch(store: ReadStore, keys: DocKey[]): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (const k of keys) {
      if (this.docs.get(k.collection)?.has(k.id)) continue;
      let ids = wanted.get(k.collection);
      if (!ids) wanted.set(k.collection, (ids = new Set()));
      ids.add(k.id);
    }
    for (const [collection, ids] of wanted) {
      const found = await store.getMany(this.physical(collection), [...ids]);
      const cache = this.cache(collection);
      for (const id of ids) cache.set(id, null);
      for (const doc of found) cache.set(doc._id, doc);
    }
  }

  /** A loaded document, or null when absent or not loaded. */
  peek<T extends ReadDocument>(collection: string, id: string): T | null {
    return (this.docs.get(collection)?.get(id) ?? null) as T | null;
  }

  get<T extends ReadDocument>(collection: string, id: string): T | null {
    const cache = this.docs.get(collection);
    if (!cache || !cache.has(id)) throw new Error(`${collection}/${id} was not named by keys() and so not prefetched`);
    return cache.get(id) as T | null;
  }

  change<T extends ReadDocument>(collection: string, id: string, event: { position: bigint }, change: (current: T | null) => T | null): void {
    const cache = this.docs.get(collection);
    if (!cache || !cache.has(id)) throw new Error(`${collection}/${id} was not named by keys() and so not prefetched`);
    const current = cache.get(id) as T | null;
    const position = this.positionOf(event);
    if (current?._position !== undefined && !positionBefore(current._position, position)) return; // replayed
    const next = change(current);
    // The document returned is the projection's own (a fresh copy, or the current one, which this
    // batch replaces anyway): it takes its id and position in place rather than in another copy.
    if (next) {
      next._id = id;
      next._position = position;
    }
    // A deletion keeps a tombstone in memory so a later event in the batch sees "absent".
    cache.set(id, next);
    let ids = this.dirty.get(collection);
    if (!ids) this.dirty.set(collection, (ids = new Set()));
    ids.add(id);
  }

  /** The writes of this batch (guarded by position), plus the checkpoint. */
  toBatch(checkpoint: WriteBatch['checkpoint'], fence?: WriteBatch['fence']): WriteBatch {
    const batch: WriteBatch = { puts: [], deletes: [], ...(checkpoint ? { checkpoint } : {}), ...(fence ? { fence } : {}) };
    for (const [collection, ids] of this.dirty) {
      const cache = this.cache(collection);
      for (const id of ids) {
        const doc = cache.get(id);
        if (doc) batch.puts.push({ collection: this.physical(collection), doc, guarded: true });
        else batch.deletes.push({ collection: this.physical(collection), id });
      }
    }
    return batch;
  }

  /** The event's position as a document's `_position`, written once per event, not once per document. */
  private positionOf(event: { position: bigint }): string {
    if (event !== this.lastEvent) {
      this.lastEvent = event;
      this.lastPosition = event.position.toString();
    }
    return this.lastPosition;
  }

  private cache(collection: string): Map<string, ReadDocument | null> {
    let cache = this.docs.get(collection);
    if (!cache) this.docs.set(collection, (cache = new Map()));
    return cache;
  }
}

const CANONICAL_POSITION = /^(0|[1-9][0-9]*)$/;

/**
 * Whether `stored` is an earlier position than `position` (canonical: written from a bigint). A
 * canonical decimal (the port's rule for `_position`) that is shorter is smaller, and equal lengths
 * compare as text; anything else is compared as numbers.
 */
export function positionBefore(stored: string, position: string): boolean {
  if (!CANONICAL_POSITION.test(stored)) return BigInt(stored) < BigInt(position);
  return stored.length === position.length ? stored < position : stored.length < position.length;
}

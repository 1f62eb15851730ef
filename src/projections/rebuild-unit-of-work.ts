import type { ReadDocument, ReadStore, WriteBatch } from '../infrastructure/read-store/read-store.port';
import type { DocKey, UnitOfWork } from './projection';
import { positionBefore } from './unit-of-work';

export interface RebuildUnitOfWorkOptions {
  /**
   * Documents used again after their first batch kept in memory between batches, the most
   * recently used first. A petition's document, changed by each of its signatures, is then read
   * and written once per stay in memory rather than once per batch.
   */
  retain: number;
}

interface Entry {
  collection: string;
  id: string;
  doc: ReadDocument | null;
  dirty: boolean;
  /** Used in more than one batch (or twice in one): kept between batches. */
  reused: boolean;
}

/**
 * The unit of work of a rebuild: one for the whole replay of one projection into a new, empty
 * generation that nothing else writes (the rebuild holds its lease and fences every commit).
 *
 * Unlike the live projector's BatchUnitOfWork, documents used again stay in memory across
 * batches, up to `retain` of them, least recently used first out: a document leaves memory
 * written (if it changed), and is read back if an event needs it again. So the hottest documents
 * — a petition signed thousands of times, a council's dashboard, a day's signature count — are
 * read and written a handful of times in a rebuild, not once per batch. A document used by one
 * event only (a signature, a history entry: most of them) leaves memory after its batch.
 *
 * Since the generation started empty, a document that was never written out is known to be
 * absent without asking the store: a filter of the ids written out (a Bloom filter: it may say
 * "perhaps" wrongly, never "no") spares a read for nearly every new document (each signature).
 *
 * What is written before the end carries no checkpoint: documents still in memory are not in it,
 * and a rebuild that stops half-way starts again from zero anyway. `finish` writes the rest and
 * the checkpoint.
 */
export class RebuildUnitOfWork implements UnitOfWork {
  private readonly byCollection = new Map<string, Map<string, Entry>>();
  /** Entries used in one batch only (so far), and entries used again, least recently used first. */
  private readonly once = new Set<Entry>();
  private readonly reused = new Set<Entry>();
  private readonly written = new Map<string, BloomFilter>();
  private lastEvent: { position: bigint } | null = null;
  private lastPosition = '';

  constructor(
    private readonly physical: (logical: string) => string,
    private readonly options: RebuildUnitOfWorkOptions,
  ) {}

  /** Loads the documents named by `keys` that are not in memory: from the store only when they may have been written out. */
  async prefetch(store: ReadStore, keys: DocKey[]): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (const k of keys) {
      const entry = this.byCollection.get(k.collection)?.get(k.id);
      if (entry) {
        this.touch(entry);
        continue;
      }
      if (!this.written.get(k.collection)?.mayHave(k.id)) {
        this.remember(k.collection, k.id, null, false);
        continue;
      }
      let ids = wanted.get(k.collection);
      if (!ids) wanted.set(k.collection, (ids = new Set()));
      ids.add(k.id);
    }
    for (const [collection, ids] of wanted) {
      const found = new Map<string, ReadDocument>();
      for (const doc of await store.getMany(this.physical(collection), [...ids])) found.set(doc._id, doc);
      for (const id of ids) this.remember(collection, id, found.get(id) ?? null, false);
    }
  }

  peek<T extends ReadDocument>(collection: string, id: string): T | null {
    return (this.byCollection.get(collection)?.get(id)?.doc ?? null) as T | null;
  }

  get<T extends ReadDocument>(collection: string, id: string): T | null {
    const entry = this.byCollection.get(collection)?.get(id);
    if (!entry) throw new Error(`${collection}/${id} was not named by keys() and so not prefetched`);
    return entry.doc as T | null;
  }

  change<T extends ReadDocument>(collection: string, id: string, event: { position: bigint }, change: (current: T | null) => T | null): void {
    const entry = this.byCollection.get(collection)?.get(id);
    if (!entry) throw new Error(`${collection}/${id} was not named by keys() and so not prefetched`);
    const current = entry.doc as T | null;
    const position = this.positionOf(event);
    if (current?._position !== undefined && !positionBefore(current._position, position)) return; // replayed
    const next = change(current);
    if (next) {
      next._id = id;
      next._position = position;
    }
    entry.doc = next;
    entry.dirty = true;
  }

  /**
   * After a batch: the writes of the documents leaving memory (those used in this batch only, and
   * the least recently used beyond `retain`), without a checkpoint. Null when nothing is to be written.
   */
  evictions(fence?: WriteBatch['fence']): WriteBatch | null {
    const leaving = [...this.once];
    const excess = this.reused.size - this.options.retain;
    if (excess > 0) {
      // Down to nine tenths: some evictions every few batches rather than a few after every one.
      let n = excess + Math.floor(this.options.retain / 10);
      for (const entry of this.reused) {
        if (n-- <= 0) break;
        leaving.push(entry);
      }
    }
    for (const entry of leaving) this.forget(entry);
    return this.writesOf(
      leaving.filter((e) => e.dirty),
      undefined,
      fence,
    );
  }

  /** Every changed document still in memory, in chunks of `chunk` writes; the checkpoint goes with the last. */
  finish(checkpoint: NonNullable<WriteBatch['checkpoint']>, fence?: WriteBatch['fence'], chunk = 5000): WriteBatch[] {
    const dirty = [...this.once, ...this.reused].filter((e) => e.dirty);
    for (const entry of dirty) entry.dirty = false;
    const batches: WriteBatch[] = [];
    for (let i = 0; i < dirty.length; i += chunk) batches.push(this.writesOf(dirty.slice(i, i + chunk), undefined, fence)!);
    if (batches.length === 0) batches.push({ puts: [], deletes: [] });
    const last = batches[batches.length - 1];
    last.checkpoint = checkpoint;
    if (fence) last.fence = fence;
    return batches;
  }

  private writesOf(entries: Entry[], checkpoint: WriteBatch['checkpoint'], fence: WriteBatch['fence']): WriteBatch | null {
    if (entries.length === 0 && !checkpoint) return null;
    const batch: WriteBatch = { puts: [], deletes: [], ...(checkpoint ? { checkpoint } : {}), ...(fence ? { fence } : {}) };
    for (const entry of entries) {
      const collection = this.physical(entry.collection);
      if (entry.doc) batch.puts.push({ collection, doc: entry.doc, guarded: true });
      else batch.deletes.push({ collection, id: entry.id });
      let filter = this.written.get(entry.collection);
      if (!filter) this.written.set(entry.collection, (filter = new BloomFilter()));
      filter.add(entry.id);
    }
    return batch;
  }

  private remember(collection: string, id: string, doc: ReadDocument | null, dirty: boolean): void {
    let entries = this.byCollection.get(collection);
    if (!entries) this.byCollection.set(collection, (entries = new Map()));
    const entry: Entry = { collection, id, doc, dirty, reused: false };
    entries.set(id, entry);
    this.once.add(entry);
  }

  private touch(entry: Entry): void {
    if (entry.reused) {
      this.reused.delete(entry);
    } else {
      this.once.delete(entry);
      entry.reused = true;
    }
    this.reused.add(entry);
  }

  private forget(entry: Entry): void {
    (entry.reused ? this.reused : this.once).delete(entry);
    this.byCollection.get(entry.collection)!.delete(entry.id);
  }

  private positionOf(event: { position: bigint }): string {
    if (event !== this.lastEvent) {
      this.lastEvent = event;
      this.lastPosition = event.position.toString();
    }
    return this.lastPosition;
  }
}

/**
 * A set of strings that answers "perhaps" or "certainly not" (false positives, never false
 * negatives): 2^24 bits (2 MiB), four probes from two FNV-1a hashes. About 0.2 % false positives at
 * a million ids; more beyond, which costs reads, never correctness.
 */
export class BloomFilter {
  private static readonly BITS = 1 << 24;
  private readonly bits = new Uint32Array(BloomFilter.BITS / 32);

  add(id: string): void {
    const [a, b] = hashes(id);
    for (let i = 0; i < 4; i++) {
      const bit = (a + i * b) & (BloomFilter.BITS - 1);
      this.bits[bit >>> 5] |= 1 << (bit & 31);
    }
  }

  mayHave(id: string): boolean {
    const [a, b] = hashes(id);
    for (let i = 0; i < 4; i++) {
      const bit = (a + i * b) & (BloomFilter.BITS - 1);
      if ((this.bits[bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

function hashes(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  // The second hash odd, so that the probes differ.
  return [a >>> 0, (b >>> 0) | 1];
}

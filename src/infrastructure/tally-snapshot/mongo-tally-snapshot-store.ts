import type { Collection, Db } from 'mongodb';
import type { StoredTallySnapshot, TallySnapshotStore } from './tally-snapshot-store.port';

interface SnapshotDoc {
  _id: string;
  /** Zero-padded to 20 digits, so string order is numeric order (EventStoreDB positions reach 2^64). */
  position: string;
  payload: string;
  savedAt: Date;
}

const pad = (p: bigint) => p.toString().padStart(20, '0');

/**
 * Tally snapshots in MongoDB (production stack), one document per name. A save is one conditional
 * upsert: it matches only a stored snapshot at a lower position; when a newer one is stored the
 * upsert tries to insert the same _id and MongoDB refuses it (duplicate key, 11000): nothing saved.
 * A document is limited to 16 MB: some 150,000 petitions' tallies.
 */
export class MongoTallySnapshotStore implements TallySnapshotStore {
  private readonly snapshots: Collection<SnapshotDoc>;

  constructor(db: Db) {
    this.snapshots = db.collection<SnapshotDoc>('tally_snapshots');
  }

  async load(name: string): Promise<StoredTallySnapshot | undefined> {
    const doc = await this.snapshots.findOne({ _id: name });
    if (!doc) return undefined;
    if (typeof doc.position === 'string' && /^[0-9]{20}$/.test(doc.position) && typeof doc.payload === 'string') {
      return { position: BigInt(doc.position), payload: doc.payload };
    }
    // Not written by this adapter: drop it, or its position would block every later save.
    await this.snapshots.deleteOne({ _id: name, position: doc.position });
    return undefined;
  }

  async save(name: string, snapshot: StoredTallySnapshot): Promise<boolean> {
    const position = pad(snapshot.position);
    try {
      const result = await this.snapshots.updateOne(
        { _id: name, position: { $lt: position } },
        { $set: { position, payload: snapshot.payload, savedAt: new Date() } },
        { upsert: true },
      );
      return result.modifiedCount + result.upsertedCount > 0;
    } catch (e) {
      if ((e as { code?: number }).code === 11000) return false;
      throw e;
    }
  }

  async discard(name: string, position: bigint): Promise<void> {
    await this.snapshots.deleteOne({ _id: name, position: pad(position) });
  }
}

/**
 * The key store on MongoDB (driver 7): collection `signer_keys`, one document per data key, `_id`
 * the key id, indexed by petition and by subject. Deletion removes the document; MongoDB (WiredTiger)
 * reuses the freed space and its journal and oplog entries age out — run the replica set on
 * encrypted storage so what is not yet overwritten stays unreadable.
 */
import { Binary, type Collection, type Db } from 'mongodb';
import type { KeyStore, SignerKeyRecord } from './key-store.port';

interface KeyDoc {
  _id: string;
  petitionId: string;
  signatureId: string;
  subjectHash: string;
  wrappedKey: Binary;
  masterKeyId: string;
  createdAt: string;
}

const toRecord = (d: KeyDoc): SignerKeyRecord => ({
  keyId: d._id,
  petitionId: d.petitionId,
  signatureId: d.signatureId,
  subjectHash: d.subjectHash,
  wrappedKey: Buffer.from(d.wrappedKey.buffer),
  masterKeyId: d.masterKeyId,
  createdAt: d.createdAt,
});

export class MongoKeyStore implements KeyStore {
  private readonly keys: Collection<KeyDoc>;

  constructor(db: Db) {
    this.keys = db.collection<KeyDoc>('signer_keys');
  }

  async init(): Promise<void> {
    await this.keys.createIndexes([{ key: { petitionId: 1 } }, { key: { subjectHash: 1, petitionId: 1 } }]);
  }

  async put(r: SignerKeyRecord): Promise<void> {
    await this.keys.insertOne({
      _id: r.keyId,
      petitionId: r.petitionId,
      signatureId: r.signatureId,
      subjectHash: r.subjectHash,
      wrappedKey: new Binary(r.wrappedKey),
      masterKeyId: r.masterKeyId,
      createdAt: r.createdAt,
    });
  }

  async getMany(keyIds: string[]): Promise<Map<string, SignerKeyRecord>> {
    const found = new Map<string, SignerKeyRecord>();
    if (keyIds.length === 0) return found;
    for await (const doc of this.keys.find({ _id: { $in: keyIds } })) found.set(doc._id, toRecord(doc));
    return found;
  }

  async findBySubject(subjectHash: string, petitionId?: string): Promise<SignerKeyRecord[]> {
    const docs = await this.keys.find({ subjectHash, ...(petitionId ? { petitionId } : {}) }).toArray();
    return docs.map(toRecord);
  }

  async delete(keyIds: string[]): Promise<number> {
    if (keyIds.length === 0) return 0;
    const result = await this.keys.deleteMany({ _id: { $in: keyIds } }, { writeConcern: { w: 'majority', journal: true } });
    return result.deletedCount;
  }

  async deletePetition(petitionId: string): Promise<number> {
    const result = await this.keys.deleteMany({ petitionId }, { writeConcern: { w: 'majority', journal: true } });
    return result.deletedCount;
  }

  async close(): Promise<void> {
    // The client belongs to the read store that opened it.
  }
}

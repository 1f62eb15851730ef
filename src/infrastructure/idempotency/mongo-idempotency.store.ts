import type { Collection, Db } from 'mongodb';
import type { IdempotencyBegin, IdempotencyStore } from './idempotency.port';

interface KeyDoc {
  _id: string;
  fingerprint: string;
  claimedAt: number;
  status: number | null;
  body: string | null;
  /** For the TTL index: answers are kept for a day. */
  createdAt: Date;
}

const STALE_CLAIM_MS = 5 * 60_000;

/** Idempotency keys shared by every API instance, in MongoDB (production stack). */
export class MongoIdempotencyStore implements IdempotencyStore {
  private readonly keys: Collection<KeyDoc>;

  constructor(db: Db) {
    this.keys = db.collection<KeyDoc>('idempotency_keys');
  }

  async init(): Promise<void> {
    await this.keys.createIndex({ createdAt: 1 }, { expireAfterSeconds: 86_400 });
  }

  async begin(scope: string, key: string, fingerprint: string, nowMs: number): Promise<IdempotencyBegin> {
    const _id = `${scope}\n${key}`;
    try {
      await this.keys.insertOne({ _id, fingerprint, claimedAt: nowMs, status: null, body: null, createdAt: new Date(nowMs) });
      return { state: 'new' };
    } catch (e) {
      if ((e as { code?: number }).code !== 11000) throw e;
    }
    const row = await this.keys.findOne({ _id });
    if (!row) return this.begin(scope, key, fingerprint, nowMs);
    if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (row.status !== null) return { state: 'done', status: row.status, body: row.body === null ? undefined : JSON.parse(row.body) };
    if (nowMs - row.claimedAt > STALE_CLAIM_MS) {
      const taken = await this.keys.updateOne({ _id, status: null, claimedAt: row.claimedAt }, { $set: { claimedAt: nowMs } });
      if (taken.modifiedCount === 1) return { state: 'new' };
    }
    return { state: 'in_progress' };
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.keys.updateOne({ _id: `${scope}\n${key}` }, { $set: { status, body: body === undefined ? null : JSON.stringify(body) } });
  }

  async abandon(scope: string, key: string): Promise<void> {
    await this.keys.deleteOne({ _id: `${scope}\n${key}`, status: null });
  }
}

import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
import type { Collection, Db } from 'mongodb';
import { toRecord } from './sqlite-throttler.storage';

interface CounterDoc {
  _id: string;
  hits: number;
  windowEnds: number;
  blockedUntil: number;
  /** For the TTL index: the counter is dropped once its window and block have both passed. */
  expiresAt: Date;
}

/**
 * Rate-limit counters shared by every API instance, in the read store's MongoDB database
 * (production). Same fixed window and block as SqliteThrottlerStorage, in one atomic
 * findOneAndUpdate with an update pipeline: in one $set stage every field reference is the
 * document before the hit, so the new values are computed together, as SQLite's UPDATE does.
 */
export class MongoThrottlerStorage implements ThrottlerStorage {
  private readonly counters: Collection<CounterDoc>;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.counters = db.collection<CounterDoc>('rate_limits');
  }

  async init(): Promise<void> {
    await this.counters.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName?: string): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    const blocked = { $gt: [{ $ifNull: ['$blockedUntil', 0] }, now] };
    const expired = { $lte: [{ $ifNull: ['$windowEnds', 0] }, now] };
    const pipeline = [
      {
        $set: {
          hits: { $cond: [blocked, '$hits', { $cond: [expired, 1, { $add: ['$hits', 1] }] }] },
          windowEnds: { $cond: [blocked, '$windowEnds', { $cond: [expired, now + ttl, '$windowEnds'] }] },
          blockedUntil: {
            $cond: [blocked, '$blockedUntil', { $cond: [{ $and: [{ $not: [expired] }, { $gt: [{ $add: ['$hits', 1] }, limit] }] }, now + blockDuration, 0] }],
          },
        },
      },
      { $set: { expiresAt: { $toDate: { $max: ['$windowEnds', '$blockedUntil'] } } } },
    ];
    const update = () => this.counters.findOneAndUpdate({ _id: key }, pipeline, { upsert: true, returnDocument: 'after' });
    let doc: CounterDoc | null;
    try {
      doc = await update();
    } catch (e) {
      // Two first hits on a new key: one upsert inserts, the other sees the duplicate; it then updates.
      if ((e as { code?: number }).code !== 11000) throw e;
      doc = await update();
    }
    if (!doc) throw new Error(`rate limit counter ${key} was not returned`);
    return toRecord(doc.hits, doc.windowEnds, doc.blockedUntil, now);
  }
}

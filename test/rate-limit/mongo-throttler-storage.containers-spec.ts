/**
 * MongoThrottlerStorage against a real MongoDB 7 (testcontainers): the shared contract with two
 * clients on one database (two API instances), then the TTL index. Needs a Docker engine;
 * without one the file is skipped with one line (describeWithDocker).
 */
import { randomUUID } from 'crypto';
import { MongoClient } from 'mongodb';
import { MongoThrottlerStorage } from '../../src/infrastructure/rate-limit/mongo-throttler.storage';
import { describeWithDocker, startMongo, type StartedService } from '../containers/docker';
import { throttlerStorageContract } from './throttler-storage.contract';

describeWithDocker('MongoThrottlerStorage on mongo:7 (testcontainers)', () => {
  let mongo: StartedService | undefined;
  let clients: MongoClient[] = [];

  beforeAll(async () => {
    mongo = await startMongo();
    clients = [await new MongoClient(mongo.url).connect(), await new MongoClient(mongo.url).connect()];
  });

  afterAll(async () => {
    for (const c of clients) await c.close();
    await mongo?.stop();
  });

  throttlerStorageContract('MongoDB, two clients', async (clock) => {
    const name = `limits_${randomUUID().replace(/-/g, '')}`;
    const storage = new MongoThrottlerStorage(clients[0].db(name), () => clock.ms());
    await storage.init();
    const other = new MongoThrottlerStorage(clients[1].db(name), () => clock.ms());
    await other.init(); // idempotent: a second API instance starting up
    return { storage, other, teardown: async () => void (await clients[0].db(name).dropDatabase()) };
  });

  it('keeps counters in a collection whose TTL index drops them once window and block have passed', async () => {
    const db = clients[0].db(`limits_${randomUUID().replace(/-/g, '')}`);
    try {
      const now = Date.parse('2027-01-11T09:00:00.000Z');
      const storage = new MongoThrottlerStorage(db, () => now);
      await storage.init();
      await storage.increment('k', 60_000, 1, 120_000, 'address');
      await storage.increment('k', 60_000, 1, 120_000, 'address');
      const indexes = await db.collection('rate_limits').listIndexes().toArray();
      expect(indexes.find((ix) => ix.key?.expiresAt === 1)).toMatchObject({ expireAfterSeconds: 0 });
      const doc = await db.collection('rate_limits').findOne({ _id: 'k' as never });
      expect((doc?.expiresAt as Date).getTime()).toBe(now + 120_000);
    } finally {
      await db.dropDatabase();
    }
  });
});

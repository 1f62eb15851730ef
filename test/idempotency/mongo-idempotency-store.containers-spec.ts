/**
 * MongoIdempotencyStore against a real MongoDB 7 (testcontainers): the shared contract, then what
 * only MongoDB does (the TTL index that forgets answers after a day). Needs a Docker engine;
 * without one the file is skipped with one line (describeWithDocker).
 */
import { randomUUID } from 'crypto';
import { MongoClient } from 'mongodb';
import { MongoIdempotencyStore } from '../../src/infrastructure/idempotency/mongo-idempotency.store';
import { describeWithDocker, startMongo, type StartedService } from '../containers/docker';
import { TestClock } from '../support/test-clock';
import { idempotencyStoreContract, uniqueScope } from './idempotency-store.contract';

describeWithDocker('MongoIdempotencyStore on mongo:7 (testcontainers)', () => {
  let mongo: StartedService | undefined;
  let client: MongoClient;

  beforeAll(async () => {
    mongo = await startMongo();
    client = await new MongoClient(mongo.url).connect();
  });

  afterAll(async () => {
    await client?.close();
    await mongo?.stop();
  });

  /** A store on a fresh database, dropped at the end. */
  async function openStore() {
    const db = client.db(`idem_${randomUUID().replace(/-/g, '')}`);
    const store = new MongoIdempotencyStore(db);
    await store.init();
    return { store, db, teardown: async () => void (await db.dropDatabase()) };
  }

  idempotencyStoreContract('MongoDB', openStore);

  it('keeps keys in a collection whose TTL index forgets them a day after the claim', async () => {
    const { store, db, teardown } = await openStore();
    try {
      const clock = new TestClock();
      const scope = uniqueScope();
      await store.begin(scope, 'k', 'fp', clock.ms());
      const indexes = await db.collection('idempotency_keys').listIndexes().toArray();
      expect(indexes.find((ix) => ix.key?.createdAt === 1)).toMatchObject({ expireAfterSeconds: 86_400 });
      const doc = await db.collection('idempotency_keys').findOne({});
      expect((doc?.createdAt as Date).getTime()).toBe(clock.ms());
      await store.init(); // idempotent: a second API instance starting up
    } finally {
      await teardown();
    }
  });
});

/**
 * MongoKeyStore against a real MongoDB 7 (testcontainers): the shared contract, and its indexes.
 * Needs a Docker engine; without one the file is skipped with one line (describeWithDocker).
 */
import { randomUUID } from 'crypto';
import { MongoClient } from 'mongodb';
import { MongoKeyStore } from '../../src/infrastructure/vault/mongo-key-store';
import { describeWithDocker, startMongo, type StartedService } from '../containers/docker';
import { keyStoreContract } from './key-store.contract';

describeWithDocker('MongoKeyStore on mongo:7 (testcontainers)', () => {
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

  async function openStore() {
    const db = client.db(`keys_${randomUUID().replace(/-/g, '')}`);
    const store = new MongoKeyStore(db);
    await store.init();
    return { store, db, teardown: async () => void (await db.dropDatabase()) };
  }

  keyStoreContract('MongoDB', openStore);

  it('finds keys by petition and by person through indexes', async () => {
    const { store, db, teardown } = await openStore();
    try {
      const indexes = await db.collection('signer_keys').listIndexes().toArray();
      expect(indexes.map((ix) => ix.key)).toEqual(expect.arrayContaining([{ petitionId: 1 }, { subjectHash: 1, petitionId: 1 }]));
      await store.init(); // idempotent: a second instance starting up
    } finally {
      await teardown();
    }
  });
});

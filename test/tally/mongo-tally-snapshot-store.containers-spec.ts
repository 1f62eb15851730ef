/**
 * MongoTallySnapshotStore against a real MongoDB 7 (testcontainers): the shared contract, with a
 * second client standing for another API process. Needs a Docker engine; without one the file is
 * skipped with one line (describeWithDocker).
 */
import { randomUUID } from 'crypto';
import { MongoClient } from 'mongodb';
import { MongoTallySnapshotStore } from '../../src/infrastructure/tally-snapshot/mongo-tally-snapshot-store';
import { describeWithDocker, startMongo, type StartedService } from '../containers/docker';
import { tallySnapshotStoreContract } from './tally-snapshot-store.contract';

describeWithDocker('MongoTallySnapshotStore on mongo:7 (testcontainers)', () => {
  let mongo: StartedService | undefined;
  let client: MongoClient;
  let otherClient: MongoClient;

  beforeAll(async () => {
    mongo = await startMongo();
    client = await new MongoClient(mongo.url).connect();
    otherClient = await new MongoClient(mongo.url).connect();
  });

  afterAll(async () => {
    await client?.close();
    await otherClient?.close();
    await mongo?.stop();
  });

  async function openStore() {
    const name = `tallies_${randomUUID().replace(/-/g, '')}`;
    const db = client.db(name);
    return {
      db,
      store: new MongoTallySnapshotStore(db),
      other: new MongoTallySnapshotStore(otherClient.db(name)),
      teardown: async () => void (await db.dropDatabase()),
    };
  }

  tallySnapshotStoreContract('MongoDB (two clients)', openStore);

  it('drops a document whose position it cannot read, so that saves are not refused behind it', async () => {
    const { db, store, teardown } = await openStore();
    try {
      await db
        .collection<{ _id: string; position: number; payload: string; savedAt: Date }>('tally_snapshots')
        .insertOne({ _id: 'tallies', position: 42, payload: '{}', savedAt: new Date() });
      expect(await store.load('tallies')).toBeUndefined();
      expect(await store.save('tallies', { position: 3n, payload: 'at 3' })).toBe(true);
    } finally {
      await teardown();
    }
  });
});

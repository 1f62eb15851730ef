/**
 * What only real servers can prove about the production fixes (docs/operations.md lists these as
 * "verified only by the container suites"): a tombstoned stream is a 404/409 not a crash; the
 * same append sent twice after an unknown outcome is stored once; an event another tool wrote is
 * parked, not a stall; headPosition is the last append; a standalone MongoDB is refused at
 * connect; leases expire on MongoDB's clock whatever the callers' clocks say.
 * Needs a Docker engine (CONTAINERS_REQUIRED=1 makes its absence a failure).
 */
import { binaryEvent, EventStoreDBClient } from '@eventstore/db-client';
import { EsdbEventStore } from '../../src/infrastructure/event-store/esdb/esdb-event-store';
import { StreamNotFoundError, UndecodableEvent, WrongExpectedVersionError } from '../../src/infrastructure/event-store/event-store.port';
import { MongoReadStore } from '../../src/infrastructure/read-store/mongo/mongo-read-store';
import { event, rejectionOf, streamName, waitFor } from '../event-store/event-store.contract';
import { uniqueName } from '../read-store/read-store.contract';
import { connectWithRetry, describeWithDocker, startEventStoreDb, startMongo, startStandaloneMongo, type StartedService } from './docker';

describeWithDocker('production stack on real servers', () => {
  describe('EventStoreDB / KurrentDB', () => {
    let esdb: StartedService | undefined;
    let store: EsdbEventStore;
    let client: EventStoreDBClient;

    beforeAll(async () => {
      esdb = await startEventStoreDb();
      store = await connectWithRetry(() => EsdbEventStore.connect(esdb!.url, { connectTimeoutMs: 5_000 }));
      client = EventStoreDBClient.connectionString(esdb.url);
    });

    afterAll(async () => {
      await store?.close();
      await client?.dispose();
      await esdb?.stop();
    });

    it('reads a tombstoned stream as absent and refuses to append to it as a conflict', async () => {
      const stream = streamName();
      await store.appendToStream(stream, [event()]);
      await client.tombstoneStream(stream);
      expect(await rejectionOf(store.readStream(stream))).toBeInstanceOf(StreamNotFoundError);
      expect(await rejectionOf(store.appendToStream(stream, [event()], { expectedRevision: 0n }))).toBeInstanceOf(WrongExpectedVersionError);
    });

    it('stores an append sent twice with the same ids and expected revision once (a retry after an unknown outcome)', async () => {
      const stream = streamName();
      const batch = [event(), event()];
      const first = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      const again = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
      expect(again).toEqual(first);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('headPosition is the position of the last append', async () => {
      const { position } = await store.appendToStream(streamName(), [event()]);
      expect(await store.headPosition()).toBe(position);
    });

    it('parks an event another tool wrote (not JSON) and delivers the next one', async () => {
      const prefix = `foreign${Date.now()}-`;
      const from = await store.headPosition();
      await client.appendToStream(`${prefix}a`, binaryEvent({ type: 'LegacyRow', data: Buffer.from('<row>not json</row>') }));
      await store.appendToStream(`${prefix}b`, [event()]);
      const parked: UndecodableEvent[] = [];
      const delivered: string[] = [];
      const subscription = store.subscribeToAll((e) => void delivered.push(e.streamId), {
        after: from,
        filter: { streamPrefixes: [prefix] },
        onUndecodable: (e) => void parked.push(e),
      });
      try {
        await waitFor(() => delivered.length === 1);
        expect(parked).toEqual([expect.objectContaining({ streamId: `${prefix}a`, type: 'LegacyRow' })]);
        expect(delivered).toEqual([`${prefix}b`]);
      } finally {
        await subscription.stop();
      }
    });
  });

  describe('MongoDB', () => {
    let replicaSet: StartedService | undefined;
    let standalone: StartedService | undefined;

    beforeAll(async () => {
      [replicaSet, standalone] = await Promise.all([startMongo(), startStandaloneMongo()]);
    });

    afterAll(async () => {
      await Promise.all([replicaSet?.stop(), standalone?.stop()]);
    });

    it('refuses a standalone server at connect, saying how to fix it', async () => {
      const error = await rejectionOf(MongoReadStore.connect(standalone!.url, uniqueName('standalone'), { serverSelectionTimeoutMS: 5_000 }));
      expect(String(error)).toMatch(/standalone.*replica set.*--replSet/s);
    });

    it("judges lease expiry by the server's clock: a caller whose clock runs an hour ahead cannot take a live lease", async () => {
      const a = await MongoReadStore.connect(replicaSet!.url, uniqueName('leases'));
      const b = await MongoReadStore.connect(replicaSet!.url, a.database().databaseName);
      try {
        const lease = uniqueName('lease');
        const mine = await a.acquireLease(lease, 'a', 30_000, Date.now());
        expect(mine).not.toBeNull();
        expect(Math.abs(mine!.expiresAt - (Date.now() + 30_000))).toBeLessThan(10_000);
        expect(await b.acquireLease(lease, 'b', 30_000, Date.now() + 3_600_000)).toBeNull();
        // And one whose clock is an hour behind cannot keep a dead one alive: renewals are on the server's clock too.
        const short = uniqueName('lease');
        await a.acquireLease(short, 'a', 200, Date.now() - 3_600_000);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect((await b.acquireLease(short, 'b', 30_000, Date.now() - 3_600_000))?.owner).toBe('b');
      } finally {
        await a.database().dropDatabase();
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
});

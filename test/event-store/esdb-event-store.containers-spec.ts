import { GenericContainer, StartedTestContainer, Wait } from 'testcontainers';
import { RecordedEvent } from '../../src/infrastructure/event-store/event-store.port';
import { EsdbEventStore } from '../../src/infrastructure/event-store/esdb/esdb-event-store';
import { dockerAvailableSync } from '../containers/docker';
import { event, eventStoreContract, sleep, streamName, streamPrefix, waitFor } from './event-store.contract';

/**
 * The port contract against a real EventStoreDB in a container (single node, in-memory, insecure).
 * Runs with `npm run test:containers` or plain `jest`; skips the whole file, with one warning, when
 * no Docker engine is reachable.
 *
 * Image: eventstore/eventstore:24.10 on Docker Hub (the 24.10 LTS line; amd64 only), overridable with
 * ESDB_TEST_IMAGE (e.g. docker.eventstore.com/eventstore/eventstore:24.10 or a KurrentDB image).
 */
const IMAGE = process.env.ESDB_TEST_IMAGE ?? 'eventstore/eventstore:24.10';
const HTTP_PORT = 2113;

const docker = dockerAvailableSync();

if (!docker.ok) {
  // One plain line on stderr: Jest does not show console output of a file whose tests are all skipped.
  process.stderr.write(`EventStoreDB contract suite skipped: no Docker engine reachable (${docker.reason})\n`);
  describe.skip('EventStoreDB (needs a Docker engine)', () => {
    it('runs the EventStore contract against eventstore/eventstore in a container', () => undefined);
  });
} else {
  // Pulling and starting the image can take a while; only here, where Docker is there to do it.
  jest.setTimeout(180_000);

  let container: StartedTestContainer | undefined;
  let connectionString = '';

  beforeAll(async () => {
    container = await new GenericContainer(IMAGE)
      .withEnvironment({
        EVENTSTORE_INSECURE: 'true',
        EVENTSTORE_RUN_PROJECTIONS: 'All',
        // System projections write $-typed links into $all, so the suite also proves they are left out.
        EVENTSTORE_START_STANDARD_PROJECTIONS: 'true',
        EVENTSTORE_MEM_DB: 'true',
      })
      .withExposedPorts(HTTP_PORT)
      .withWaitStrategy(Wait.forHttp('/health/live', HTTP_PORT).forStatusCodeMatching((code) => code >= 200 && code < 300))
      .withStartupTimeout(120_000)
      .start();
    connectionString = `esdb://${container.getHost()}:${container.getMappedPort(HTTP_PORT)}?tls=false`;
  });

  afterAll(async () => {
    await container?.stop();
  });

  /** /health/live answers before the node has become leader: retry connect() for a while. */
  async function connect(): Promise<EsdbEventStore> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        return await EsdbEventStore.connect(connectionString, { connectTimeoutMs: 5_000 });
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(500);
      }
    }
  }

  eventStoreContract('EventStoreDB', async () => {
    const store = await connect();
    return { store, teardown: () => store.close() };
  });

  describe('EsdbEventStore on EventStoreDB', () => {
    let store: EsdbEventStore;

    beforeAll(async () => {
      store = await connect();
    });

    afterAll(async () => {
      await store?.close();
    });

    it('never returns system events from $all, and headPosition is a non-system event', async () => {
      await store.appendToStream(streamName(), [event()]);
      const all = await store.readAll({ maxCount: Infinity });
      expect(all.length).toBeGreaterThan(0);
      expect(all.filter((e) => e.type.startsWith('$') || e.streamId.startsWith('$'))).toEqual([]);
      expect(await store.headPosition()).toBe(all[all.length - 1].position);
    });

    it('reads after a position that is not a record boundary', async () => {
      const stream = streamName();
      await store.appendToStream(stream, [event(), event(), event()]);
      const events = await store.readStream(stream);

      const read = await store.readAll({ after: events[1].position - 1n, filter: { streamPrefixes: [stream] } });

      expect(read.map((e) => e.revision)).toEqual([1n, 2n]);
    });

    it('subscribes after a position that is not a record boundary', async () => {
      const stream = streamName();
      await store.appendToStream(stream, [event(), event(), event()]);
      const events = await store.readStream(stream);
      const received: RecordedEvent[] = [];

      const subscription = store.subscribeToAll((e) => void received.push(e), {
        after: events[1].position + 1n,
        filter: { streamPrefixes: [stream] },
      });
      try {
        await waitFor(() => received.length >= 1);
        await subscription.caughtUp();
        expect(received.map((e) => e.revision)).toEqual([2n]);
      } finally {
        await subscription.stop();
      }
    });

    it('caughtUp() resolves when the newest event does not match the filter', async () => {
      const prefix = streamPrefix();
      await store.appendToStream(`${prefix}a`, [event()]);
      await store.appendToStream(streamName(), [event()]);
      const received: RecordedEvent[] = [];

      const subscription = store.subscribeToAll((e) => void received.push(e), { filter: { streamPrefixes: [prefix] } });
      try {
        await subscription.caughtUp();
        expect(received).toHaveLength(1);
        await store.appendToStream(streamName(), [event()]);
        await subscription.caughtUp();
        expect(received).toHaveLength(1);
      } finally {
        await subscription.stop();
      }
    });

    it('appends zero events to a missing stream as -1n / 0n, still checking the expected revision', async () => {
      const stream = streamName();
      expect(await store.appendToStream(stream, [], { expectedRevision: 'no_stream' })).toEqual({
        nextExpectedRevision: -1n,
        position: 0n,
      });
      await expect(store.appendToStream(stream, [], { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
        expected: 'stream_exists',
        actual: 'no_stream',
      });
    });
  });
}

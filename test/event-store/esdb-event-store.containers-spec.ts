import { RecordedEvent } from '../../src/infrastructure/event-store/event-store.port';
import { EsdbEventStore } from '../../src/infrastructure/event-store/esdb/esdb-event-store';
import { connectWithRetry, describeWithDocker, startEventStoreDb, type StartedService } from '../containers/docker';
import { event, eventStoreContract, streamName, streamPrefix, waitFor } from './event-store.contract';

/**
 * The port contract against a real EventStoreDB in a container (single node, in-memory, insecure;
 * image: see ESDB_IMAGE). Runs with `npm run test:containers` or plain `jest`; skips, with one
 * line, when no Docker engine is reachable.
 */
describeWithDocker('EventStoreDB in a container', () => {
  let esdb: StartedService | undefined;

  beforeAll(async () => {
    // System projections write $-typed links into $all, so the suite also proves they are left out.
    esdb = await startEventStoreDb({ standardProjections: true });
  });

  afterAll(async () => {
    await esdb?.stop();
  });

  const connect = () => connectWithRetry(() => EsdbEventStore.connect(esdb!.url, { connectTimeoutMs: 5_000 }));

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
});

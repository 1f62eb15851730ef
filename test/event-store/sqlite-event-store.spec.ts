import Database from 'better-sqlite3';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RecordedEvent, WrongExpectedVersionError } from '../../src/infrastructure/event-store/event-store.port';
import { EventIdConflictError, SqliteEventStore } from '../../src/infrastructure/event-store/sqlite-event-store';
import { SqliteAppendThread } from '../../src/infrastructure/event-store/sqlite-append-thread';
import { openSqlite } from '../../src/infrastructure/embedded-stores';
import { tsWorker } from '../support/ts-worker';

const APPEND_WORKER = path.resolve(__dirname, '../../src/infrastructure/event-store/sqlite-append-worker.ts');
import { event, eventStoreContract, expectExactlyOneWinner, rejectionOf, sleep, streamName, streamPrefix, waitFor } from './event-store.contract';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-event-store-'));
}

eventStoreContract('SqliteEventStore on a temp file', async () => {
  const dir = tempDir();
  const store = SqliteEventStore.open(path.join(dir, 'events.db'), { pollIntervalMs: 20 });
  return {
    store,
    teardown: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

eventStoreContract('SqliteEventStore appending on its append thread', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'events.db');
  const db = openSqlite(file, 'FULL');
  const store = new SqliteEventStore(db, {
    pollIntervalMs: 20,
    appendThread: new SqliteAppendThread(file, 'FULL', (data) => tsWorker(APPEND_WORKER, data)),
  });
  return {
    store,
    teardown: async () => {
      await store.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

eventStoreContract('SqliteEventStore on a caller-owned in-memory database', async () => {
  const db = new Database(':memory:');
  const store = new SqliteEventStore(db, { pollIntervalMs: 20 });
  return {
    store,
    teardown: async () => {
      await store.close();
      db.close();
    },
  };
});

describe('SqliteEventStore', () => {
  let dir: string;
  let file: string;
  const opened: SqliteEventStore[] = [];

  function open(pollIntervalMs = 20): SqliteEventStore {
    const store = SqliteEventStore.open(file, { pollIntervalMs });
    opened.push(store);
    return store;
  }

  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, 'events.db');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts empty, in WAL mode', async () => {
    const store = open();
    expect(await store.headPosition()).toBe(0n);
    expect(await store.readAll()).toEqual([]);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('keeps each stream’s last revision in the streams table', async () => {
    const store = open();
    const stream = streamName();
    await store.appendToStream(stream, [event(), event(), event()]);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT revision FROM streams WHERE stream_id = ?').pluck().get(stream)).toBe(2);
    } finally {
      db.close();
    }
  });

  describe('two instances on the same file', () => {
    it('let exactly one of two racing no_stream appends win', async () => {
      const a = open();
      const b = open();
      const stream = streamName();
      const batches = [[event()], [event(), event()]];

      const outcomes = await Promise.allSettled([
        a.appendToStream(stream, batches[0], { expectedRevision: 'no_stream' }),
        b.appendToStream(stream, batches[1], { expectedRevision: 'no_stream' }),
      ]);

      const winner = expectExactlyOneWinner(outcomes);
      const loser = outcomes[1 - winner] as PromiseRejectedResult;
      expect(loser.reason).toMatchObject({ expected: 'no_stream', actual: BigInt(batches[winner].length - 1) });
      for (const store of [a, b]) {
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual(batches[winner].map((e) => e.id));
      }
    });

    it('let exactly one of racing exact-revision appends win', async () => {
      const a = open();
      const b = open();
      const stream = streamName();
      await a.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });

      const outcomes = await Promise.allSettled([
        a.appendToStream(stream, [event()], { expectedRevision: 0n }),
        b.appendToStream(stream, [event()], { expectedRevision: 0n }),
        b.appendToStream(stream, [event()], { expectedRevision: 0n }),
      ]);

      expectExactlyOneWinner(outcomes);
      expect(await b.readStream(stream)).toHaveLength(2);
    });

    it('deliver appends made through one instance to a subscription on the other, by polling', async () => {
      const a = open(20);
      const b = open(20);
      const prefix = streamPrefix();
      await b.appendToStream(`${prefix}1`, [event()]);
      const received: RecordedEvent[] = [];

      const subscription = a.subscribeToAll((e) => void received.push(e), { filter: { streamPrefixes: [prefix] } });
      await subscription.caughtUp();
      expect(received).toHaveLength(1);

      await b.appendToStream(`${prefix}1`, [event(), event()]);
      await b.appendToStream(`${prefix}2`, [event()]);
      await waitFor(() => received.length >= 4, 2_000);
      expect(received.map((e) => [e.streamId, e.revision])).toEqual([
        [`${prefix}1`, 0n],
        [`${prefix}1`, 1n],
        [`${prefix}1`, 2n],
        [`${prefix}2`, 0n],
      ]);

      // caughtUp() measures against the shared file's head, not this instance's own appends.
      await b.appendToStream(`${prefix}3`, [event()]);
      await subscription.caughtUp();
      expect(received).toHaveLength(5);
      await subscription.stop();
    });

    it('treat an append retried through the other instance as idempotent', async () => {
      const a = open();
      const b = open();
      const stream = streamName();
      const batch = [event(), event()];
      const original = await a.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

      expect(await b.appendToStream(stream, batch, { expectedRevision: 'no_stream' })).toEqual(original);
      expect(await b.readStream(stream)).toHaveLength(2);
    });
  });

  it('keeps events across close and reopen, and keeps positions growing', async () => {
    const first = open();
    const stream = streamName();
    const written = [event('Opened', { title: 'حديقة عمومية' }), event('Signed', { by: { name: 'سعاد' } })];
    await first.appendToStream(stream, written, { expectedRevision: 'no_stream' });
    const before = await first.readStream(stream);
    const head = await first.headPosition();
    await first.close();

    const second = open();
    expect(await second.readStream(stream)).toEqual(before);
    expect(await second.headPosition()).toBe(head);
    const next = await second.appendToStream(stream, [event()], { expectedRevision: 1n });
    expect(next.nextExpectedRevision).toBe(2n);
    expect(next.position).toBeGreaterThan(head);
  });

  describe('idempotency and event ids', () => {
    it('rejects an event id already stored in another stream, writing nothing', async () => {
      const store = open();
      const original = event();
      const first = streamName();
      const second = streamName();
      await store.appendToStream(first, [original]);

      const error = await rejectionOf(store.appendToStream(second, [event(), original]));

      expect(error).toBeInstanceOf(EventIdConflictError);
      expect(error).toMatchObject({ eventId: original.id, streamId: second, existingStreamId: first });
      await expect(store.readStream(second)).rejects.toThrow('not found');
    });

    it('reports an id conflict with another stream before a wrong expected revision', async () => {
      const store = open();
      const original = event();
      await store.appendToStream(streamName(), [original]);

      const error = await rejectionOf(store.appendToStream(streamName(), [original], { expectedRevision: 5n }));

      expect(error).toBeInstanceOf(EventIdConflictError);
    });

    it('answers a retry of a batch with the stored part of it, writing nothing', async () => {
      const store = open();
      const stream = streamName();
      const batch = [event(), event()];
      await store.appendToStream(stream, [event()]);
      const original = await store.appendToStream(stream, batch);

      const retried = await store.appendToStream(stream, [...batch, event()], { expectedRevision: 'no_stream' });

      expect(retried).toEqual(original);
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('rejects a batch with a duplicate id, writing nothing', async () => {
      const store = open();
      const stream = streamName();
      const twice = event();

      await expect(store.appendToStream(stream, [twice, event(), twice])).rejects.toThrow('Duplicate event id');
      await expect(store.readStream(stream)).rejects.toThrow('not found');
    });
  });

  describe('appending no events', () => {
    it('reports -1n / 0n for a missing stream and still checks the expected revision', async () => {
      const store = open();
      const stream = streamName();

      expect(await store.appendToStream(stream, [], { expectedRevision: 'no_stream' })).toEqual({
        nextExpectedRevision: -1n,
        position: 0n,
      });
      await expect(store.appendToStream(stream, [], { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    });

    it('reports the position of the stream’s last event for an existing stream', async () => {
      const store = open();
      const stream = streamName();
      const appended = await store.appendToStream(stream, [event(), event()]);
      await store.appendToStream(streamName(), [event()]);

      expect(await store.appendToStream(stream, [], { expectedRevision: 'stream_exists' })).toEqual(appended);
      const error = await rejectionOf(store.appendToStream(stream, [], { expectedRevision: 0n }));
      expect(error).toMatchObject({ expected: 0n, actual: 1n });
    });
  });

  it('matches stream prefixes case-sensitively and literally', async () => {
    const store = open();
    const prefix = `Petition_%${randomUUID()}-`;
    await store.appendToStream(`${prefix}a`, [event()]);
    await store.appendToStream(`${prefix.toLowerCase()}b`, [event()]);
    await store.appendToStream(`${prefix.replace('_%', 'xy')}c`, [event()]);
    await store.appendToStream(`${prefix}ع`, [event()]);

    const read = await store.readAll({ filter: { streamPrefixes: [prefix] } });

    expect(read.map((e) => e.streamId)).toEqual([`${prefix}a`, `${prefix}ع`]);
  });

  it('returns nothing for an empty filter list', async () => {
    const store = open();
    await store.appendToStream(streamName(), [event()]);
    expect(await store.readAll({ filter: { eventTypes: [] } })).toEqual([]);
    expect(await store.readAll({ filter: { streamPrefixes: [] } })).toEqual([]);
  });

  it('keeps positions exact beyond 2^53', async () => {
    const db = new Database(':memory:');
    const store = new SqliteEventStore(db);
    try {
      await store.appendToStream(streamName(), [event()]);
      // The next position follows the highest stored one: move the first event up past 2^53.
      db.prepare('UPDATE events SET position = ?').run(2n ** 53n + 10n);

      const result = await store.appendToStream(streamName(), [event()]);

      expect(result.position).toBe(2n ** 53n + 11n);
      expect(await store.headPosition()).toBe(2n ** 53n + 11n);
      const [read] = await store.readAll({ after: 2n ** 53n + 10n });
      expect(read.position).toBe(2n ** 53n + 11n);
    } finally {
      await store.close();
      db.close();
    }
  });

  it('pages a catch-up through more events than one batch', async () => {
    const store = open();
    const prefix = streamPrefix();
    const total = 4096 + 100;
    const stream = `${prefix}big`;
    for (let i = 0; i < total; i += 1000) {
      await store.appendToStream(
        stream,
        Array.from({ length: Math.min(1000, total - i) }, () => event()),
      );
    }
    let count = 0;
    let last = -1n;
    const subscription = store.subscribeToAll(
      (e) => {
        expect(e.revision).toBe(last + 1n);
        last = e.revision;
        count++;
      },
      { filter: { eventTypes: ['ContractTestEvent', 'Unused'] } },
    );
    await subscription.caughtUp();
    expect(count).toBe(total);
    await subscription.stop();
  });

  describe('subscriptions', () => {
    it('does not call the handler before subscribeToAll returns', async () => {
      const store = open();
      await store.appendToStream(streamName(), [event()]);
      let returned = false;
      let calledEarly = false;

      const subscription = store.subscribeToAll(() => {
        if (!returned) calledEarly = true;
      });
      returned = true;
      await subscription.caughtUp();

      expect(calledEarly).toBe(false);
      await subscription.stop();
    });

    it('wakes on an in-process append without waiting for the poll interval', async () => {
      const store = open(60_000);
      const stream = streamName();
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll((e) => void received.push(e));
      await subscription.caughtUp();
      await sleep(20);

      await store.appendToStream(stream, [event()]);
      await waitFor(() => received.length === 1, 1_000);
      await subscription.stop();
    });

    it('stops when the handler throws, and reports the error', async () => {
      const store = open();
      const stream = streamName();
      const failure = new Error('projection bug');
      const errors: unknown[] = [];
      const received: bigint[] = [];

      const subscription = store.subscribeToAll(
        (e) => {
          received.push(e.revision);
          if (e.revision === 1n) throw failure;
        },
        { onError: (error) => errors.push(error) },
      );
      await store.appendToStream(stream, [event(), event(), event()]);

      await waitFor(() => errors.length === 1);
      expect(errors[0]).toBe(failure);
      await store.appendToStream(stream, [event()]);
      await sleep(100);
      expect(received).toEqual([0n, 1n]);
      await expect(subscription.caughtUp()).rejects.toBe(failure);
      await expect(subscription.stop()).rejects.toBe(failure);
    });

    it('rejects caughtUp() waiters when the subscription stops first', async () => {
      const store = open();
      let release!: () => void;
      const blocked = new Promise<void>((resolve) => (release = resolve));
      const subscription = store.subscribeToAll(() => blocked);
      await store.appendToStream(streamName(), [event(), event()]);

      const caughtUp = subscription.caughtUp();
      const stopped = subscription.stop();
      release();

      await expect(caughtUp).rejects.toThrow('stopped');
      await stopped;
    });
  });

  describe('close()', () => {
    it('stops subscriptions and closes a database it opened', async () => {
      const store = SqliteEventStore.open(file);
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll((e) => void received.push(e));

      await store.close();

      await subscription.stop();
      await expect(store.headPosition()).rejects.toThrow('closed');
      await expect(store.appendToStream(streamName(), [event()])).rejects.toThrow('closed');
      expect(() => store.subscribeToAll(() => undefined)).toThrow('closed');
      await store.close();
    });

    it('leaves a caller-owned database open', async () => {
      const db = new Database(':memory:');
      const store = new SqliteEventStore(db);
      await store.close();
      expect(db.open).toBe(true);
      db.close();
    });
  });
});

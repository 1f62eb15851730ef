import { randomUUID } from 'crypto';
import {
  EventData,
  EventMetadata,
  EventStore,
  RecordedEvent,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../../src/infrastructure/event-store/event-store.port';

/**
 * Behaviour every EventStore adapter must share. Written only against the port, and run against
 * a store that may hold other data and serve other writers: every test uses fresh stream names and
 * event types, and reasons about positions relative to its own appends.
 */
export function eventStoreContract(name: string, open: () => Promise<{ store: EventStore; teardown: () => Promise<void> }>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ store, teardown } = await open());
    });

    afterAll(async () => {
      await teardown?.();
    });

    describe('appendToStream', () => {
      it('creates a stream with no_stream, numbering revisions from 0', async () => {
        const stream = streamName();
        const events = [event('Opened'), event('Signed')];

        const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });

        expect(result.nextExpectedRevision).toBe(1n);
        expect(typeof result.position).toBe('bigint');
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.id, e.revision, e.streamId])).toEqual([
          [events[0].id, 0n, stream],
          [events[1].id, 1n, stream],
        ]);
        expect(read[1].position).toBe(result.position);
      });

      it('rejects no_stream on an existing stream, reporting the actual revision', async () => {
        const stream = streamName();
        await store.appendToStream(stream, [event(), event()], { expectedRevision: 'no_stream' });

        const error = await rejectionOf(store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' }));

        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: stream, expected: 'no_stream', actual: 1n });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('accepts an exact expected revision that matches', async () => {
        const stream = streamName();
        await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });

        const result = await store.appendToStream(stream, [event(), event()], { expectedRevision: 0n });

        expect(result.nextExpectedRevision).toBe(2n);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      });

      it('rejects an exact expected revision that does not match, and writes nothing', async () => {
        const stream = streamName();
        await store.appendToStream(stream, [event(), event()], { expectedRevision: 'no_stream' });

        for (const expected of [0n, 2n, 7n]) {
          const error = await rejectionOf(store.appendToStream(stream, [event()], { expectedRevision: expected }));
          expect(error).toBeInstanceOf(WrongExpectedVersionError);
          expect(error).toMatchObject({ streamId: stream, expected, actual: 1n });
        }
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('rejects an exact expected revision on a missing stream with actual no_stream', async () => {
        const stream = streamName();

        const error = await rejectionOf(store.appendToStream(stream, [event()], { expectedRevision: 0n }));

        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: stream, expected: 0n, actual: 'no_stream' });
        await expect(store.readStream(stream)).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('stream_exists fails on a missing stream and succeeds on an existing one', async () => {
        const stream = streamName();

        const error = await rejectionOf(store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' }));
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: stream, expected: 'stream_exists', actual: 'no_stream' });

        await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('any appends whether or not the stream exists (and is the default)', async () => {
        const stream = streamName();

        const first = await store.appendToStream(stream, [event()], { expectedRevision: 'any' });
        const second = await store.appendToStream(stream, [event(), event()], { expectedRevision: 'any' });
        const third = await store.appendToStream(stream, [event()]);

        expect(first.nextExpectedRevision).toBe(0n);
        expect(second.nextExpectedRevision).toBe(2n);
        expect(third.nextExpectedRevision).toBe(3n);
        expect(third.position).toBeGreaterThan(second.position);
        expect(second.position).toBeGreaterThan(first.position);
      });

      it('is idempotent: re-appending the same events appends nothing and returns the same result', async () => {
        const stream = streamName();
        const batch = [event('Opened'), event('Signed')];
        const original = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });

        const retried = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        const retriedWithAny = await store.appendToStream(stream, batch, { expectedRevision: 'any' });

        expect(retried).toEqual(original);
        expect(retriedWithAny).toEqual(original);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('is idempotent for a later batch retried with its original expected revision', async () => {
        const stream = streamName();
        await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
        const batch = [event(), event()];
        const original = await store.appendToStream(stream, batch, { expectedRevision: 0n });

        const retried = await store.appendToStream(stream, batch, { expectedRevision: 0n });

        expect(retried).toEqual(original);
        expect(original.nextExpectedRevision).toBe(2n);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('appending no events reports the current revision', async () => {
        const stream = streamName();
        await store.appendToStream(stream, [event(), event()], { expectedRevision: 'no_stream' });

        const result = await store.appendToStream(stream, [], { expectedRevision: 1n });

        expect(result.nextExpectedRevision).toBe(1n);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('gives bigint revisions and positions that strictly increase across streams', async () => {
        const a = streamName();
        const b = streamName();
        const results = [];
        results.push(await store.appendToStream(a, [event()]));
        results.push(await store.appendToStream(b, [event(), event()]));
        results.push(await store.appendToStream(a, [event()]));
        results.push(await store.appendToStream(b, [event()]));

        const events = [...(await store.readStream(a)), ...(await store.readStream(b))].sort(byPosition);
        for (const e of events) {
          expect(typeof e.revision).toBe('bigint');
          expect(typeof e.position).toBe('bigint');
        }
        for (let i = 1; i < events.length; i++) {
          expect(events[i].position).toBeGreaterThan(events[i - 1].position);
        }
        expect(events.map((e) => e.streamId)).toEqual([a, b, b, a, b]);
        expect(results.map((r) => r.position)).toEqual([events[0], events[2], events[3], events[4]].map((e) => e.position));
        expect(await store.headPosition()).toBeGreaterThanOrEqual(events[4].position);
      });
    });

    describe('readStream', () => {
      let stream: string;
      let appended: EventData[];

      beforeAll(async () => {
        stream = streamName();
        appended = Array.from({ length: 5 }, (_, i) => event('Step', { step: i }));
        await store.appendToStream(stream, appended, { expectedRevision: 'no_stream' });
      });

      it('reads forwards from the start by default', async () => {
        const read = await store.readStream(stream);
        expect(read.map((e) => e.id)).toEqual(appended.map((e) => e.id));
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        expect(read.map((e) => e.data)).toEqual(appended.map((e) => e.data));
      });

      it('reads backwards from the end by default', async () => {
        const read = await store.readStream(stream, { direction: 'backwards' });
        expect(read.map((e) => e.revision)).toEqual([4n, 3n, 2n, 1n, 0n]);
      });

      it('reads forwards from an inclusive revision, up to maxCount', async () => {
        expect((await store.readStream(stream, { fromRevision: 2n })).map((e) => e.revision)).toEqual([2n, 3n, 4n]);
        expect((await store.readStream(stream, { direction: 'forwards', fromRevision: 1n, maxCount: 2 })).map((e) => e.revision)).toEqual([1n, 2n]);
        expect((await store.readStream(stream, { maxCount: 1 })).map((e) => e.revision)).toEqual([0n]);
      });

      it('reads backwards from an inclusive revision, up to maxCount', async () => {
        expect((await store.readStream(stream, { direction: 'backwards', fromRevision: 2n })).map((e) => e.revision)).toEqual([2n, 1n, 0n]);
        expect((await store.readStream(stream, { direction: 'backwards', fromRevision: 3n, maxCount: 2 })).map((e) => e.revision)).toEqual([3n, 2n]);
        expect((await store.readStream(stream, { direction: 'backwards', maxCount: 1 })).map((e) => e.revision)).toEqual([4n]);
      });

      it('returns nothing past the end of an existing stream', async () => {
        expect(await store.readStream(stream, { fromRevision: 5n })).toEqual([]);
      });

      it('throws StreamNotFoundError for a stream without events', async () => {
        const missing = streamName();
        const error = await rejectionOf(store.readStream(missing));
        expect(error).toBeInstanceOf(StreamNotFoundError);
        expect(error).toMatchObject({ streamId: missing });
        await expect(store.readStream(missing, { direction: 'backwards' })).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('round-trips data and metadata, including Arabic text and nested objects', async () => {
        const roundTrip = streamName();
        const data = {
          title: 'إصلاح الإنارة العمومية في حي السلام',
          body: 'نطالب المجلس الجماعي بإصلاح الأعمدة — ⵜⴰⵎⴰⵣⵉⵖⵜ aussi, et en français : « éclairage ».',
          signatories: [
            { name: 'فاطمة الزهراء', cin: 'AB123456' },
            { name: 'Youssef', cin: null },
          ],
          location: { commune: 'الرباط', coordinates: { lat: 34.0209, lng: -6.8416 }, tags: ['إنارة', 'أمن'] },
          count: 3,
          urgent: true,
          empty: {},
        };
        const metadata: EventMetadata = {
          ...baseMetadata(),
          actor: { id: 'association-7', role: 'association', councilId: 'council-rabat' },
          idempotencyKey: randomUUID(),
          chain: { previousHash: null, hash: 'a'.repeat(64) },
          reason: 'طلب المواطنين',
          nested: { deep: { list: [1, 'اثنان', { three: 3 }] } },
        };
        const sent = { id: randomUUID(), type: 'PetitionFiled', data, metadata };

        await store.appendToStream(roundTrip, [sent], { expectedRevision: 'no_stream' });
        const [recorded] = await store.readStream(roundTrip);

        expect(recorded.id).toBe(sent.id);
        expect(recorded.type).toBe('PetitionFiled');
        expect(recorded.data).toEqual(data);
        expect(recorded.metadata).toEqual(metadata);
        const [fromAll] = await store.readAll({ after: recorded.position - 1n, maxCount: 1 });
        expect(fromAll).toEqual(recorded);
      });
    });

    describe('readAll', () => {
      it('reads events after an exclusive position, in position order', async () => {
        const start = await store.headPosition();
        const a = streamName();
        const b = streamName();
        await store.appendToStream(a, [event()]);
        await store.appendToStream(b, [event()]);
        await store.appendToStream(a, [event()]);
        const ours = [...(await store.readStream(a)), ...(await store.readStream(b))].sort(byPosition);

        const all = (await store.readAll({ after: start })).filter((e) => e.streamId === a || e.streamId === b);
        expect(all).toEqual(ours);

        const afterFirst = (await store.readAll({ after: ours[0].position })).filter((e) => e.streamId === a || e.streamId === b);
        expect(afterFirst.map((e) => e.id)).toEqual(ours.slice(1).map((e) => e.id));
      });

      it('limits a read to maxCount events', async () => {
        const prefix = streamPrefix();
        await store.appendToStream(`${prefix}one`, [event(), event()]);
        await store.appendToStream(`${prefix}two`, [event(), event()]);
        const ours = await store.readAll({ filter: { streamPrefixes: [prefix] } });
        expect(ours).toHaveLength(4);

        const page = await store.readAll({ after: ours[0].position, maxCount: 2, filter: { streamPrefixes: [prefix] } });
        expect(page.map((e) => e.id)).toEqual([ours[1].id, ours[2].id]);

        const unfiltered = await store.readAll({ after: ours[0].position - 1n, maxCount: 1 });
        expect(unfiltered.map((e) => e.id)).toEqual([ours[0].id]);
      });

      it('filters by event types', async () => {
        const start = await store.headPosition();
        const [wanted, alsoWanted, other] = [eventType(), eventType(), eventType()];
        const a = streamName();
        const b = streamName();
        await store.appendToStream(a, [event(wanted), event(other), event(alsoWanted)]);
        await store.appendToStream(b, [event(other), event(wanted)]);

        const single = await store.readAll({ after: start, filter: { eventTypes: [wanted] } });
        expect(single.map((e) => [e.streamId, e.revision])).toEqual([
          [a, 0n],
          [b, 1n],
        ]);

        const several = await store.readAll({ after: start, filter: { eventTypes: [alsoWanted, wanted] } });
        expect(several.map((e) => [e.streamId, e.type])).toEqual([
          [a, wanted],
          [a, alsoWanted],
          [b, wanted],
        ]);
        expectAscending(several);

        const limited = await store.readAll({ after: start, maxCount: 2, filter: { eventTypes: [wanted, alsoWanted] } });
        expect(limited.map((e) => e.id)).toEqual(several.slice(0, 2).map((e) => e.id));
      });

      it('filters by stream-name prefixes', async () => {
        const start = await store.headPosition();
        const prefix = streamPrefix();
        const otherPrefix = streamPrefix();
        await store.appendToStream(`${prefix}a`, [event()]);
        await store.appendToStream(`${otherPrefix}x`, [event()]);
        await store.appendToStream(`${prefix}b`, [event(), event()]);
        await store.appendToStream(`${prefix}a`, [event()]);
        await store.appendToStream(`x${prefix}`, [event()]);

        const one = await store.readAll({ after: start, filter: { streamPrefixes: [prefix] } });
        expect(one.map((e) => e.streamId)).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}b`, `${prefix}a`]);
        expectAscending(one);

        const both = await store.readAll({ after: start, filter: { streamPrefixes: [otherPrefix, prefix] } });
        expect(both.map((e) => e.streamId)).toEqual([`${prefix}a`, `${otherPrefix}x`, `${prefix}b`, `${prefix}b`, `${prefix}a`]);
      });
    });

    describe('subscribeToAll', () => {
      it('delivers catch-up events, then live ones, in order', async () => {
        const prefix = streamPrefix();
        const start = await store.headPosition();
        await store.appendToStream(`${prefix}a`, [event(), event()]);
        await store.appendToStream(`${prefix}b`, [event()]);
        const received: RecordedEvent[] = [];

        const subscription = store.subscribeToAll((e) => void received.push(e), {
          after: start,
          filter: { streamPrefixes: [prefix] },
        });
        try {
          await subscription.caughtUp();
          expect(received.map((e) => e.streamId)).toEqual([`${prefix}a`, `${prefix}a`, `${prefix}b`]);

          await store.appendToStream(`${prefix}b`, [event()]);
          await store.appendToStream(`${prefix}a`, [event(), event()]);
          await waitFor(() => received.length >= 6);

          const expected = (await store.readAll({ after: start, filter: { streamPrefixes: [prefix] } })).map((e) => e.id);
          expect(received.map((e) => e.id)).toEqual(expected);
          expectAscending(received);
        } finally {
          await subscription.stop();
        }
      });

      it('delivers everything after the checkpoint when unfiltered', async () => {
        const stream = streamName();
        const start = await store.headPosition();
        await store.appendToStream(stream, [event()]);
        const received: RecordedEvent[] = [];
        const others: RecordedEvent[] = [];

        const subscription = store.subscribeToAll((e) => void (e.streamId === stream ? received : others).push(e), { after: start });
        try {
          await store.appendToStream(stream, [event(), event()]);
          await waitFor(() => received.length >= 3);
          expect(received.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
          expect([...others, ...received].every((e) => e.position > start)).toBe(true);
        } finally {
          await subscription.stop();
        }
      });

      it('treats after as exclusive', async () => {
        const stream = streamName();
        await store.appendToStream(stream, [event(), event(), event(), event()]);
        const events = await store.readStream(stream);
        const received: RecordedEvent[] = [];

        const subscription = store.subscribeToAll((e) => void received.push(e), {
          after: events[1].position,
          filter: { streamPrefixes: [stream] },
        });
        try {
          await subscription.caughtUp();
          await waitFor(() => received.length >= 2);
          expect(received.map((e) => e.revision)).toEqual([2n, 3n]);
        } finally {
          await subscription.stop();
        }
      });

      it('applies an event-type filter to catch-up and live events', async () => {
        const start = await store.headPosition();
        const [wanted, other] = [eventType(), eventType()];
        const stream = streamName();
        await store.appendToStream(stream, [event(wanted), event(other)]);
        const received: RecordedEvent[] = [];

        const subscription = store.subscribeToAll((e) => void received.push(e), {
          after: start,
          filter: { eventTypes: [wanted] },
        });
        try {
          await subscription.caughtUp();
          await store.appendToStream(stream, [event(other), event(wanted)]);
          await waitFor(() => received.length >= 2);
          await sleep(150);
          expect(received.map((e) => [e.type, e.revision])).toEqual([
            [wanted, 0n],
            [wanted, 3n],
          ]);
        } finally {
          await subscription.stop();
        }
      });

      it('runs handlers one at a time', async () => {
        const prefix = streamPrefix();
        const start = await store.headPosition();
        await store.appendToStream(`${prefix}a`, [event(), event(), event()]);
        let running = 0;
        let maxRunning = 0;
        const received: bigint[] = [];

        const subscription = store.subscribeToAll(
          async (e) => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await sleep(5);
            received.push(e.revision);
            running--;
          },
          { after: start, filter: { streamPrefixes: [prefix] } },
        );
        try {
          await store.appendToStream(`${prefix}a`, [event(), event()]);
          await waitFor(() => received.length >= 5);
          expect(maxRunning).toBe(1);
          expect(received).toEqual([0n, 1n, 2n, 3n, 4n]);
        } finally {
          await subscription.stop();
        }
      });

      it('stop() waits for the running handler and stops delivery', async () => {
        const prefix = streamPrefix();
        const start = await store.headPosition();
        const received: RecordedEvent[] = [];
        let handlerStarted!: () => void;
        const started = new Promise<void>((resolve) => (handlerStarted = resolve));
        let finishedHandlers = 0;

        const subscription = store.subscribeToAll(
          async (e) => {
            received.push(e);
            handlerStarted();
            await sleep(100);
            finishedHandlers++;
          },
          { after: start, filter: { streamPrefixes: [prefix] } },
        );
        await store.appendToStream(`${prefix}a`, [event(), event(), event()]);
        await started;

        await subscription.stop();

        expect(finishedHandlers).toBe(received.length);
        expect(received).toHaveLength(1);
        await store.appendToStream(`${prefix}a`, [event()]);
        await sleep(300);
        expect(received).toHaveLength(1);
      });
    });

    describe('concurrency', () => {
      it('lets exactly one of several appends with the same expected revision succeed', async () => {
        const stream = streamName();
        await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });

        const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => store.appendToStream(stream, [event()], { expectedRevision: 0n })));

        expectExactlyOneWinner(outcomes);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n]);
      });

      it('lets exactly one of several no_stream appends create the stream', async () => {
        const stream = streamName();
        const batches = Array.from({ length: 5 }, () => [event(), event()]);

        const outcomes = await Promise.allSettled(batches.map((batch) => store.appendToStream(stream, batch, { expectedRevision: 'no_stream' })));

        const winner = expectExactlyOneWinner(outcomes);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual(batches[winner].map((e) => e.id));
      });
    });
  });
}

export function baseMetadata(): EventMetadata {
  return {
    actor: { id: 'citizen-1', role: 'citizen' },
    correlationId: randomUUID(),
    causationId: randomUUID(),
    command: 'ContractTest',
    occurredAt: new Date().toISOString(),
  };
}

export function event(type = 'ContractTestEvent', data: Record<string, unknown> = {}): EventData {
  return { id: randomUUID(), type, data, metadata: baseMetadata() };
}

export function streamName(): string {
  return `contract-${randomUUID()}`;
}

/** A prefix no other test's stream starts with. */
export function streamPrefix(): string {
  return `contract${randomUUID().replace(/-/g, '')}-`;
}

function eventType(): string {
  return `ContractType${randomUUID().replace(/-/g, '')}`;
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject');
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function byPosition(a: RecordedEvent, b: RecordedEvent): number {
  return a.position < b.position ? -1 : a.position > b.position ? 1 : 0;
}

function expectAscending(events: RecordedEvent[]): void {
  for (let i = 1; i < events.length; i++) expect(events[i].position).toBeGreaterThan(events[i - 1].position);
}

/** Returns the index of the single fulfilled outcome; the others must be WrongExpectedVersionErrors. */
export function expectExactlyOneWinner(outcomes: PromiseSettledResult<unknown>[]): number {
  const fulfilled = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
  expect(fulfilled).toHaveLength(1);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(WrongExpectedVersionError);
  }
  return fulfilled[0];
}

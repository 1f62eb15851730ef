/**
 * What the EventStoreDB adapter does when things go wrong, without a server: appends whose outcome
 * is unknown are sent again with the same ids; data JSON cannot hold is an ordinary rejection; and
 * the subscription loop (driven here by a stand-in for the client's subscription stream, the one
 * part of the client it uses) parks undecodable events, stops on access denied, and reports
 * reconnects. What only a server can show is in test/containers/production-stack.containers-spec.ts.
 */
import { AccessDeniedError, DeadlineExceededError, ErrorType, EventStoreDBClient, NotLeaderError, START, UnavailableError } from '@eventstore/db-client';
import { PassThrough } from 'node:stream';
import { retryUnknownOutcome } from '../../src/infrastructure/event-store/esdb/esdb-event-store';
import {
  EventSerializationError,
  isPermanentSubscriptionError,
  isRetryableAppendError,
  toEsdbEventData,
} from '../../src/infrastructure/event-store/esdb/esdb-mapping';
import { EsdbSubscription } from '../../src/infrastructure/event-store/esdb/esdb-subscription';
import type { RecordedEvent, SubscribeToAllOptions, UndecodableEvent } from '../../src/infrastructure/event-store/event-store.port';

/** A client error as the client builds it (type + message); the constructors want a gRPC error. */
function clientError<T extends Error>(Type: new (...args: never[]) => T, type: ErrorType): T {
  const error = Object.create(Type.prototype as object) as T & { type: ErrorType };
  error.type = type;
  error.message = `${type} (test)`;
  return error;
}

const metadata = { actor: { id: 'a', role: 'citizen' }, correlationId: 'c', causationId: 'c', command: 'Test', occurredAt: '2026-01-01T00:00:00Z' };

describe('appending to EventStoreDB', () => {
  it('serialises before the client does: data JSON cannot hold is a plain EventSerializationError', () => {
    expect(() => toEsdbEventData({ id: 'e1', type: 'T.v1', data: { n: 1n }, metadata })).toThrow(EventSerializationError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => toEsdbEventData({ id: 'e1', type: 'T.v1', data: cyclic, metadata })).toThrow(/data of T\.v1 cannot be stored as JSON/);
    const ok = toEsdbEventData({ id: 'e1', type: 'T.v1', data: { n: 1, gone: undefined }, metadata });
    expect(ok).toMatchObject({ id: 'e1', type: 'T.v1', data: { n: 1 } });
  });

  it('classifies errors: outcome unknown or refused before writing (retry) versus final', () => {
    expect(isRetryableAppendError(clientError(DeadlineExceededError, ErrorType.DEADLINE_EXCEEDED))).toBe(true);
    expect(isRetryableAppendError(clientError(UnavailableError, ErrorType.UNAVAILABLE))).toBe(true);
    expect(isRetryableAppendError(clientError(NotLeaderError, ErrorType.NOT_LEADER))).toBe(true);
    expect(isRetryableAppendError(clientError(AccessDeniedError, ErrorType.ACCESS_DENIED))).toBe(false);
    expect(isRetryableAppendError(new Error('boom'))).toBe(false);
    expect(isRetryableAppendError(null)).toBe(false);
    expect(isPermanentSubscriptionError(clientError(AccessDeniedError, ErrorType.ACCESS_DENIED))).toBe(true);
    expect(isPermanentSubscriptionError(clientError(UnavailableError, ErrorType.UNAVAILABLE))).toBe(false);
  });

  it('sends the same append again while its outcome is unknown, with backoff, and gives up after the attempts', async () => {
    const sent: unknown[] = [];
    const batch = [toEsdbEventData({ id: 'fixed-id', type: 'T.v1', data: { n: 1 }, metadata })];
    const pauses: number[] = [];
    const sleep = async (ms: number) => void pauses.push(ms);
    let failures = 2;
    const result = await retryUnknownOutcome(
      async () => {
        sent.push(batch);
        if (failures-- > 0) throw clientError(DeadlineExceededError, ErrorType.DEADLINE_EXCEEDED);
        return 'stored';
      },
      { appendAttempts: 4, appendRetryDelayMs: 100 },
      sleep,
    );
    expect(result).toBe('stored');
    expect(sent).toHaveLength(3);
    expect(new Set(sent).size).toBe(1); // the very same events (ids) every time
    expect(pauses).toEqual([100, 200]);

    let calls = 0;
    const unavailable = clientError(UnavailableError, ErrorType.UNAVAILABLE);
    await expect(
      retryUnknownOutcome(
        async () => {
          calls++;
          throw unavailable;
        },
        { appendAttempts: 3, appendRetryDelayMs: 1 },
        sleep,
      ),
    ).rejects.toBe(unavailable);
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      retryUnknownOutcome(
        async () => {
          calls++;
          throw new Error('wrong expected version');
        },
        { appendAttempts: 3, appendRetryDelayMs: 1 },
        sleep,
      ),
    ).rejects.toThrow('wrong expected version');
    expect(calls).toBe(1);
  });
});

/** A stand-in for the client's AllStreamSubscription: an object-mode stream we feed. */
type FakeSubscription = PassThrough & { unsubscribe(): Promise<void> };

function harness(options: SubscribeToAllOptions, handler: (e: RecordedEvent) => Promise<void> | void) {
  const opened: FakeSubscription[] = [];
  const client = {
    subscribeToAll: () => {
      const stream = new PassThrough({ objectMode: true }) as FakeSubscription;
      stream.unsubscribe = async () => undefined;
      opened.push(stream);
      return stream;
    },
  } as unknown as EventStoreDBClient;
  const subscription = new EsdbSubscription(
    {
      client,
      head: async () => 0n,
      firstMatchAfter: async () => undefined,
      boundaryAtOrBefore: async () => START,
      onFinished: () => undefined,
      minDelayMs: 1,
      maxDelayMs: 4,
      probeIntervalMs: 5,
    },
    handler,
    options,
  );
  return { subscription, opened };
}

function resolved(n: number, data: unknown) {
  return {
    event: {
      id: `00000000-0000-4000-8000-00000000000${n}`,
      type: 'PetitionFiled.v1',
      streamId: 'petition-x',
      revision: BigInt(n),
      position: { commit: BigInt(n * 100), prepare: BigInt(n * 100) },
      data,
      metadata,
      isJson: true,
      created: new Date(),
    },
  };
}

async function until(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('EsdbSubscription when events or the server misbehave', () => {
  it('parks an undecodable event (reports it, goes past it) and delivers the ones after it', async () => {
    const delivered: bigint[] = [];
    const parked: UndecodableEvent[] = [];
    const { subscription, opened } = harness({ onUndecodable: (e) => void parked.push(e) }, (e) => void delivered.push(e.position));
    await until('the subscription to open', () => opened.length === 1);
    opened[0].write(resolved(1, { ok: true }));
    opened[0].write(resolved(2, new TextEncoder().encode('not json <xml/>')));
    opened[0].write(resolved(3, { ok: true }));
    await until('two deliveries', () => delivered.length === 2);
    expect(delivered).toEqual([100n, 300n]);
    expect(parked).toEqual([
      expect.objectContaining({ position: 200n, revision: 2n, streamId: 'petition-x', type: 'PetitionFiled.v1', reason: expect.stringMatching(/not JSON/) }),
    ]);
    await subscription.stop();
  });

  it('without a place to park, stops at an undecodable event and says why (onError, stop())', async () => {
    const errors: unknown[] = [];
    const { subscription, opened } = harness({ onError: (e) => void errors.push(e) }, () => undefined);
    await until('the subscription to open', () => opened.length === 1);
    opened[0].write(resolved(1, new TextEncoder().encode('garbage')));
    await until('onError', () => errors.length === 1);
    expect(String(errors[0])).toMatch(/not JSON/);
    await expect(subscription.stop()).rejects.toBe(errors[0]);
  });

  it('reports a dropped connection and resubscribes; access denied stops it for good, loudly', async () => {
    const reconnects: unknown[] = [];
    const errors: unknown[] = [];
    const { subscription, opened } = harness({ onReconnect: (e) => void reconnects.push(e), onError: (e) => void errors.push(e) }, () => undefined);
    await until('the subscription to open', () => opened.length === 1);
    opened[0].destroy(clientError(UnavailableError, ErrorType.UNAVAILABLE));
    await until('a resubscription', () => opened.length === 2);
    expect(reconnects).toHaveLength(1);
    const denied = clientError(AccessDeniedError, ErrorType.ACCESS_DENIED);
    opened[1].destroy(denied);
    await until('onError', () => errors.length === 1);
    expect(errors[0]).toBe(denied);
    expect(opened).toHaveLength(2); // no third attempt
    await expect(subscription.caughtUp()).rejects.toBe(denied);
    await expect(subscription.stop()).rejects.toBe(denied);
  });

  it('when parking fails, stops rather than skipping the event unrecorded', async () => {
    const errors: unknown[] = [];
    const { subscription, opened } = harness(
      {
        onUndecodable: () => {
          throw new Error('read store down');
        },
        onError: (e) => void errors.push(e),
      },
      () => undefined,
    );
    await until('the subscription to open', () => opened.length === 1);
    opened[0].write(resolved(1, new TextEncoder().encode('garbage')));
    await until('onError', () => errors.length === 1);
    expect(String(errors[0])).toContain('read store down');
    await expect(subscription.stop()).rejects.toThrow('read store down');
  });
});

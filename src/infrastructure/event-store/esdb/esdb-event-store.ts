/**
 * The production event store (EventStoreDB): connecting and appending here; reads in
 * esdb-reader.ts, filtered $all reads in filtered-read-all.ts, subscriptions in
 * esdb-subscription.ts, pure mappings in esdb-mapping.ts, rules shared with the embedded store
 * in ../event-store.rules.ts.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamDeletedError as EsdbStreamDeletedError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  AppendResult,
  EventData,
  EventHandler,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Subscription,
  WrongExpectedVersionError,
} from '../event-store.port';
import { SubscriptionRegistry } from '../subscription-registry';
import {
  clampRevision,
  DEFAULT_READ_ALL_MAX_COUNT,
  expectedRevisionHolds,
  filterMatchesNothing,
  fromEsdbPosition,
  isRetryableAppendError,
  isUnknownPosition,
  limitOf,
  readPositionAfter,
  redactConnectionString,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toPortWrongExpectedVersion,
} from './esdb-mapping';
import { EsdbReader } from './esdb-reader';
import { EsdbSubscribeOptions, EsdbSubscription, noop } from './esdb-subscription';

export type { EsdbSubscribeOptions } from './esdb-subscription';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_RESUBSCRIBE_MIN_DELAY_MS = 100;
export const DEFAULT_RESUBSCRIBE_MAX_DELAY_MS = 5_000;
export const DEFAULT_CAUGHT_UP_PROBE_INTERVAL_MS = 50;
export const DEFAULT_APPEND_ATTEMPTS = 4;
export const DEFAULT_APPEND_RETRY_DELAY_MS = 250;

/** The connection string cannot be used at all: waiting will not help. */
export class InvalidConnectionStringError extends Error {
  override name = 'InvalidConnectionStringError';
}

export interface EsdbEventStoreOptions {
  /** How long connect() waits for the server's first answer. */
  connectTimeoutMs?: number;
  /** Resubscription backoff after a dropped subscription: starts here, doubles… */
  resubscribeMinDelayMs?: number;
  /** …up to this. */
  resubscribeMaxDelayMs?: number;
  /** While a caughtUp() waits and the subscription is idle, how often to ask the server whether anything is left. */
  caughtUpProbeIntervalMs?: number;
  /** How many times one append is sent when its outcome is unknown (deadline, leader change, dropped connection). */
  appendAttempts?: number;
  /** Pause before the second attempt; doubles after each. */
  appendRetryDelayMs?: number;
}

/**
 * The EventStore port on EventStoreDB (gRPC client @eventstore/db-client 6.x; server 22.6 or later,
 * single node or cluster). This class connects and appends; reads are esdb-reader.ts (filtered $all
 * reads: filtered-read-all.ts), subscriptions esdb-subscription.ts, and esdb-mapping.ts says how
 * revisions, positions, filters and events map.
 *
 * Semantics beyond (or short of) the port:
 * - Positions are $all commit positions (byte offsets): they grow but have gaps. Pass as `after`
 *   only positions obtained from this store (or 0n). Any other value still works but costs a
 *   backwards scan from the head to find the record boundary at or before it.
 * - Idempotent retries are the server's: a batch re-appended with the same event ids and the same
 *   exact / no_stream expected revision returns the original result. With `any` / `stream_exists`
 *   the server only recognises the ids while they are in its in-memory cache of recent writes
 *   (not across restarts); a partially stored batch is a WrongExpectedVersionError; an id is not
 *   unique across streams (the same id can be appended to another stream).
 * - Appending zero events never reaches the server: it reads the stream's last event, checks the
 *   expected revision, and returns its revision / position, or -1n / 0n for a missing stream.
 * - readAll / subscriptions never return system events (`$` types, `$` streams). Event types and
 *   stream prefixes are filtered on the server; readAll uses the server's filtered $all read,
 *   which the 6.x client does not expose (see filteredReadAll below).
 * - A subscription reconnects by itself (backoff 100 ms doubling to 5 s) from the last position it
 *   delivered or was told was checked; it never delivers an event twice or skips one. A handler
 *   that throws stops it, as in SqliteEventStore: the error goes to `onError`, and `stop()` /
 *   `caughtUp()` reject with it.
 * - Events that this adapter did not write (data or metadata not a JSON object) make reads throw;
 *   a subscription hands them to `onUndecodable` (to park them) and goes on, or without it stops
 *   with an error. Access denied and other refusals retrying cannot fix stop it too (`onError`).
 * - An append whose outcome is unknown (deadline exceeded, not leader, unavailable) is sent again
 *   with the same ids and expected revision (see retryUnknownOutcome). A tombstoned stream reads
 *   as not found and refuses appends with a WrongExpectedVersionError.
 */
export class EsdbEventStore implements EventStore {
  private closed = false;
  private readonly subscriptions = new SubscriptionRegistry<EsdbSubscription>();
  private readonly options: Required<EsdbEventStoreOptions>;
  private readonly reader: EsdbReader;

  /** Connects and checks that the server answers; throws an Error naming the URL (without credentials) if not. */
  static async connect(connectionString: string, options: EsdbEventStoreOptions = {}): Promise<EsdbEventStore> {
    const where = redactConnectionString(connectionString);
    const redact = (error: unknown) => (error instanceof Error ? error.message : String(error)).split(connectionString).join(where);
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(connectionString);
    } catch (err) {
      throw new InvalidConnectionStringError(`Invalid EventStoreDB connection string ${where}: ${redact(err)}`);
    }
    const store = new EsdbEventStore(client, options);
    const timeoutMs = store.options.connectTimeoutMs;
    try {
      await withTimeout(store.headPosition(), timeoutMs, `no answer within ${timeoutMs} ms`);
    } catch (err) {
      await client.dispose().catch(noop);
      throw new Error(`EventStoreDB is not reachable at ${where}: ${redact(err)}`, { cause: err });
    }
    return store;
  }

  /** Prefer connect(). The store disposes the client on close(). */
  constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.reader = new EsdbReader(client);
    this.options = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      resubscribeMinDelayMs: options.resubscribeMinDelayMs ?? DEFAULT_RESUBSCRIBE_MIN_DELAY_MS,
      resubscribeMaxDelayMs: options.resubscribeMaxDelayMs ?? DEFAULT_RESUBSCRIBE_MAX_DELAY_MS,
      caughtUpProbeIntervalMs: options.caughtUpProbeIntervalMs ?? DEFAULT_CAUGHT_UP_PROBE_INTERVAL_MS,
      appendAttempts: Math.max(1, options.appendAttempts ?? DEFAULT_APPEND_ATTEMPTS),
      appendRetryDelayMs: options.appendRetryDelayMs ?? DEFAULT_APPEND_RETRY_DELAY_MS,
    };
  }

  async appendToStream(streamId: string, events: EventData[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    if (events.length === 0 || (typeof expected === 'bigint' && expected < 0n)) {
      // A negative revision never matches (as in SqliteEventStore); the client could not even send it.
      return this.appendNothing(streamId, expected);
    }
    const expectedRevision = toEsdbExpectedRevision(expected);
    const batch = events.map(toEsdbEventData); // serialised once: every attempt sends the same ids and bytes

    let result;
    try {
      result = await retryUnknownOutcome(() => this.client.appendToStream(streamId, batch, { expectedRevision }), this.options);
    } catch (err) {
      if (err instanceof EsdbWrongExpectedVersionError) throw toPortWrongExpectedVersion(streamId, expected, err);
      // A tombstoned (hard-deleted) stream can never be written again: a conflict, not a crash.
      if (err instanceof EsdbStreamDeletedError) throw new WrongExpectedVersionError(streamId, expected, 'no_stream');
      throw err;
    }
    if (!result.success) {
      // Only with throwOnAppendFailure=false in the connection string; the batch-append path then
      // reports an unreliable revision, so the actual one is read back.
      const last = await this.reader.lastEventOf(streamId);
      throw new WrongExpectedVersionError(streamId, expected, last ? last.revision : 'no_stream');
    }
    // The commit position of the append is that of its last event (commit == prepare, see esdb-mapping).
    // An idempotent retry on an older server may come back without one: read it from the stream.
    const position =
      result.position && !isUnknownPosition(result.position)
        ? fromEsdbPosition(result.position)
        : await this.reader.positionOf(streamId, result.nextExpectedRevision);
    return { nextExpectedRevision: result.nextExpectedRevision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const limit = limitOf(options.maxCount, -1);
    const events = await this.reader.readStreamEvents(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision === undefined ? (backwards ? END : START) : clampRevision(options.fromRevision),
      // maxCount 0 still asks for one event, so that a missing stream is still reported.
      maxCount: limit === -1 ? Number.MAX_SAFE_INTEGER : Math.max(limit, 1),
    });
    return limit === 0 ? [] : events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = limitOf(options.maxCount, DEFAULT_READ_ALL_MAX_COUNT);
    if (limit === 0 || filterMatchesNothing(options.filter)) return [];
    const after = options.after ?? 0n;
    return this.reader.readAllFrom(readPositionAfter(after), after, limit, options.filter);
  }

  subscribeToAll(handler: EventHandler, options: EsdbSubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = new EsdbSubscription(
      {
        client: this.client,
        head: () => this.headPosition(),
        firstMatchAfter: async (from, after) => (await this.reader.readAllFrom(from, after, 1, options.filter))[0]?.position,
        boundaryAtOrBefore: (position) => this.reader.boundaryAtOrBefore(position),
        onFinished: this.subscriptions.remove,
        minDelayMs: this.options.resubscribeMinDelayMs,
        maxDelayMs: this.options.resubscribeMaxDelayMs,
        probeIntervalMs: this.options.caughtUpProbeIntervalMs,
      },
      handler,
      options,
    );
    return this.subscriptions.add(subscription);
  }

  /** The newest non-system event's commit position ($all read backwards, system events excluded on the server). */
  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.reader.headPosition();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
    await this.client.dispose();
  }

  /** Zero events (or an impossible expected revision): check against the stream's last event, write nothing. */
  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const last = await this.reader.lastEventOf(streamId);
    const actual = last ? last.revision : 'no_stream';
    if (!expectedRevisionHolds(expected, actual)) throw new WrongExpectedVersionError(streamId, expected, actual);
    return last ? { nextExpectedRevision: last.revision, position: last.position } : { nextExpectedRevision: -1n, position: 0n };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('EsdbEventStore is closed');
  }
}

/**
 * Sends an append again, with the same event ids and expected revision, while its outcome is
 * unknown. The server deduplicates by event id: if an earlier attempt was stored, a retry with
 * an exact or no_stream expected revision returns that result instead of storing it twice (with
 * `any`, only while the ids are in the server's cache of recent writes).
 */
export async function retryUnknownOutcome<T>(
  attempt: () => Promise<T>,
  options: { appendAttempts: number; appendRetryDelayMs: number },
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  let delay = options.appendRetryDelayMs;
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= options.appendAttempts || !isRetryableAppendError(err)) throw err;
      await sleep(delay);
      delay *= 2;
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

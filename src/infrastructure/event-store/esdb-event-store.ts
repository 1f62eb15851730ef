import {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  BACKWARDS,
  Direction as EsdbDirection,
  END,
  EVENT_TYPE,
  EventStoreDBClient,
  excludeSystemEvents,
  Filter,
  FORWARDS,
  Position,
  ReadPosition,
  ResolvedEvent,
  START,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { ReadStream } from '@eventstore/db-client/dist/streams/utils/ReadStream';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import {
  AllFilter,
  AppendResult,
  EventData,
  EventHandler,
  EventStore,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamNotFoundError,
  SubscribeToAllOptions,
  Subscription,
  WrongExpectedVersionError,
} from './event-store.port';
import {
  checkpointCoverage,
  clampRevision,
  DEFAULT_READ_ALL_MAX_COUNT,
  expectedRevisionHolds,
  filterMatchesNothing,
  fromEsdbPosition,
  isInvalidPositionError,
  isSystemEvent,
  isUnknownPosition,
  limitOf,
  matchesAllFilter,
  positionAfter,
  readPositionAfter,
  redactConnectionString,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbFilter,
  toPortWrongExpectedVersion,
  toRecordedEvent,
} from './esdb-mapping';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_RESUBSCRIBE_MIN_DELAY_MS = 100;
export const DEFAULT_RESUBSCRIBE_MAX_DELAY_MS = 5_000;
export const DEFAULT_CAUGHT_UP_PROBE_INTERVAL_MS = 50;

/** Page size of the backwards scans (head position, locating a record boundary). */
const BACKWARD_PAGE = 256;

export interface EsdbEventStoreOptions {
  /** How long connect() waits for the server's first answer. */
  connectTimeoutMs?: number;
  /** Resubscription backoff after a dropped subscription: starts here, doubles… */
  resubscribeMinDelayMs?: number;
  /** …up to this. */
  resubscribeMaxDelayMs?: number;
  /** While a caughtUp() waits and the subscription is idle, how often to ask the server whether anything is left. */
  caughtUpProbeIntervalMs?: number;
}

export interface EsdbSubscribeOptions extends SubscribeToAllOptions {
  /** Called once if the handler throws (or an event cannot be mapped); the subscription has stopped by then. */
  onError?: (error: unknown) => void;
  /** Called when the subscription dropped (connection lost, server error) and will resubscribe after `delayMs`. */
  onReconnect?: (error: unknown, delayMs: number) => void;
}

const noop = () => undefined;

/**
 * The EventStore port on EventStoreDB (gRPC client @eventstore/db-client 6.x; server 22.6 or later,
 * single node or cluster). See esdb-mapping.ts for how revisions, positions, filters and events map.
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
 * - Events that this adapter did not write (data or metadata not a JSON object) make reads throw
 *   and subscriptions stop with an error.
 */
export class EsdbEventStore implements EventStore {
  private closed = false;
  private readonly subscriptions = new Set<EsdbSubscription>();
  private readonly options: Required<EsdbEventStoreOptions>;

  /** Connects and checks that the server answers; throws an Error naming the URL (without credentials) if not. */
  static async connect(connectionString: string, options: EsdbEventStoreOptions = {}): Promise<EsdbEventStore> {
    const where = redactConnectionString(connectionString);
    const redact = (error: unknown) =>
      (error instanceof Error ? error.message : String(error)).split(connectionString).join(where);
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(connectionString);
    } catch (err) {
      throw new Error(`Invalid EventStoreDB connection string ${where}: ${redact(err)}`);
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
    this.options = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      resubscribeMinDelayMs: options.resubscribeMinDelayMs ?? DEFAULT_RESUBSCRIBE_MIN_DELAY_MS,
      resubscribeMaxDelayMs: options.resubscribeMaxDelayMs ?? DEFAULT_RESUBSCRIBE_MAX_DELAY_MS,
      caughtUpProbeIntervalMs: options.caughtUpProbeIntervalMs ?? DEFAULT_CAUGHT_UP_PROBE_INTERVAL_MS,
    };
  }

  async appendToStream(
    streamId: string,
    events: EventData[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    const expected = options.expectedRevision ?? 'any';
    if (events.length === 0 || (typeof expected === 'bigint' && expected < 0n)) {
      // A negative revision never matches (as in SqliteEventStore); the client could not even send it.
      return this.appendNothing(streamId, expected);
    }
    const expectedRevision = toEsdbExpectedRevision(expected);

    let result;
    try {
      result = await this.client.appendToStream(streamId, events.map(toEsdbEventData), { expectedRevision });
    } catch (err) {
      if (err instanceof EsdbWrongExpectedVersionError) throw toPortWrongExpectedVersion(streamId, expected, err);
      throw err;
    }
    if (!result.success) {
      // Only with throwOnAppendFailure=false in the connection string; the batch-append path then
      // reports an unreliable revision, so the actual one is read back.
      const last = await this.lastEventOf(streamId);
      throw new WrongExpectedVersionError(streamId, expected, last ? last.revision : 'no_stream');
    }
    // The commit position of the append is that of its last event (commit == prepare, see esdb-mapping).
    // An idempotent retry on an older server may come back without one: read it from the stream.
    const position =
      result.position && !isUnknownPosition(result.position)
        ? fromEsdbPosition(result.position)
        : await this.positionOf(streamId, result.nextExpectedRevision);
    return { nextExpectedRevision: result.nextExpectedRevision, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const limit = limitOf(options.maxCount, -1);
    const events = await this.readStreamEvents(streamId, {
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
    return this.readAllFrom(readPositionAfter(after), after, limit, options.filter);
  }

  subscribeToAll(handler: EventHandler, options: EsdbSubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = new EsdbSubscription(
      {
        client: this.client,
        head: () => this.headPosition(),
        firstMatchAfter: async (from, after) =>
          (await this.readAllFrom(from, after, 1, options.filter))[0]?.position,
        boundaryAtOrBefore: (position) => this.boundaryAtOrBefore(position),
        onFinished: (s) => this.subscriptions.delete(s),
        minDelayMs: this.options.resubscribeMinDelayMs,
        maxDelayMs: this.options.resubscribeMaxDelayMs,
        probeIntervalMs: this.options.caughtUpProbeIntervalMs,
      },
      handler,
      options,
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** The newest non-system event's commit position ($all read backwards, system events excluded on the server). */
  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const filter = excludeSystemEvents();
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readPage(from, BACKWARDS, BACKWARD_PAGE, filter);
      for (const resolved of page) {
        const event = resolved.event;
        if (!event?.position) continue;
        if (!isSystemEvent(event)) return fromEsdbPosition(event.position);
        from = event.position; // backwards reads exclude the event at their start position
      }
      if (page.length < BACKWARD_PAGE) return 0n;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A failed handler's error has already gone to onError / stop(); closing should still succeed.
    await Promise.allSettled([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private async readStreamEvents(
    streamId: string,
    options: { direction: EsdbDirection; fromRevision: typeof START | typeof END | bigint; maxCount: number },
  ): Promise<RecordedEvent[]> {
    const stream = this.client.readStream(streamId, options);
    stream.on('error', noop); // errors reach the loop below; never an unhandled 'error' event
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of stream) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (err) {
      if (err instanceof EsdbStreamNotFoundError) throw new StreamNotFoundError(streamId);
      throw err;
    }
    return events;
  }

  private async lastEventOf(streamId: string): Promise<RecordedEvent | undefined> {
    try {
      const [last] = await this.readStreamEvents(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
      return last;
    } catch (err) {
      if (err instanceof StreamNotFoundError) return undefined;
      throw err;
    }
  }

  private async positionOf(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStreamEvents(streamId, { direction: FORWARDS, fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`EventStoreDB reported revision ${revision} of ${streamId}, which cannot be read`);
    return event.position;
  }

  /** Zero events (or an impossible expected revision): check against the stream's last event, write nothing. */
  private async appendNothing(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const last = await this.lastEventOf(streamId);
    const actual = last ? last.revision : 'no_stream';
    if (!expectedRevisionHolds(expected, actual)) throw new WrongExpectedVersionError(streamId, expected, actual);
    return last
      ? { nextExpectedRevision: last.revision, position: last.position }
      : { nextExpectedRevision: -1n, position: 0n };
  }

  /**
   * Matching events with a position above `after`, reading forwards from `from` (inclusive, a record
   * boundary at or below `after`), at most `limit` (-1: no limit). Pages until the limit is reached,
   * because events the client-side guard drops must not shorten a page.
   */
  private async readAllFrom(
    from: ReadPosition,
    after: bigint,
    limit: number,
    filter: AllFilter | undefined,
  ): Promise<RecordedEvent[]> {
    const esdbFilter = toEsdbFilter(filter);
    if (!esdbFilter) return [];
    const events: RecordedEvent[] = [];
    let cursor = from;
    let last = after;
    let relocated = false;
    for (;;) {
      // +1: the read is inclusive, so its first event may be the one at `after`.
      const want = limit === -1 ? Number.MAX_SAFE_INTEGER : limit - events.length + 1;
      let page: ResolvedEvent[];
      try {
        page = await this.readPage(cursor, FORWARDS, want, esdbFilter);
      } catch (err) {
        // `after` was not a record boundary (not a position this store handed out): start from the
        // boundary at or before it instead, and drop what is not after it as usual.
        if (relocated || cursor === START || !isInvalidPositionError(err)) throw err;
        relocated = true;
        cursor = await this.boundaryAtOrBefore(last);
        continue;
      }
      for (const resolved of page) {
        const event = resolved.event;
        if (!event?.position) continue;
        const position = fromEsdbPosition(event.position);
        if (position <= last) continue;
        last = position;
        cursor = event.position;
        if (!matchesAllFilter(event, filter)) continue;
        const recorded = toRecordedEvent(resolved);
        if (!recorded) continue;
        events.push(recorded);
        if (limit !== -1 && events.length >= limit) return events;
      }
      if (page.length < want) return events;
    }
  }

  private async readPage(from: ReadPosition, direction: EsdbDirection, maxCount: number, filter: Filter) {
    const stream = filteredReadAll(this.client, { fromPosition: from, direction, maxCount, filter });
    stream.on('error', noop);
    const page: ResolvedEvent[] = [];
    for await (const resolved of stream) page.push(resolved as ResolvedEvent);
    return page;
  }

  /**
   * The position of the last record (any event, system ones included) at or before `position`, or
   * START: a place a forward read may start from. Scans $all backwards from the head.
   */
  private async boundaryAtOrBefore(position: bigint): Promise<ReadPosition> {
    let from: ReadPosition = END;
    let lowest: Position | undefined;
    for (;;) {
      const stream = this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: BACKWARD_PAGE });
      stream.on('error', noop);
      let count = 0;
      let progressed = false;
      for await (const resolved of stream as AsyncIterable<AllStreamResolvedEvent>) {
        count++;
        const at = resolved.event?.position;
        if (!at || (lowest && !positionAfter(lowest, at))) continue;
        lowest = at;
        progressed = true;
        if (at.commit <= position) {
          void stream.cancel().catch(noop);
          return at;
        }
      }
      if (count < BACKWARD_PAGE || !progressed || !lowest) return START;
      from = lowest;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('EsdbEventStore is closed');
  }
}

// -----------------------------------------------------------------------------------------------
// Filtered $all reads
// -----------------------------------------------------------------------------------------------

/**
 * Type-level access to the client's protected gRPC plumbing (never instantiated). The 6.x client's
 * readAll() sends no filter (it always sets `no_filter`), though the server has answered filtered
 * $all reads since 21.10; without them every filtered readAll would stream the whole log to us.
 */
abstract class ClientPlumbing extends EventStoreDBClient {
  static of(client: EventStoreDBClient) {
    const plumbing = client as ClientPlumbing;
    const { GRPCStreamCreator: createStream, callArguments } = plumbing;
    if (typeof createStream !== 'function' || typeof callArguments !== 'function') {
      throw new Error(
        'This @eventstore/db-client version no longer exposes GRPCStreamCreator / callArguments; ' +
          'EsdbEventStore needs them for filtered $all reads',
      );
    }
    return { createStream, callArguments };
  }
}

/**
 * Client.readAll() plus a server-side filter: the same ReadReq the client builds for readAll, with
 * the filter options it builds for subscribeToAll, through the client's own channel, credentials
 * and event conversion.
 */
function filteredReadAll(
  client: EventStoreDBClient,
  options: { fromPosition: ReadPosition; direction: EsdbDirection; maxCount: number; filter: Filter },
): ReadStream<ResolvedEvent> {
  const { createStream, callArguments } = ClientPlumbing.of(client);
  const { fromPosition, direction, maxCount, filter } = options;

  const all = new ReadReq.Options.AllOptions();
  if (fromPosition === START) {
    all.setStart(new Empty());
  } else if (fromPosition === END) {
    all.setEnd(new Empty());
  } else {
    const position = new ReadReq.Options.Position();
    position.setCommitPosition(fromPosition.commit.toString(10));
    position.setPreparePosition(fromPosition.prepare.toString(10));
    all.setPosition(position);
  }

  const expression = new ReadReq.Options.FilterOptions.Expression();
  if ('regex' in filter) expression.setRegex(filter.regex);
  else expression.setPrefixList(filter.prefixes);
  const filterOptions = new ReadReq.Options.FilterOptions();
  if (filter.filterOn === EVENT_TYPE) filterOptions.setEventType(expression);
  else filterOptions.setStreamIdentifier(expression);
  if (filter.maxSearchWindow) filterOptions.setMax(filter.maxSearchWindow);
  else filterOptions.setCount(new Empty());
  filterOptions.setCheckpointintervalmultiplier(filter.checkpointInterval);

  const uuidOption = new ReadReq.Options.UUIDOption();
  uuidOption.setString(new Empty());

  const readOptions = new ReadReq.Options();
  readOptions.setAll(all);
  readOptions.setResolveLinks(false);
  readOptions.setCount(String(maxCount));
  readOptions.setUuidOption(uuidOption);
  readOptions.setFilter(filterOptions);
  readOptions.setReadDirection(
    direction === BACKWARDS ? ReadReq.Options.ReadDirection.BACKWARDS : ReadReq.Options.ReadDirection.FORWARDS,
  );
  const request = new ReadReq();
  request.setOptions(readOptions);

  const grpcStream = createStream(StreamsClient, 'readAll', (streams) =>
    streams.read(request, ...callArguments({}, { deadline: Infinity })),
  );
  return new ReadStream<ResolvedEvent>(grpcStream, convertGrpcEvent, {});
}

// -----------------------------------------------------------------------------------------------
// Subscriptions
// -----------------------------------------------------------------------------------------------

interface SubscriptionSource {
  client: EventStoreDBClient;
  head(): Promise<bigint>;
  /** Position of the first matching event above `after`, reading from `from` (inclusive). */
  firstMatchAfter(from: ReadPosition, after: bigint): Promise<bigint | undefined>;
  boundaryAtOrBefore(position: bigint): Promise<ReadPosition>;
  onFinished(subscription: EsdbSubscription): void;
  minDelayMs: number;
  maxDelayMs: number;
  probeIntervalMs: number;
}

/** A filtered-subscription checkpoint, pushed into the subscription's own stream so it stays in order with events. */
class CheckpointMarker {
  constructor(readonly position: Position) {}
}

/** Wraps what stops a subscription for good (the handler threw, an event could not be mapped). */
class Fatal {
  constructor(readonly error: unknown) {}
}

interface Waiter {
  target: bigint;
  seq: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One loop per subscription: subscribe from the resume point, hand events to the handler one at a
 * time, and on a dropped connection resubscribe from the last delivered (or checkpointed) position.
 *
 * `covered`: every matching event at or below it has been delivered; events at or below it are
 * dropped, so a resubscription never delivers twice. `resumeFrom`: a real record position (the last
 * delivered event, or a checkpoint) the server can resubscribe from, exclusive.
 */
class EsdbSubscription implements Subscription {
  private covered: bigint;
  private resumeFrom: ReadPosition;
  private stopping = false;
  private finished = false;
  private failed = false;
  private error: unknown;
  private current: AllStreamSubscription | undefined;
  private wakeSleeper: (() => void) | undefined;
  private waiters: Waiter[] = [];
  private waiterSeq = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private progressed = false;
  private readonly inert: boolean;
  private readonly done: Promise<void>;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly handler: EventHandler,
    private readonly options: EsdbSubscribeOptions,
  ) {
    this.covered = options.after ?? 0n;
    this.resumeFrom = readPositionAfter(options.after);
    this.inert = filterMatchesNothing(options.filter);
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    const current = this.current;
    if (current) {
      // Ends the `for await` if it is waiting for the server; a running handler finishes first.
      current.destroy();
      current.unsubscribe().catch(noop);
    }
    await this.done;
    if (this.failed) throw this.error;
  }

  /**
   * Reads the head position, then resolves once every matching event up to it has been delivered:
   * an event at or past it was delivered, a checkpoint covers it, or (when the subscription is idle)
   * a one-event filtered read shows nothing left to deliver up to it.
   */
  async caughtUp(): Promise<void> {
    if (this.failed) throw this.error;
    if (this.finished || this.stopping) throw stoppedError();
    if (this.inert) return;
    const target = await this.source.head();
    if (this.failed) throw this.error;
    if (target <= this.covered) return;
    if (this.finished || this.stopping) throw stoppedError();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ target, seq: ++this.waiterSeq, resolve, reject });
      this.ensureProbe();
    });
  }

  private async run(): Promise<void> {
    // Never call the handler before subscribeToAll has returned.
    await Promise.resolve();
    let delay = this.source.minDelayMs;
    try {
      if (this.inert) {
        while (!this.stopping) await this.sleep(60_000);
        return;
      }
      while (!this.stopping) {
        const subscription = this.open();
        this.current = subscription;
        try {
          for await (const item of subscription as AsyncIterable<AllStreamResolvedEvent | CheckpointMarker>) {
            if (this.stopping) break;
            delay = this.source.minDelayMs;
            if (item instanceof CheckpointMarker) this.checkpoint(item.position);
            else await this.deliver(item);
          }
          if (this.stopping) break;
          throw new Error('EventStoreDB ended the subscription');
        } catch (err) {
          if (err instanceof Fatal) throw err;
          if (this.stopping) break;
          if (isInvalidPositionError(err) && this.resumeFrom !== START) {
            // The `after` given to subscribeToAll was not a record boundary: resume from the one
            // at or before it (events up to `covered` are dropped anyway).
            this.resumeFrom = await this.source.boundaryAtOrBefore(this.covered).catch(() => this.resumeFrom);
          }
          try {
            this.options.onReconnect?.(err, delay);
          } catch {
            // A failing observer must not stop the subscription.
          }
          await this.sleep(delay);
          delay = Math.min(delay * 2, this.source.maxDelayMs);
        } finally {
          this.current = undefined;
          subscription.destroy();
          subscription.unsubscribe().catch(noop);
        }
      }
    } catch (err) {
      this.failed = true;
      this.error = err instanceof Fatal ? err.error : err;
      this.stopping = true;
      try {
        this.options.onError?.(this.error);
      } catch {
        // onError's own failure must not hide the original error, which stop() still reports.
      }
    } finally {
      this.finished = true;
      if (this.probeTimer) clearInterval(this.probeTimer);
      const reason = this.failed ? this.error : stoppedError();
      for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
      this.source.onFinished(this);
    }
  }

  private open(): AllStreamSubscription {
    const filter = toEsdbFilter(this.options.filter, {
      // Called by the client's stream in order, before it reads on; pushing a marker into that same
      // stream keeps the checkpoint after every event the server sent before it.
      checkpointReached: (subscription, position) => {
        if (!subscription.destroyed) subscription.push(new CheckpointMarker(position));
      },
    })!;
    const subscription = this.source.client.subscribeToAll({
      fromPosition: this.resumeFrom,
      filter,
      resolveLinkTos: false,
    });
    subscription.on('error', noop); // errors reach the `for await`; a late one must not crash the process
    return subscription;
  }

  private async deliver(resolved: AllStreamResolvedEvent): Promise<void> {
    const event = resolved.event;
    if (!event?.position) return;
    const position = fromEsdbPosition(event.position);
    if (position <= this.covered) return; // delivered before a resubscription, or not after `after`
    if (matchesAllFilter(event, this.options.filter)) {
      let recorded: RecordedEvent | undefined;
      try {
        recorded = toRecordedEvent(resolved);
        if (recorded) await this.handler(recorded);
      } catch (err) {
        throw new Fatal(err);
      }
    }
    this.advance(position, event.position);
  }

  private checkpoint(position: Position): void {
    const coverage = checkpointCoverage(position);
    if (coverage > this.covered) this.advance(coverage, position);
  }

  private advance(covered: bigint, resumeFrom: Position): void {
    this.covered = covered;
    this.resumeFrom = resumeFrom;
    this.progressed = true;
    this.settle((waiter) => waiter.target <= covered);
  }

  private settle(done: (waiter: Waiter) => boolean): void {
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => {
      if (!done(waiter)) return true;
      waiter.resolve();
      return false;
    });
  }

  /** While caughtUp() waits and nothing arrives, ask the server whether anything matching is left. */
  private ensureProbe(): void {
    if (this.probeTimer) return;
    this.progressed = false;
    this.probeTimer = setInterval(() => {
      if (this.waiters.length === 0 || this.finished) {
        clearInterval(this.probeTimer);
        this.probeTimer = undefined;
        return;
      }
      if (this.progressed) {
        this.progressed = false;
        return;
      }
      void this.probe();
    }, this.source.probeIntervalMs);
  }

  private async probe(): Promise<void> {
    if (this.probing || this.stopping) return;
    this.probing = true;
    const covered = this.covered;
    const from = this.resumeFrom;
    const seq = this.waiterSeq;
    try {
      const next = await this.source.firstMatchAfter(from, covered);
      // Nothing matches in (covered, next): every matching event below `next` has been delivered.
      // With no `next`, nothing matched up to the head at the time of the read, which is at or past
      // the target of every waiter registered before the read began.
      if (next === undefined) this.settle((waiter) => waiter.seq <= seq);
      else this.settle((waiter) => waiter.target < next);
    } catch {
      // Retried on the next tick; the subscription loop reports connection problems.
    } finally {
      this.probing = false;
    }
  }

  private wake(): void {
    this.wakeSleeper?.();
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => wakeUp(), ms);
      const wakeUp = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      this.wakeSleeper = wakeUp;
    });
  }
}

function stoppedError(): Error {
  return new Error('Subscription stopped before catching up');
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


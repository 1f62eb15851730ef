/**
 * EventStoreDB adapter: reads. Stream reads, filtered $all reads that page until the limit is
 * reached (dropping what the client-side guard refuses), the head position, and the backwards
 * scan that finds a record boundary for positions this store did not hand out.
 */
import {
  AllStreamResolvedEvent,
  BACKWARDS,
  Direction as EsdbDirection,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  Filter,
  FORWARDS,
  Position,
  ReadPosition,
  ResolvedEvent,
  START,
  StreamDeletedError as EsdbStreamDeletedError,
  StreamNotFoundError as EsdbStreamNotFoundError,
} from '@eventstore/db-client';
import { AllFilter, RecordedEvent, StreamNotFoundError } from '../event-store.port';
import { fromEsdbPosition, isInvalidPositionError, isSystemEvent, matchesAllFilter, positionAfter, toEsdbFilter, toRecordedEvent } from './esdb-mapping';
import { filteredReadAll } from './filtered-read-all';
import { noop } from './esdb-subscription';

/** Page size of the backwards scan that locates a record boundary. */
const BACKWARD_PAGE = 256;
/**
 * Page size of the head-position read. The server filters out `$` event types, so the first event
 * it returns is almost always the head; a few more cover events of other types in `$` streams.
 */
const HEAD_PAGE = 4;

export class EsdbReader {
  constructor(private readonly client: EventStoreDBClient) {}

  /** The newest non-system event's commit position ($all read backwards, system events excluded on the server). */
  async headPosition(): Promise<bigint> {
    const filter = excludeSystemEvents();
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readPage(from, BACKWARDS, HEAD_PAGE, filter);
      for (const resolved of page) {
        const event = resolved.event;
        if (!event?.position) continue;
        if (!isSystemEvent(event)) return fromEsdbPosition(event.position);
        from = event.position; // backwards reads exclude the event at their start position
      }
      if (page.length < HEAD_PAGE) return 0n;
    }
  }

  async readStreamEvents(
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
      // A tombstoned stream reads as absent (a 404 to a client), never as a server error.
      if (err instanceof EsdbStreamNotFoundError || err instanceof EsdbStreamDeletedError) throw new StreamNotFoundError(streamId);
      throw err;
    }
    return events;
  }

  async lastEventOf(streamId: string): Promise<RecordedEvent | undefined> {
    try {
      const [last] = await this.readStreamEvents(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
      return last;
    } catch (err) {
      if (err instanceof StreamNotFoundError) return undefined;
      throw err;
    }
  }

  async positionOf(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStreamEvents(streamId, { direction: FORWARDS, fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`EventStoreDB reported revision ${revision} of ${streamId}, which cannot be read`);
    return event.position;
  }

  /**
   * Matching events with a position above `after`, reading forwards from `from` (inclusive, a record
   * boundary at or below `after`), at most `limit` (-1: no limit). Pages until the limit is reached,
   * because events the client-side guard drops must not shorten a page.
   */
  async readAllFrom(from: ReadPosition, after: bigint, limit: number, filter: AllFilter | undefined): Promise<RecordedEvent[]> {
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

  async readPage(from: ReadPosition, direction: EsdbDirection, maxCount: number, filter: Filter) {
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
  async boundaryAtOrBefore(position: bigint): Promise<ReadPosition> {
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
}

/**
 * Pure mappings between the event-store port and @eventstore/db-client 6.x, kept apart from the
 * adapter (esdb-event-store.ts and its reader and subscription) so that they can be unit-tested without a server.
 *
 * Positions. EventStoreDB orders $all by a (commit, prepare) pair of byte offsets in its
 * transaction log. The port has one bigint; this adapter uses the COMMIT position:
 * - it is what $all is ordered by first, what `ResolvedEvent.commitPosition` and the append
 *   result carry, and what filtered-subscription checkpoints report (their prepare is often 0);
 * - every event written through the gRPC API is a self-committed prepare record, for which the
 *   server reports commit == prepare == the record's offset (AllReader builds its position as
 *   `new TFPos(prepare.LogPosition, prepare.LogPosition)`). So a port position `p` that this
 *   adapter returned (an event's position, an AppendResult position, headPosition) converts back
 *   exactly to `{ commit: p, prepare: p }`, a record boundary the server can read from.
 * - Events written by legacy TCP-API explicit transactions share one commit position (that of the
 *   commit record) and differ only in prepare; such stores are not supported by this adapter.
 */
import {
  AllStreamResolvedEvent,
  ANY,
  AppendExpectedRevision,
  CurrentRevision,
  eventTypeFilter,
  ErrorType,
  excludeSystemEvents,
  Filter,
  jsonEvent,
  NO_STREAM,
  Position,
  ReadPosition,
  ResolvedEvent,
  START,
  STREAM_EXISTS,
  streamNameFilter,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { AllFilter, EventData, EventMetadata, ExpectedRevision, RecordedEvent, WrongExpectedVersionError } from '../event-store.port';
import { MAX_INT64 } from '../event-store.rules';

export { clampRevision, DEFAULT_READ_ALL_MAX_COUNT, expectedRevisionHolds, MAX_INT64 } from '../event-store.rules';

// ---------------------------------------------------------------------------------------------
// Expected revisions
// ---------------------------------------------------------------------------------------------

/** Port → client. The string constants happen to be equal; the mapping is spelt out anyway. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (typeof expected !== 'bigint' || expected < 0n) {
        throw new RangeError(`Invalid expected revision: ${String(expected)}`);
      }
      return expected;
  }
}

/**
 * Client → port. Also accepts the raw negative numbers older servers put in error metadata
 * (-1 no stream, -2 any, -4 stream exists).
 */
export function fromEsdbExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  switch (expected) {
    case ANY:
      return 'any';
    case NO_STREAM:
      return 'no_stream';
    case STREAM_EXISTS:
      return 'stream_exists';
    default:
      if (expected === -1n) return 'no_stream';
      if (expected === -2n) return 'any';
      if (expected === -4n) return 'stream_exists';
      return expected;
  }
}

/**
 * The client reports a missing stream as 'no_stream' (gRPC details, batch append) or, when it
 * parses an older server's error metadata, as -1n; both become the port's 'no_stream'.
 */
export function toPortActualRevision(actual: CurrentRevision | undefined): bigint | 'no_stream' {
  if (actual === undefined || actual === NO_STREAM) return 'no_stream';
  return actual < 0n ? 'no_stream' : actual;
}

/**
 * The client's WrongExpectedVersionError → the port's. `expected` is what we sent (the client's
 * copy may be a raw number from an older server), `actual` comes from the client's `actualVersion`.
 */
export function toPortWrongExpectedVersion(
  streamId: string,
  expected: ExpectedRevision,
  error: Pick<EsdbWrongExpectedVersionError, 'actualVersion'>,
): WrongExpectedVersionError {
  return new WrongExpectedVersionError(streamId, expected, toPortActualRevision(error.actualVersion));
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/**
 * Port event → client event data, keeping OUR id so that a retried append is recognised by the server.
 * Serialised here, so that data JSON cannot hold (a bigint, a cycle) is an ordinary rejection of
 * the append rather than a throw inside the client's promise executor (an unhandled rejection).
 */
export function toEsdbEventData(event: EventData) {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: jsonRoundTrip(event.data, `data of ${event.type}`),
    metadata: jsonRoundTrip(event.metadata, `metadata of ${event.type}`),
  });
}

export class EventSerializationError extends TypeError {
  override name = 'EventSerializationError';
}

/** The value as JSON would carry it (a plain object), or an EventSerializationError saying why not. */
function jsonRoundTrip(value: unknown, what: string): Record<string, unknown> {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new EventSerializationError(`The ${what} cannot be stored as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed: unknown = text === undefined ? undefined : JSON.parse(text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new EventSerializationError(`The ${what} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

/**
 * Errors after which an append's outcome is unknown or it was refused before any write (the node
 * stopped being leader, the deadline passed, the connection dropped): the same append, with the
 * same event ids and expected revision, can be sent again and the server recognises it if the
 * first one was stored.
 */
export function isRetryableAppendError(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return type === ErrorType.DEADLINE_EXCEEDED || type === ErrorType.UNAVAILABLE || type === ErrorType.NOT_LEADER || type === ErrorType.TIMEOUT;
}

/** Errors that retrying cannot fix: the subscription stops and says so (wrong credentials, missing rights). */
export function isPermanentSubscriptionError(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return type === ErrorType.ACCESS_DENIED || type === ErrorType.INVALID_ARGUMENT || type === ErrorType.UNSUPPORTED || type === ErrorType.USER_NOT_FOUND;
}

/** System events: `$`-prefixed types (links `$>`, `$metadata`, `$statsCollected`, projections…). */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}

/** In $all, also anything in a `$` stream (e.g. `PersistentConfig1` in `$persistentSubscriptionConfig`). */
export function isSystemEvent(event: { type: string; streamId: string }): boolean {
  return isSystemEventType(event.type) || event.streamId.startsWith('$');
}

/**
 * A position the server could not report: absent, or u64::MAX (servers before 22.6 on stream reads).
 */
export function isUnknownPosition(position: Position | undefined): boolean {
  return position === undefined || position.commit < 0n || position.commit > MAX_INT64;
}

/**
 * ResolvedEvent (from readStream, readAll or a subscription) → RecordedEvent. Undefined for
 * entries without a recorded event (a link to a deleted event) and for system event types.
 * Throws when the event cannot honour the port: no $all position, or data / metadata that are
 * not JSON objects (events written by something else than this adapter).
 */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  if (isSystemEventType(event.type)) return undefined;
  const position = event.position;
  if (isUnknownPosition(position)) {
    throw new Error(
      `EventStoreDB did not report the $all position of event ${event.id} in ${event.streamId} ` + '(stream reads carry positions from server 22.6 on)',
    );
  }
  const where = `event ${event.id} (${event.type}) in ${event.streamId}`;
  return {
    streamId: event.streamId,
    revision: event.revision,
    position: fromEsdbPosition(position!),
    id: event.id,
    type: event.type,
    data: asJsonObject(event.data, `data of ${where}`),
    metadata: asJsonObject(event.metadata, `metadata of ${where}`) as EventMetadata,
  };
}

function asJsonObject(value: unknown, what: string): Record<string, unknown> {
  let parsed = value;
  if (value instanceof Uint8Array) {
    try {
      parsed = JSON.parse(Buffer.from(value).toString('utf8'));
    } catch {
      throw new Error(`The ${what} is not JSON`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`The ${what} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Positions
// ---------------------------------------------------------------------------------------------

/** Client position → port position: the commit position (see the module comment). */
export function fromEsdbPosition(position: Position): bigint {
  return position.commit;
}

/** Port position → client position, assuming commit == prepare (true for the positions this adapter returns). */
export function toEsdbPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

/**
 * Where an $all read or subscription for events AFTER `after` (exclusive, as in the port) starts.
 * A positive `after` becomes `{ commit: after, prepare: after }`. Reads from there are INCLUSIVE
 * (the event at `after` comes back and must be dropped with `isAfter`); subscriptions from there are
 * exclusive on the server already (it skips events at or before the checkpoint), and the adapter
 * drops at-or-below events anyway.
 */
export function readPositionAfter(after: bigint | undefined): ReadPosition {
  return after === undefined || after <= 0n ? START : toEsdbPosition(after);
}

/** The port's exclusive `after`: keep only events strictly above it. */
export function isAfter(position: bigint, after: bigint | undefined): boolean {
  return after === undefined || position > after;
}

export function dropAtOrBelow<T extends { position: bigint }>(events: T[], after: bigint | undefined): T[] {
  return events.filter((event) => isAfter(event.position, after));
}

/**
 * The highest position up to which a filtered-subscription checkpoint guarantees every event was
 * considered. A checkpoint at an event's own position `(p, p)` covers p. A page-boundary
 * checkpoint `(x, 0)` (x = the end of the last record read) has not looked at the record starting
 * at x yet, so it covers only x - 1. Conservative either way: never claims an unseen event.
 */
export function checkpointCoverage(position: Position): bigint {
  return position.prepare >= position.commit ? position.commit : position.commit - 1n;
}

/** `a` strictly after `b` in $all order (commit first, then prepare). */
export function positionAfter(a: Position, b: Position): boolean {
  return a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);
}

// ---------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------

/** Escapes regex metacharacters; the escapes used mean the same in .NET (server) and JavaScript. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** An anchored alternation that matches exactly the given event types, e.g. `^(?:A|B\.v2)$`. */
export function exactEventTypeRegex(types: readonly string[]): string {
  const unique = [...new Set(types)];
  return `^(?:${unique.map(escapeRegex).join('|')})$`;
}

export interface EsdbFilterOptions {
  checkpointReached?: Filter['checkpointReached'];
  maxSearchWindow?: number;
}

/**
 * The server-side filter for an $all read or subscription, or `null` when the port filter matches
 * nothing (an empty list, as in SqliteEventStore). No port filter → exclude system events.
 * `$`-typed events in matching streams and `$` streams are dropped client-side by `matchesAllFilter`.
 */
export function toEsdbFilter(filter: AllFilter | undefined, options: EsdbFilterOptions = {}): Filter | null {
  const extra = {
    ...(options.checkpointReached ? { checkpointReached: options.checkpointReached } : {}),
    ...(options.maxSearchWindow ? { maxSearchWindow: options.maxSearchWindow } : {}),
  };
  if (!filter) return excludeSystemEvents(extra);
  if ('eventTypes' in filter) {
    if (filter.eventTypes.length === 0) return null;
    return eventTypeFilter({ regex: exactEventTypeRegex(filter.eventTypes), ...extra });
  }
  if (filter.streamPrefixes.length === 0) return null;
  return streamNameFilter({ prefixes: [...new Set(filter.streamPrefixes)], ...extra });
}

/** Does the port filter match? Exact, case-sensitive; never a system event. Guards the server's filter. */
export function matchesAllFilter(event: { type: string; streamId: string }, filter: AllFilter | undefined): boolean {
  if (isSystemEvent(event)) return false;
  if (!filter) return true;
  if ('eventTypes' in filter) return filter.eventTypes.includes(event.type);
  return filter.streamPrefixes.some((prefix) => event.streamId.startsWith(prefix));
}

export function filterMatchesNothing(filter: AllFilter | undefined): boolean {
  if (!filter) return false;
  return 'eventTypes' in filter ? filter.eventTypes.length === 0 : filter.streamPrefixes.length === 0;
}

// ---------------------------------------------------------------------------------------------
// Misc
// ---------------------------------------------------------------------------------------------

/** A port maxCount → a count: undefined → fallback, Infinity → unlimited (-1), else floor(max(0, n)). */
export function limitOf(maxCount: number | undefined, fallback: number): number {
  if (maxCount === undefined) return fallback;
  if (!Number.isFinite(maxCount)) return maxCount > 0 ? -1 : 0;
  return Math.max(0, Math.floor(maxCount));
}

/**
 * The connection string without `user:password@` (for error messages and logs). Matches what the
 * client's own parser takes as credentials: `[^:]+:[^@]+@` right after the scheme.
 */
export function redactConnectionString(connectionString: string): string {
  return connectionString.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^:]+:[^@]+@/i, '$1');
}

/**
 * The server's answer to a read or subscription that starts at an offset which is not a record
 * boundary: "Trying to read from an invalid position." (subscriptions, InvalidArgument) or
 * "Unexpected FilteredReadAllResult: InvalidPosition" (reads, Unknown).
 */
export function isInvalidPositionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const details = (error as { details?: unknown }).details;
  const text = `${error.message} ${typeof details === 'string' ? details : ''}`;
  return /invalid\s*position/i.test(text);
}

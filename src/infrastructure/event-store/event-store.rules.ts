/**
 * Event-store rules both adapters (SQLite embedded, EventStoreDB) share, written once: the
 * default readAll page size, the revision range and how out-of-range revisions are clamped, and
 * when an expected revision holds. Pure; the port is event-store.port.ts.
 */
import type { ExpectedRevision } from './event-store.port';

/** readAll's page size when no maxCount is given; also the SQLite subscription catch-up batch size. */
export const DEFAULT_READ_ALL_MAX_COUNT = 4096;

/** Largest revision / position either store holds (a signed 64-bit integer). */
export const MAX_INT64 = 2n ** 63n - 1n;

/** Revisions outside 0..2^63-1 are clamped (2^64-1 would mean END to the EventStoreDB client). */
export function clampRevision(revision: bigint): bigint {
  if (revision > MAX_INT64) return MAX_INT64;
  if (revision < 0n) return 0n;
  return revision;
}

/** Is `actual` acceptable for `expected`? (Used for zero-event appends, which write nothing.) */
export function expectedRevisionHolds(expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual === expected;
}

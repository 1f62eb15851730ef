import {
  AllStreamResolvedEvent,
  ANY,
  EVENT_TYPE,
  NO_STREAM,
  ResolvedEvent,
  START,
  STREAM_EXISTS,
  STREAM_NAME,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { WrongExpectedVersionError } from '../../src/infrastructure/event-store/event-store.port';
import {
  checkpointCoverage,
  clampRevision,
  dropAtOrBelow,
  escapeRegex,
  exactEventTypeRegex,
  expectedRevisionHolds,
  filterMatchesNothing,
  fromEsdbExpectedRevision,
  fromEsdbPosition,
  isAfter,
  isInvalidPositionError,
  isSystemEvent,
  isUnknownPosition,
  limitOf,
  matchesAllFilter,
  readPositionAfter,
  redactConnectionString,
  toEsdbEventData,
  toEsdbExpectedRevision,
  toEsdbFilter,
  toEsdbPosition,
  toPortActualRevision,
  toPortWrongExpectedVersion,
  toRecordedEvent,
} from '../../src/infrastructure/event-store/esdb/esdb-mapping';
import { baseMetadata } from './event-store.contract';

const ABOVE_2_53 = 2n ** 53n + 11n;

/** `position: null` builds an event without one. */
function resolved(overrides: Record<string, unknown> = {}, at: { commit: bigint; prepare: bigint } | null = { commit: 1234n, prepare: 1234n }) {
  const position = at ?? undefined;
  return {
    event: {
      streamId: 'petition-1',
      id: '0190b1a2-0000-7000-8000-000000000001',
      isJson: true,
      revision: 3n,
      type: 'PetitionFiled',
      created: new Date(0),
      data: { title: 'حديقة' },
      metadata: baseMetadata(),
      position,
      ...overrides,
    },
    commitPosition: position?.commit,
  } as unknown as ResolvedEvent;
}

describe('EventStoreDB mapping', () => {
  describe('expected revisions', () => {
    it.each([
      ['any', ANY],
      ['no_stream', NO_STREAM],
      ['stream_exists', STREAM_EXISTS],
      [0n, 0n],
      [ABOVE_2_53, ABOVE_2_53],
    ] as const)('maps %p to the client and back', (port, client) => {
      expect(toEsdbExpectedRevision(port)).toBe(client);
      expect(fromEsdbExpectedRevision(client)).toBe(port);
    });

    it('reads the raw numbers older servers put in error metadata', () => {
      expect(fromEsdbExpectedRevision(-1n)).toBe('no_stream');
      expect(fromEsdbExpectedRevision(-2n)).toBe('any');
      expect(fromEsdbExpectedRevision(-4n)).toBe('stream_exists');
    });

    it('refuses a negative revision rather than sending it', () => {
      expect(() => toEsdbExpectedRevision(-1n)).toThrow(RangeError);
    });

    it('checks an expected revision against the actual one (zero-event appends)', () => {
      expect(expectedRevisionHolds('any', 'no_stream')).toBe(true);
      expect(expectedRevisionHolds('no_stream', 'no_stream')).toBe(true);
      expect(expectedRevisionHolds('no_stream', 0n)).toBe(false);
      expect(expectedRevisionHolds('stream_exists', 'no_stream')).toBe(false);
      expect(expectedRevisionHolds('stream_exists', 4n)).toBe(true);
      expect(expectedRevisionHolds(4n, 4n)).toBe(true);
      expect(expectedRevisionHolds(3n, 4n)).toBe(false);
      expect(expectedRevisionHolds(-1n, 'no_stream')).toBe(false);
    });
  });

  describe('wrong expected version', () => {
    it('keeps the expected revision we sent and maps the actual one', () => {
      const clientError = new EsdbWrongExpectedVersionError(undefined, {
        streamName: 'petition-1',
        expected: 0n,
        current: ABOVE_2_53,
      });

      const error = toPortWrongExpectedVersion('petition-1', 0n, clientError);

      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: 'petition-1', expected: 0n, actual: ABOVE_2_53 });
    });

    it("maps the client's no-stream marker to 'no_stream'", () => {
      const clientError = new EsdbWrongExpectedVersionError(undefined, {
        streamName: 'petition-1',
        expected: 'stream_exists',
        current: 'no_stream',
      });

      expect(toPortWrongExpectedVersion('petition-1', 'stream_exists', clientError)).toMatchObject({
        expected: 'stream_exists',
        actual: 'no_stream',
      });
    });

    it("maps an older server's -1 to 'no_stream'", () => {
      expect(toPortActualRevision(-1n)).toBe('no_stream');
      expect(toPortActualRevision(undefined)).toBe('no_stream');
      expect(toPortActualRevision(0n)).toBe(0n);
    });
  });

  describe('filters', () => {
    it('escapes every regex metacharacter in event types', () => {
      const nasty = 'a.b*c+d?e^f$g|h(i)j[k]l{m}n\\o';
      const regex = new RegExp(exactEventTypeRegex([nasty]));
      expect(regex.test(nasty)).toBe(true);
      expect(regex.test('aXb*c+d?e^f$g|h(i)j[k]l{m}n\\o')).toBe(false);
      expect(escapeRegex('Petition.v2')).toBe('Petition\\.v2');
    });

    it('matches event types exactly: no prefixes, suffixes or partial alternatives', () => {
      const regex = new RegExp(exactEventTypeRegex(['Signed', 'Petition.Filed', 'Signed']));
      expect(exactEventTypeRegex(['Signed', 'Petition.Filed', 'Signed'])).toBe('^(?:Signed|Petition\\.Filed)$');
      expect(['Signed', 'Petition.Filed'].map((t) => regex.test(t))).toEqual([true, true]);
      expect(['SignedTwice', 'Unsigned', 'PetitionXFiled', 'signed', 'Signed|Petition'].map((t) => regex.test(t))).toEqual([false, false, false, false, false]);
    });

    it('builds an exact event-type regex filter, a stream-prefix filter, or excludes system events', () => {
      expect(toEsdbFilter({ eventTypes: ['A', 'B.c'] })).toMatchObject({
        filterOn: EVENT_TYPE,
        regex: '^(?:A|B\\.c)$',
      });
      expect(toEsdbFilter({ streamPrefixes: ['petition-', 'petition-'] })).toMatchObject({
        filterOn: STREAM_NAME,
        prefixes: ['petition-'],
      });
      const none = toEsdbFilter(undefined);
      expect(none).toMatchObject({ filterOn: EVENT_TYPE });
      const systemRegex = new RegExp((none as { regex: string }).regex);
      expect(systemRegex.test('$>')).toBe(false);
      expect(systemRegex.test('PetitionFiled')).toBe(true);
    });

    it('passes a checkpoint callback through', () => {
      const checkpointReached = jest.fn();
      expect(toEsdbFilter({ eventTypes: ['A'] }, { checkpointReached })).toMatchObject({ checkpointReached });
    });

    it('treats an empty list as matching nothing', () => {
      expect(toEsdbFilter({ eventTypes: [] })).toBeNull();
      expect(toEsdbFilter({ streamPrefixes: [] })).toBeNull();
      expect(filterMatchesNothing({ eventTypes: [] })).toBe(true);
      expect(filterMatchesNothing(undefined)).toBe(false);
    });

    it('guards the server filter exactly, and never lets system events through', () => {
      const e = { type: 'Signed', streamId: 'Petition_%x-1' };
      expect(matchesAllFilter(e, undefined)).toBe(true);
      expect(matchesAllFilter(e, { eventTypes: ['Signed'] })).toBe(true);
      expect(matchesAllFilter(e, { eventTypes: ['signed'] })).toBe(false);
      expect(matchesAllFilter(e, { streamPrefixes: ['Petition_%'] })).toBe(true);
      expect(matchesAllFilter(e, { streamPrefixes: ['petition_%'] })).toBe(false);
      expect(matchesAllFilter({ type: '$>', streamId: '$ce-petition' }, undefined)).toBe(false);
      expect(matchesAllFilter({ type: 'PersistentConfig1', streamId: '$persistentSubscriptionConfig' }, undefined)).toBe(false);
      expect(isSystemEvent({ type: '$metadata', streamId: 'x' })).toBe(true);
    });
  });

  describe('events', () => {
    it('maps a resolved event, keeping bigint revisions and positions above 2^53 exact', () => {
      const metadata = baseMetadata();
      const recorded = toRecordedEvent(resolved({ revision: ABOVE_2_53, metadata }, { commit: ABOVE_2_53 + 5n, prepare: ABOVE_2_53 + 5n }));

      expect(recorded).toEqual({
        streamId: 'petition-1',
        revision: ABOVE_2_53,
        position: ABOVE_2_53 + 5n,
        id: '0190b1a2-0000-7000-8000-000000000001',
        type: 'PetitionFiled',
        data: { title: 'حديقة' },
        metadata,
      });
      expect(typeof recorded!.revision).toBe('bigint');
      expect(typeof recorded!.position).toBe('bigint');
    });

    it('uses the commit position', () => {
      expect(toRecordedEvent(resolved({}, { commit: 900n, prepare: 850n }))!.position).toBe(900n);
    });

    it('skips entries without a recorded event (links to deleted events) and system events', () => {
      expect(toRecordedEvent({ commitPosition: 5n })).toBeUndefined();
      expect(toRecordedEvent(resolved({ type: '$>' }))).toBeUndefined();
      expect(toRecordedEvent(resolved({ type: '$metadata' }))).toBeUndefined();
    });

    it('parses JSON sent as bytes, and rejects what is not a JSON object', () => {
      const bytes = Buffer.from(JSON.stringify({ a: 1 }), 'utf8');
      expect(toRecordedEvent(resolved({ isJson: false, data: new Uint8Array(bytes) }))!.data).toEqual({ a: 1 });
      expect(() => toRecordedEvent(resolved({ isJson: false, data: new Uint8Array([0xff, 0x00]) }))).toThrow('not JSON');
      expect(() => toRecordedEvent(resolved({ data: [1, 2] }))).toThrow('not a JSON object');
      expect(() => toRecordedEvent(resolved({ metadata: undefined }))).toThrow('metadata');
    });

    it('refuses an event whose $all position the server did not report', () => {
      expect(() => toRecordedEvent(resolved({}, null))).toThrow('position');
      expect(() => toRecordedEvent(resolved({}, { commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n }))).toThrow('position');
      expect(isUnknownPosition({ commit: 2n ** 63n - 1n, prepare: 0n })).toBe(false);
    });

    it('builds JSON event data that keeps our event id', () => {
      const data = toEsdbEventData({ id: 'e1b8c3a4-5d6e-4f70-8a9b-0c1d2e3f4a5b', type: 'Signed', data: { n: 1 }, metadata: baseMetadata() });
      expect(data).toMatchObject({
        id: 'e1b8c3a4-5d6e-4f70-8a9b-0c1d2e3f4a5b',
        type: 'Signed',
        contentType: 'application/json',
        data: { n: 1 },
      });
    });
  });

  describe('positions', () => {
    it('converts with commit == prepare, exactly above 2^53', () => {
      expect(toEsdbPosition(ABOVE_2_53)).toEqual({ commit: ABOVE_2_53, prepare: ABOVE_2_53 });
      expect(fromEsdbPosition(toEsdbPosition(ABOVE_2_53))).toBe(ABOVE_2_53);
    });

    it('starts an exclusive `after` read at START or at {after, after}, and drops what is not after it', () => {
      expect(readPositionAfter(undefined)).toBe(START);
      expect(readPositionAfter(0n)).toBe(START);
      expect(readPositionAfter(-5n)).toBe(START);
      expect(readPositionAfter(ABOVE_2_53)).toEqual({ commit: ABOVE_2_53, prepare: ABOVE_2_53 });

      const events = [{ position: ABOVE_2_53 - 1n }, { position: ABOVE_2_53 }, { position: ABOVE_2_53 + 1n }];
      expect(dropAtOrBelow(events, ABOVE_2_53)).toEqual([{ position: ABOVE_2_53 + 1n }]);
      expect(dropAtOrBelow(events, undefined)).toEqual(events);
      expect(isAfter(ABOVE_2_53, ABOVE_2_53)).toBe(false);
      expect(isAfter(ABOVE_2_53 + 1n, ABOVE_2_53)).toBe(true);
    });

    it('reads a checkpoint conservatively: a page boundary (x, 0) covers x - 1 only', () => {
      expect(checkpointCoverage({ commit: 5000n, prepare: 0n })).toBe(4999n);
      expect(checkpointCoverage({ commit: ABOVE_2_53, prepare: ABOVE_2_53 })).toBe(ABOVE_2_53);
    });
  });

  describe('misc', () => {
    it('removes credentials from a connection string', () => {
      expect(redactConnectionString('esdb://admin:changeit@localhost:2113?tls=false')).toBe('esdb://localhost:2113?tls=false');
      expect(redactConnectionString('esdb+discover://u:p%40ss@node1:2113,node2:2113')).toBe('esdb+discover://node1:2113,node2:2113');
      expect(redactConnectionString('esdb://admin:p/a?s#s@localhost:2113')).toBe('esdb://localhost:2113');
      expect(redactConnectionString('esdb://localhost:2113?tls=false')).toBe('esdb://localhost:2113?tls=false');
    });

    it("recognises the server's invalid-position answers", () => {
      expect(isInvalidPositionError(new Error('3 INVALID_ARGUMENT: Trying to read from an invalid position.'))).toBe(true);
      expect(isInvalidPositionError(new Error('2 UNKNOWN: Unexpected FilteredReadAllResult: InvalidPosition'))).toBe(true);
      expect(isInvalidPositionError(new Error('14 UNAVAILABLE: No connection established'))).toBe(false);
      expect(isInvalidPositionError('InvalidPosition')).toBe(false);
    });

    it('limits and clamps like SqliteEventStore', () => {
      expect(limitOf(undefined, 4096)).toBe(4096);
      expect(limitOf(Infinity, 4096)).toBe(-1);
      expect(limitOf(2.7, 4096)).toBe(2);
      expect(limitOf(-3, 4096)).toBe(0);
      expect(clampRevision(2n ** 64n)).toBe(2n ** 63n - 1n);
      expect(clampRevision(-1n)).toBe(0n);
    });
  });
});

// Type-level check: the mapping accepts what readAll / subscriptions yield.
export const acceptsAllStreamEvents: (e: AllStreamResolvedEvent) => unknown = toRecordedEvent;

/**
 * The event-store port. Shaped after EventStoreDB's client so that its adapter is a thin
 * mapping; the embedded SQLite store implements the same contract (see test/event-store).
 *
 * Revisions count events within a stream from 0. Positions order every event in the store
 * ($all) and only grow. Both are bigint: they may pass 2^53 on a long-lived cluster.
 */

export const EVENT_STORE = Symbol('EVENT_STORE');

/** Who did it, when, and why: stored with every event. */
export interface EventMetadata {
  actor: { id: string; role: string; councilId?: string };
  correlationId: string;
  causationId: string;
  command: string;
  occurredAt: string;
  idempotencyKey?: string;
  /** Per-stream hash chain, so an auditor can detect a rewritten history. */
  chain?: { previousHash: string | null; hash: string };
  [extra: string]: unknown;
}

export interface EventData {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent extends EventData {
  streamId: string;
  revision: bigint;
  position: bigint;
}

/**
 * `any`: no check. `no_stream`: the stream must not exist. `stream_exists`: it must.
 * A bigint: the stream's last revision must be exactly that.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextExpectedRevision: bigint;
  /** Global position of the last event of this append. */
  position: bigint;
}

export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Wrong expected version on ${streamId}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export class StreamNotFoundError extends Error {
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} not found`);
    this.name = 'StreamNotFoundError';
  }
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: Direction;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  maxCount?: number;
}

/** Server-side filter for $all reads and subscriptions: by event type or by stream-name prefix. */
export type AllFilter = { eventTypes: string[] } | { streamPrefixes: string[] };

export interface ReadAllOptions {
  /** Exclusive: events with a position greater than this. Defaults to the very start. */
  after?: bigint;
  maxCount?: number;
  filter?: AllFilter;
}

export interface SubscribeToAllOptions {
  /** Exclusive: deliver events after this position (a checkpoint); from the start when absent. */
  after?: bigint;
  filter?: AllFilter;
  /**
   * Called once when the subscription stops for good: the handler threw, or the server refused it
   * in a way retrying cannot fix (access denied, bad credentials). stop() / caughtUp() reject with it.
   */
  onError?: (error: unknown) => void;
  /** Called when the connection dropped (or the server failed) and the subscription resubscribes after `delayMs`. */
  onReconnect?: (error: unknown, delayMs: number) => void;
  /**
   * An event this service cannot read (data or metadata not a JSON object: written by another
   * tool). Given this callback, the subscription reports the event to it (to record it) and goes
   * on past it; without, the subscription stops with the error. If the callback throws, it stops.
   */
  onUndecodable?: (event: UndecodableEvent) => void | Promise<void>;
}

/** What is known of an event that could not be decoded. */
export interface UndecodableEvent {
  id: string;
  streamId: string;
  revision: bigint;
  position: bigint;
  type: string;
  reason: string;
}

export type EventHandler = (event: RecordedEvent) => Promise<void> | void;

export interface Subscription {
  /** Resolves once no handler call is running and none will start. */
  stop(): Promise<void>;
  /** Resolves when the subscription has delivered everything up to the head seen at the call. */
  caughtUp(): Promise<void>;
}

export interface EventStore {
  appendToStream(streamId: string, events: EventData[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;
  /** Throws StreamNotFoundError when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch-up then live. Handlers run one at a time, in position order. */
  subscribeToAll(handler: EventHandler, options?: SubscribeToAllOptions): Subscription;
  /** Position of the newest event, 0n when the store is empty. */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}

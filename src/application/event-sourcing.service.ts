/**
 * Load → decide → append, for any stream of domain events (application core). Handlers stay
 * thin: they build a command and call `execute`. A concurrent change (wrong expected revision) is decided again on
 * fresh state, a few times, before the caller gets a 409.
 */
import { Inject, Injectable } from '@nestjs/common';
import { ActorRole, actingRole } from '../domain/shared/actor';
import { DomainEvent, storedType, toDomainEvent } from '../domain/event-types';
import { chainHash } from '../domain/shared/event-chain';
import {
  EVENT_STORE,
  EventData,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  RecordedEvent,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../infrastructure/event-store/event-store.port';
import { newId } from './clock';
import { v5 as uuidv5 } from 'uuid';
import type { CommandMetadata } from './command-metadata';

/** Why an event happened (set by the HTTP edge or by the process that reacted), and by which command. */
export interface EventCause extends CommandMetadata {
  /** Roles that may issue this command: the one the actor used is recorded. */
  allowedRoles: readonly ActorRole[];
  command: string;
}

export interface Loaded<S> {
  state: S;
  /** 'no_stream' or the revision of the last event read. */
  revision: ExpectedRevision;
  lastHash: string | null;
  events: RecordedEvent[];
}

export interface Appended {
  eventIds: string[];
  /** Global position of the last appended event (decimal string); null when nothing was appended. */
  position: string | null;
  events: DomainEvent[];
  /** Each appended event's hash-chain link (its Merkle leaf entry). */
  hashes: string[];
}

const MAX_ATTEMPTS = 5;

@Injectable()
export class EventSourcing {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load<S, E extends DomainEvent>(streamId: string, evolve: (s: S, e: E) => S, initial: S): Promise<Loaded<S>> {
    let recorded: RecordedEvent[];
    try {
      recorded = await this.store.readStream(streamId);
    } catch (e) {
      if (e instanceof StreamNotFoundError) return { state: initial, revision: 'no_stream', lastHash: null, events: [] };
      throw e;
    }
    let state = initial;
    for (const r of recorded) {
      const event = toDomainEvent(r.type, r.data);
      if (event) state = evolve(state, event as E);
    }
    const last = recorded[recorded.length - 1];
    return { state, revision: last.revision, lastHash: last.metadata.chain?.hash ?? null, events: recorded };
  }

  /** Appends decided events after `loaded`, with metadata and chain links; expected revision = what was read. */
  async append(streamId: string, loaded: Loaded<unknown>, events: DomainEvent[], meta: EventCause, occurredAt: string): Promise<Appended> {
    if (events.length === 0) return { eventIds: [], position: null, events, hashes: [] };
    let previous = loaded.lastHash;
    let revision = loaded.revision === 'no_stream' ? -1n : (loaded.revision as bigint);
    const data: EventData[] = events.map((event) => {
      revision += 1n;
      const metadata: EventMetadata = {
        actor: {
          id: meta.actor.id,
          role: actingRole(meta.actor, meta.allowedRoles),
          ...(meta.actor.councilId ? { councilId: meta.actor.councilId } : {}),
        },
        correlationId: meta.correlationId,
        causationId: meta.causationId,
        command: meta.command,
        occurredAt,
        ...(meta.idempotencyKey ? { idempotencyKey: meta.idempotencyKey } : {}),
      };
      const stored = {
        id: eventIdFor(meta, streamId, revision),
        type: storedType(event.type),
        data: event.data as unknown as Record<string, unknown>,
        metadata,
      };
      const hash = chainHash(previous, streamId, revision, stored);
      stored.metadata.chain = { previousHash: previous, hash };
      previous = hash;
      return stored;
    });
    const result = await this.store.appendToStream(streamId, data, { expectedRevision: loaded.revision });
    return { eventIds: data.map((d) => d.id), position: result.position.toString(), events, hashes: data.map((d) => d.metadata.chain!.hash) };
  }

  /** Load, decide, append; decided again on fresh state when another writer got there first. */
  async execute<S, E extends DomainEvent>(
    streamId: string,
    evolve: (s: S, e: E) => S,
    initial: S,
    decide: (state: S, loaded: Loaded<S>) => E[] | Promise<E[]>,
    meta: EventCause,
    occurredAt: string,
  ): Promise<Appended & { state: S }> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(streamId, evolve, initial);
      const events = await decide(loaded.state, loaded);
      try {
        const appended = await this.append(streamId, loaded, events, meta, occurredAt);
        return { ...appended, state: events.reduce(evolve, loaded.state) };
      } catch (e) {
        if (!(e instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw e;
      }
    }
  }
}

/** Namespace of the event ids derived from an idempotency key (UUID v5). */
const RETRIED_EVENT_ID_NAMESPACE = 'b3c6f1de-5a0e-4f5e-9a59-4d7c1c2f8e11';

/**
 * The id of the event a command appends at `revision` of `streamId`. Under an idempotency key it
 * is derived (UUID v5) from the actor, command, key, stream and revision: a client that retries
 * after an ambiguous failure (a timeout, a leader change after the commit) sends the same ids at
 * the same expected revision, and the event store recognises the batch instead of storing it
 * twice or answering a conflict. Without a key, a new time-ordered id.
 */
export function eventIdFor(meta: Pick<EventCause, 'actor' | 'command' | 'idempotencyKey'>, streamId: string, revision: bigint): string {
  if (!meta.idempotencyKey) return newId();
  return uuidv5([meta.actor.id, meta.command, meta.idempotencyKey, streamId, revision.toString()].join('\n'), RETRIED_EVENT_ID_NAMESPACE);
}

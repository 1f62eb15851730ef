/**
 * Projections turn events into read-model documents. Written once against the read-store port;
 * the embedded SQLite store and MongoDB both run them.
 *
 * A projection is pure bookkeeping: `keys` names the documents an event touches (prefetched
 * for a whole batch in one read), `apply` changes them in a unit of work. Each document
 * remembers the position of the last event applied to it, so a replayed event changes nothing.
 */
import type { DomainEvent } from '../domain/event-types';
import type { EventMetadata } from '../infrastructure/event-store/event-store.port';
import type { CollectionSpec, ReadDocument, ReadStore } from '../infrastructure/read-store/read-store.port';

/** A stored event as projections see it: the current domain shape plus where and when it happened. */
export type ProjectedEvent = DomainEvent & {
  id: string;
  streamId: string;
  position: bigint;
  metadata: EventMetadata;
};

export interface DocKey {
  collection: string;
  id: string;
}

export interface UnitOfWork {
  /** A prefetched document (or one written earlier in the batch), or null. */
  get<T extends ReadDocument>(collection: string, id: string): T | null;
  /**
   * Changes one document for `event`: skipped when the document already applied this or a
   * later position. `change` returns the new document, or null to delete it; it may change
   * `current` in place and return it (it is this unit of work's own copy). The document returned
   * takes `_id` and `_position` in place.
   */
  change<T extends ReadDocument>(collection: string, id: string, event: { position: bigint }, change: (current: T | null) => T | null): void;
}

export interface Projection {
  /** Stable name: checkpoints, generations and GET /projections use it. */
  name: string;
  /** Bump when apply's output changes: a rebuild is then needed (npm run projections:rebuild). */
  version: number;
  /** Logical collection names; the projector maps them to the live generation's tables. */
  collections: CollectionSpec[];
  keys(event: ProjectedEvent): DocKey[];
  /**
   * Documents found through other documents (e.g. a petition's council, known from the petition's
   * entry): asked after `keys` were prefetched, with `peek` on what is loaded.
   */
  dependentKeys?(event: ProjectedEvent, peek: <T extends ReadDocument>(collection: string, id: string) => T | null): DocKey[];
  apply(event: ProjectedEvent, uow: UnitOfWork): void;
}

/** Physical collection of a generation: `petitions` → `petitions_g3`. */
export const physicalName = (logical: string, generation: number) => `${logical}_g${generation}`;
export const checkpointName = (projection: string, generation: number) => `${projection}@g${generation}`;
export const generationSetting = (projection: string) => `projection:${projection}:generation`;

/** The generation queries read and the live projector writes (1 until a rebuild switches it). */
export async function liveGenerationOf(readStore: ReadStore, projection: string): Promise<number> {
  return Number((await readStore.getSetting(generationSetting(projection))) ?? '1');
}

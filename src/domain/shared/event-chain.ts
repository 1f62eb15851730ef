/**
 * Per-stream hash chain: each event's hash covers its content and the previous event's hash,
 * so rewriting or deleting any stored event breaks every later link. Auditors re-verify it.
 *
 * Domain rule, pure: node:crypto hashing over canonical JSON, on the shape every stored event
 * has (the event-store port's RecordedEvent fits it); no store, no framework.
 */
import { createHash } from 'node:crypto';
import { stableStringify } from './stable-json';

export interface ChainLink {
  previousHash: string | null;
  hash: string;
}

/** What a link covers: the event as stored, its metadata without the link itself. */
export interface ChainedEventContent {
  id: string;
  type: string;
  data: unknown;
  metadata: { chain?: ChainLink; [key: string]: unknown };
}

/** A stored event, where the chain places it. */
export interface ChainedEvent extends ChainedEventContent {
  streamId: string;
  revision: bigint;
}

export function chainHash(previousHash: string | null, streamId: string, revision: bigint, event: ChainedEventContent): string {
  const { chain: _chain, ...metadata } = event.metadata;
  const content = stableStringify({ streamId, revision: revision.toString(), id: event.id, type: event.type, data: event.data, metadata });
  return createHash('sha256')
    .update(`${previousHash ?? ''}\n${content}`)
    .digest('hex');
}

export interface ChainVerification {
  verified: boolean;
  /** The first event whose link does not hold. */
  brokenAt?: { streamId: string; revision: string; reason: string };
}

/**
 * Verifies events of one or more streams, in any order: each event's content against its hash,
 * and each link against the event before it in its stream (when that event is among them; an
 * event at revision 0 must link to nothing).
 */
export function verifyLinks(events: readonly ChainedEvent[]): ChainVerification {
  const byStream = new Map<string, ChainedEvent[]>();
  for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
  for (const stream of byStream.values()) {
    stream.sort((a, b) => (a.revision < b.revision ? -1 : 1));
    for (let i = 0; i < stream.length; i++) {
      const e = stream[i];
      const fail = (reason: string): ChainVerification => ({
        verified: false,
        brokenAt: { streamId: e.streamId, revision: e.revision.toString(), reason },
      });
      const link = e.metadata.chain;
      if (!link) return fail('no chain link');
      const before = i > 0 && stream[i - 1].revision === e.revision - 1n ? stream[i - 1] : null;
      if (e.revision === 0n && link.previousHash !== null) return fail('the first event of a stream links to nothing');
      if (before && link.previousHash !== before.metadata.chain?.hash) return fail('previous hash does not match the event before it');
      if (chainHash(link.previousHash, e.streamId, e.revision, e) !== link.hash) return fail('content does not match its hash');
    }
  }
  return { verified: true };
}

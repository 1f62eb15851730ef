/**
 * The verifiable history (application core): the Merkle log over every event in global position
 * order, its signed checkpoints, and proofs.
 *
 * The log follows the event store: `catchUp()` reads only the events appended since its last leaf
 * and stores each leaf with the O(log n) subtree nodes it completes, so appends never wait for it
 * and no request replays the log. It is derived: dropped, it is rebuilt from the event log, and
 * the roots must then match the signed checkpoints — which is what makes a rewritten store visible.
 */
import { Inject, Injectable } from '@nestjs/common';
import { recordedEventJson } from './recorded-event-json';
import { createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AUDIT_STREAM, AuditCheckpointSigned, keyIdOf, signCheckpoint } from '../domain/audit/checkpoint';
import { completedNodes, consistencyProof, eventLeaf, Hash, inclusionProof, NodeSource, rootAt } from '../domain/audit/merkle';
import { AUDIT_EXPORT_FORMAT, ExportLine } from '../domain/audit/audit-export';
import { toDomainEvent } from '../domain/event-types';
import { conflict, DomainError } from '../domain/shared/domain-error';
import { EVENT_STORE, EventStore, RecordedEvent, StreamNotFoundError } from '../infrastructure/event-store/event-store.port';
import { MERKLE_STORE, MerkleConflictError, MerkleLeaf, MerkleNode, MerkleStore } from '../infrastructure/merkle/merkle-store.port';
import { CLOCK, Clock } from './clock';
import type { CommandDefinition } from './command-definition';
import type { CommandMetadata } from './command-metadata';
import { EventSourcing } from './event-sourcing.service';

const BATCH = 2000;

/** The scheduled checkpoint, by the system (an admin's on-demand one is its own use case, same command name). */
export const ScheduledAuditCheckpoint: CommandDefinition = { commandName: 'SignAuditCheckpoint', roles: ['system'] };

export type Checkpoint = AuditCheckpointSigned['data'] & { position: string; revision: string };

export interface InclusionProof {
  position: string;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  rootHash: string;
  proof: string[];
}

const hex = (h: Hash) => h.toString('hex');

@Injectable()
export class AuditLog {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  /** Right-edge nodes of the tree (level:index → hash), enough to append the next leaf. */
  private frontier = new Map<string, Hash>();
  private size = -1;
  private lastPosition = 0n;
  private running: Promise<number> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MERKLE_STORE) private readonly merkle: MerkleStore,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly events: EventSourcing,
  ) {
    this.privateKey = createPrivateKey(config.audit.signingKey);
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** Adds every event appended since the last leaf; returns the tree size. Concurrent callers share one run. */
  catchUp(): Promise<number> {
    this.running ??= this.grow().finally(() => (this.running = null));
    return this.running;
  }

  private async grow(): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.size < 0) await this.loadFrontier();
        for (;;) {
          const batch = await this.store.readAll({ after: this.lastPosition, maxCount: BATCH });
          if (batch.length) await this.appendLeaves(batch);
          if (batch.length < BATCH) return this.size;
        }
      } catch (e) {
        // Another instance extended the log first: start again from what it stored.
        if (!(e instanceof MerkleConflictError) || attempt >= 3) throw e;
        this.size = -1;
      }
    }
  }

  private async loadFrontier(): Promise<void> {
    const head = await this.merkle.head();
    this.frontier = new Map();
    for (let level = 0; 2 ** level <= head.size; level++) {
      if (Math.floor(head.size / 2 ** level) % 2 === 1) {
        const index = Math.floor(head.size / 2 ** level) - 1;
        const hash = await this.merkle.node(level, index);
        if (!hash) throw new Error(`The Merkle log lacks its node ${level}:${index}; rebuild it`);
        this.frontier.set(`${level}:${index}`, hash);
      }
    }
    this.size = head.size;
    this.lastPosition = head.lastPosition;
  }

  private async appendLeaves(batch: RecordedEvent[]): Promise<void> {
    const start = this.size;
    const work = new Map(this.frontier);
    const leaves: MerkleLeaf[] = [];
    const nodes: MerkleNode[] = [];
    for (const e of batch) {
      const index = start + leaves.length;
      const hash = e.metadata.chain?.hash;
      if (!hash) throw new Error(`Event ${e.streamId}@${e.revision} has no chain link: it cannot be a leaf`);
      leaves.push({ index, position: e.position, streamId: e.streamId, revision: e.revision });
      for (const n of completedNodes(index, eventLeaf(hash), (l, i) => work.get(`${l}:${i}`)!)) {
        work.set(`${n.level}:${n.index}`, n.hash);
        nodes.push(n);
      }
    }
    await this.merkle.append(start, leaves, nodes);
    this.size = start + leaves.length;
    this.lastPosition = batch[batch.length - 1].position;
    this.frontier = new Map();
    for (let level = 0; 2 ** level <= this.size; level++) {
      if (Math.floor(this.size / 2 ** level) % 2 === 1) {
        const key = `${level}:${Math.floor(this.size / 2 ** level) - 1}`;
        this.frontier.set(key, work.get(key)!);
      }
    }
  }

  /** Tree size and global position of the last leaf as stored (other instances may be ahead of this one's memory). */
  head(): Promise<{ size: number; lastPosition: bigint }> {
    return this.merkle.head();
  }

  private readonly node: NodeSource = async (level, index) => {
    const h = await this.merkle.node(level, index);
    if (!h) throw new Error(`The Merkle log lacks its node ${level}:${index}`);
    return h;
  };

  async rootAt(size: number): Promise<string> {
    return hex(await rootAt(size, this.node));
  }

  async leafAtPosition(position: bigint): Promise<MerkleLeaf | undefined> {
    return this.merkle.leafAtPosition(position);
  }

  leavesOfStreams(streamIds: string[], prefixes: string[], size: number): Promise<MerkleLeaf[]> {
    return this.merkle.leavesOfStreams(streamIds, prefixes, size);
  }

  /** Inclusion of the event at `position` in the tree of `treeSize` leaves (default: the latest checkpoint's). */
  async inclusion(position: bigint, treeSize?: number, leafHashOf?: Hash): Promise<InclusionProof> {
    const size = treeSize ?? (await this.latestCheckpoint())?.treeSize;
    if (size === undefined) throw conflict('NO_CHECKPOINT_YET', 'No checkpoint has been signed yet');
    await this.assertSize(size);
    const leaf = await this.merkle.leafAtPosition(position);
    if (!leaf) throw new DomainError('POSITION_NOT_IN_LOG', `No event at position ${position} is in the Merkle log`, 'not_found');
    if (leaf.index >= size) throw conflict('NOT_YET_CHECKPOINTED', `The event at position ${position} is leaf ${leaf.index}, after the tree of ${size} leaves`);
    const proof = await inclusionProof(leaf.index, size, this.node);
    return {
      position: position.toString(),
      leafIndex: leaf.index,
      treeSize: size,
      leafHash: hex(leafHashOf ?? (await this.node(0, leaf.index))),
      rootHash: await this.rootAt(size),
      proof: proof.map(hex),
    };
  }

  async consistency(from: number, to: number): Promise<{ from: number; to: number; fromRoot: string; toRoot: string; proof: string[] }> {
    if (from < 1 || from > to) throw new DomainError('VALIDATION_FAILED', 'from must be from 1 to `to`', 'rule');
    await this.assertSize(to);
    const proof = await consistencyProof(from, to, this.node);
    return { from, to, fromRoot: await this.rootAt(from), toRoot: await this.rootAt(to), proof: proof.map(hex) };
  }

  private async assertSize(size: number): Promise<void> {
    const head = await this.merkle.head();
    if (size < 1 || size > head.size)
      throw conflict('TREE_SIZE_NOT_REACHED', `The Merkle log has ${head.size} leaves; no tree of ${size}`, { treeSize: head.size });
  }

  /** The newest checkpoint, read from the end of the audit stream (one event). */
  async latestCheckpoint(): Promise<Checkpoint | null> {
    return (await this.checkpoints({ limit: 1 }))[0] ?? null;
  }

  /** Checkpoints newest first; `before` a revision of the audit stream to page back. */
  async checkpoints(options: { limit: number; before?: bigint }): Promise<Checkpoint[]> {
    if (options.before !== undefined && options.before <= 0n) return [];
    try {
      const events = await this.store.readStream(AUDIT_STREAM, {
        direction: 'backwards',
        maxCount: options.limit,
        ...(options.before !== undefined ? { fromRevision: options.before - 1n } : {}),
      });
      return events.flatMap((e) => {
        const event = toDomainEvent(e.type, e.data);
        return event?.type === 'AuditCheckpointSigned' ? [{ ...event.data, position: e.position.toString(), revision: e.revision.toString() }] : [];
      });
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
  }

  /**
   * Signs a checkpoint of the tree as it now is, unless the newest one already covers everything
   * but itself. Returns the checkpoint and whether it is new.
   */
  async checkpoint(definition: CommandDefinition, meta: CommandMetadata): Promise<{ checkpoint: Checkpoint | null; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      await this.catchUp();
      const head = await this.merkle.head();
      const latest = await this.latestCheckpoint();
      if (head.size === 0 || (latest && head.size <= latest.treeSize + 1)) return { checkpoint: latest, created: false };
      const first = await this.merkle.leafAt(0);
      const data = signCheckpoint(
        {
          treeSize: head.size,
          rootHash: await this.rootAt(head.size),
          firstPosition: first!.position.toString(),
          lastPosition: head.lastPosition.toString(),
          checkpointedAt: this.clock.now().toISOString(),
          keyId: this.keyId,
        },
        this.privateKey,
      );
      const last = latest ? await this.store.readStream(AUDIT_STREAM, { direction: 'backwards', maxCount: 1 }) : [];
      const loaded = last.length
        ? { state: null, revision: last[0].revision, lastHash: last[0].metadata.chain?.hash ?? null, events: [] }
        : { state: null, revision: 'no_stream' as const, lastHash: null, events: [] };
      try {
        const appended = await this.events.append(
          AUDIT_STREAM,
          loaded,
          [{ type: 'AuditCheckpointSigned', data }],
          { ...meta, command: definition.commandName, allowedRoles: definition.roles },
          data.checkpointedAt,
        );
        const revision = (loaded.revision === 'no_stream' ? 0n : loaded.revision + 1n).toString();
        return { checkpoint: { ...data, position: appended.position!, revision }, created: true };
      } catch (e) {
        if (attempt >= 3 || (e as Error).name !== 'WrongExpectedVersionError') throw e;
      }
    }
  }

  /**
   * A set of streams' audit export, as JSON Lines: header, the newest checkpoint (and the one before
   * it with a consistency proof), every event the Merkle log holds for them with its inclusion proof
   * ("missing" when the store no longer has it), then the events appended after the checkpoint.
   * Returns null when no checkpoint exists yet.
   */
  async exportOf(subject: string, streamIds: string[], prefixes: string[]): Promise<AsyncGenerator<ExportLine> | null> {
    const [latest, earlier] = await this.checkpoints({ limit: 2 });
    if (!latest) return null;
    const leaves = await this.merkle.leavesOfStreams(streamIds, prefixes, latest.treeSize);
    const exportedAt = this.clock.now().toISOString();
    const cache = new Map<string, Hash>();
    const node: NodeSource = async (level, index) => {
      const key = `${level}:${index}`;
      let h = cache.get(key);
      if (!h) {
        h = await this.node(level, index);
        if (level >= 4 && cache.size < 200_000) cache.set(key, h);
      }
      return h;
    };
    const store = this.store;
    const filterPrefixes = [...streamIds, ...prefixes];
    const keyId = this.keyId;
    const publicKey = this.publicKeyPem();
    async function* lines(): AsyncGenerator<ExportLine> {
      yield { kind: 'header', format: AUDIT_EXPORT_FORMAT, petitionId: subject, exportedAt, keyId, publicKey };
      yield { kind: 'checkpoint', ...latest };
      if (earlier) yield { kind: 'consistency', from: earlier, proof: (await consistencyProof(earlier.treeSize, latest.treeSize, node)).map(hex) };
      let events = 0;
      let missing = 0;
      let uncovered = 0;
      // The streams' events, page by page in position order, joined to the leaves (also in position order).
      let after = 0n;
      let page: RecordedEvent[] = [];
      let pageAt = 0;
      const next = async (): Promise<RecordedEvent | undefined> => {
        if (pageAt >= page.length) {
          page = await store.readAll({ after, maxCount: 1000, filter: { streamPrefixes: filterPrefixes } });
          pageAt = 0;
          if (page.length) after = page[page.length - 1].position;
        }
        return page[pageAt++];
      };
      let event = await next();
      for (const leaf of leaves) {
        // An event the log does not hold below its size was put in the store afterwards: shown, and the verifier refuses it.
        for (; event && event.position < leaf.position; event = await next()) {
          yield { kind: 'event', leafIndex: null, proof: null, ...recordedEventJson(event) };
          uncovered += 1;
        }
        if (event && event.position === leaf.position) {
          const proof = (await inclusionProof(leaf.index, latest.treeSize, node)).map(hex);
          yield { kind: 'event', leafIndex: leaf.index, proof, ...recordedEventJson(event) };
          events += 1;
          event = await next();
        } else {
          yield { kind: 'missing', leafIndex: leaf.index, position: leaf.position.toString(), streamId: leaf.streamId, revision: leaf.revision.toString() };
          missing += 1;
        }
      }
      for (; event; event = await next()) {
        yield { kind: 'event', leafIndex: null, proof: null, ...recordedEventJson(event) };
        uncovered += 1;
      }
      yield { kind: 'end', events, missing, uncovered };
    }
    return lines();
  }
}

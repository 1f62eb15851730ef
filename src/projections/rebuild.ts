/**
 * Rebuild without downtime: replay every event from zero into a new generation of each
 * projection's collections, beside the live one; when it has caught up with the head, switch the
 * live generation (queries and the running projector follow within a second) and drop the old.
 * Several projections rebuild in one pass over the history: each event is read and decoded once.
 * Each projection's documents used again stay in memory between batches (RebuildUnitOfWork):
 * written when they leave memory, the rest with the checkpoint at the end; indexes are built
 * after the replay.
 */
import type { EventStore } from '../infrastructure/event-store/event-store.port';
import type { ReadStore } from '../infrastructure/read-store/read-store.port';
import { ensureGeneration, prefetchAndApply, toProjected } from './projector';
import { checkpointName, generationSetting, liveGenerationOf, physicalName, ProjectedEvent, Projection } from './projection';
import { RebuildUnitOfWork } from './rebuild-unit-of-work';

export interface RebuildProgress {
  projection: string;
  position: bigint;
  head: bigint;
  events: number;
  elapsedMs: number;
}

export interface RebuildOptions {
  /**
   * Events per read. The documents used again stay in memory between batches, so larger batches
   * save few writes; smaller ones keep fewer events alive at a time (less memory, less garbage collection).
   */
  batchSize?: number;
  /** Documents each projection keeps in memory between batches (see RebuildUnitOfWork). */
  retainDocuments?: number;
  onProgress?: (p: RebuildProgress) => void;
  /** How long the old generation stays after the switch, for queries already under way. */
  dropDelayMs?: number;
  owner?: string;
}

export interface RebuildResult {
  projection: string;
  from: number;
  to: number;
  events: number;
  elapsedMs: number;
}

const LEASE_TTL_MS = 10 * 60_000;

export async function rebuildProjection(
  events: EventStore,
  readStore: ReadStore,
  projection: Projection,
  options: RebuildOptions = {},
): Promise<RebuildResult> {
  return (await rebuildProjections(events, readStore, [projection], options))[0];
}

export async function rebuildProjections(
  events: EventStore,
  readStore: ReadStore,
  projections: Projection[],
  options: RebuildOptions = {},
): Promise<RebuildResult[]> {
  const batchSize = options.batchSize ?? 2500;
  const owner = options.owner ?? `rebuild:${process.pid}`;
  const label = projections.map((p) => p.name).join(', ');
  const started = Date.now();
  let bulkLoading = false;
  const retain = options.retainDocuments ?? 20_000;
  const targets: { projection: Projection; from: number; to: number; fence: { lease: string; token: number }; uow: RebuildUnitOfWork }[] = [];
  try {
    for (const projection of projections) {
      const leaseName = `rebuild:${projection.name}`;
      const lease = await readStore.acquireLease(leaseName, owner, LEASE_TTL_MS, Date.now());
      if (!lease) throw new Error(`A rebuild of ${projection.name} is already running`);
      const from = await liveGenerationOf(readStore, projection.name);
      const to = from + 1;
      const uow = new RebuildUnitOfWork((logical) => physicalName(logical, to), { retain });
      targets.push({ projection, from, to, fence: { lease: leaseName, token: lease.token }, uow });
    }
    for (const { projection, to } of targets) {
      // A rebuild that died half-way left a partial generation: start it again from zero.
      for (const spec of projection.collections) await readStore.dropCollection(physicalName(spec.name, to));
      await readStore.deleteCheckpoint(checkpointName(projection.name, to));
      // Indexes are built once after the replay: cheaper than maintaining them on every write.
      for (const spec of projection.collections) await readStore.ensureCollection({ ...spec, name: physicalName(spec.name, to), indexes: [] });
    }

    await readStore.bulkLoad?.(true);
    bulkLoading = true;
    let position = 0n;
    let count = 0;
    let head = await events.headPosition();
    const progress = () => options.onProgress?.({ projection: label, position, head, events: count, elapsedMs: Date.now() - started });
    for (;;) {
      const batch = await events.readAll({ after: position, maxCount: batchSize });
      if (batch.length > 0) {
        const last = batch[batch.length - 1].position;
        const projected: ProjectedEvent[] = [];
        for (const recorded of batch) {
          const event = toProjected(recorded);
          if (event) projected.push(event);
        }
        for (const t of targets) await applyRebuildBatch(readStore, t.projection, t.uow, projected, t.fence);
        position = last;
        count += batch.length;
        for (const t of targets) await readStore.acquireLease(t.fence.lease, owner, LEASE_TTL_MS, Date.now());
      }
      if (batch.length < batchSize) {
        head = await events.headPosition();
        if (position >= head) break;
      }
      if (position > head) head = position;
      progress();
    }
    progress();
    // What is still in memory, and the checkpoint with the last of it.
    for (const t of targets) {
      for (const writes of t.uow.finish({ name: checkpointName(t.projection.name, t.to), position }, t.fence)) await readStore.commit(writes);
    }
    for (const t of targets) await ensureGeneration(readStore, t.projection, t.to);
    bulkLoading = false;
    await readStore.bulkLoad?.(false);
    for (const t of targets) await readStore.setSetting(generationSetting(t.projection.name), String(t.to));
    // Measured up to the switch: the pause before dropping the old generation is not rebuild work.
    const elapsedMs = Date.now() - started;
    if (options.dropDelayMs !== 0) await new Promise((r) => setTimeout(r, options.dropDelayMs ?? 2000));
    for (const { projection, from } of targets) {
      for (const spec of projection.collections) await readStore.dropCollection(physicalName(spec.name, from));
      await readStore.deleteCheckpoint(checkpointName(projection.name, from));
    }
    return targets.map((t) => ({ projection: t.projection.name, from: t.from, to: t.to, events: count, elapsedMs }));
  } finally {
    if (bulkLoading) await readStore.bulkLoad?.(false).catch(() => undefined);
    for (const t of targets) await readStore.releaseLease(t.fence.lease, owner);
  }
}

/** One batch of a rebuild for one projection: documents from memory (or the store), then the writes of those leaving memory. */
async function applyRebuildBatch(
  readStore: ReadStore,
  projection: Projection,
  uow: RebuildUnitOfWork,
  events: ProjectedEvent[],
  fence: { lease: string; token: number },
): Promise<void> {
  await prefetchAndApply(readStore, projection, uow, events);
  const writes = uow.evictions(fence);
  if (writes) await readStore.commit(writes);
}

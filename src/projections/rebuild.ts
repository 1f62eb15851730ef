/**
 * Rebuild without downtime: replay every event from zero into a new generation of a
 * projection's collections, beside the live one; when it has caught up with the head, switch the
 * live generation (queries and the running projector follow within a second) and drop the old.
 */
import type { EventStore } from '../infrastructure/event-store/event-store.port';
import type { ReadStore } from '../infrastructure/read-store/read-store.port';
import { applyBatch, ensureGeneration, toProjected } from './projector';
import { checkpointName, generationSetting, liveGenerationOf, physicalName, Projection } from './projection';

export interface RebuildProgress {
  projection: string;
  position: bigint;
  head: bigint;
  events: number;
  elapsedMs: number;
}

export interface RebuildOptions {
  batchSize?: number;
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

export async function rebuildProjection(events: EventStore, readStore: ReadStore, projection: Projection, options: RebuildOptions = {}): Promise<RebuildResult> {
  const batchSize = options.batchSize ?? 5000;
  const owner = options.owner ?? `rebuild:${process.pid}`;
  const leaseName = `rebuild:${projection.name}`;
  const lease = await readStore.acquireLease(leaseName, owner, 10 * 60_000, Date.now());
  if (!lease) throw new Error(`A rebuild of ${projection.name} is already running`);
  const fence = { lease: leaseName, token: lease.token };
  const started = Date.now();
  try {
    const from = await liveGenerationOf(readStore, projection.name);
    const to = from + 1;
    // A rebuild that died half-way left a partial generation: start it again from zero.
    for (const spec of projection.collections) await readStore.dropCollection(physicalName(spec.name, to));
    await readStore.deleteCheckpoint(checkpointName(projection.name, to));
    await ensureGeneration(readStore, projection, to);

    let position = 0n;
    let count = 0;
    let head = await events.headPosition();
    for (;;) {
      const batch = await events.readAll({ after: position, maxCount: batchSize });
      if (batch.length > 0) {
        const last = batch[batch.length - 1].position;
        const projected = batch.map(toProjected).filter((e) => e !== null);
        await applyBatch(readStore, projection, to, projected, last, fence);
        position = last;
        count += batch.length;
        await readStore.acquireLease(leaseName, owner, 10 * 60_000, Date.now());
      }
      if (batch.length < batchSize) {
        head = await events.headPosition();
        if (position >= head) break;
      }
      if (position > head) head = position;
      options.onProgress?.({ projection: projection.name, position, head, events: count, elapsedMs: Date.now() - started });
    }
    options.onProgress?.({ projection: projection.name, position, head, events: count, elapsedMs: Date.now() - started });
    await readStore.setSetting(generationSetting(projection.name), String(to));
    if (options.dropDelayMs !== 0) await new Promise((r) => setTimeout(r, options.dropDelayMs ?? 2000));
    for (const spec of projection.collections) await readStore.dropCollection(physicalName(spec.name, from));
    await readStore.deleteCheckpoint(checkpointName(projection.name, from));
    return { projection: projection.name, from, to, events: count, elapsedMs: Date.now() - started };
  } finally {
    await readStore.releaseLease(leaseName, owner);
  }
}

/**
 * Where queries find the live read models, and read-your-writes: a query given `minPosition`
 * waits (bounded) until the projection has applied that position, and says when it has not.
 */
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { READ_STORE, ReadStore } from '../../infrastructure/read-store/read-store.port';
import { checkpointName, liveGenerationOf, physicalName } from '../../projections/projection';

export interface Freshness {
  /** Position the read model has applied (decimal string). */
  position: string;
  /** False when `minPosition` was not reached within the wait bound. */
  caughtUp: boolean;
}

const GENERATION_TTL_MS = 1000;

@Injectable()
export class ReadModels {
  private readonly generations = new Map<string, { generation: number; at: number }>();
  private readonly waitMs: number;

  constructor(
    @Inject(READ_STORE) readonly store: ReadStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.waitMs = config.readWaitMaxMs;
  }

  /** The physical collection of a projection's live generation (cached briefly: rebuilds switch it). */
  async collection(projection: string, logical: string): Promise<string> {
    return physicalName(logical, await this.generation(projection));
  }

  async freshness(projection: string, minPosition?: bigint): Promise<Freshness> {
    const deadline = Date.now() + this.waitMs;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      const position = (await this.store.getCheckpoint(checkpointName(projection, await this.generation(projection)))) ?? 0n;
      if (minPosition === undefined || position >= minPosition) return { position: position.toString(), caughtUp: true };
      if (Date.now() >= deadline) return { position: position.toString(), caughtUp: false };
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private async generation(projection: string): Promise<number> {
    const cached = this.generations.get(projection);
    if (cached && Date.now() - cached.at < GENERATION_TTL_MS) return cached.generation;
    const generation = await liveGenerationOf(this.store, projection);
    this.generations.set(projection, { generation, at: Date.now() });
    return generation;
  }
}

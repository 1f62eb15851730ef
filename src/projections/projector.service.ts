/**
 * Runs the projector inside the service (the embedded `npm start`), from the app's lifecycle.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { EVENT_STORE, EventStore } from '../infrastructure/event-store/event-store.port';
import { READ_STORE, ReadStore } from '../infrastructure/read-store/read-store.port';
import { PROJECTIONS } from '.';
import type { Projection } from './projection';
import { Projector } from './projector';

@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projector');
  readonly projector: Projector;
  private starting?: Promise<void>;

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(PROJECTIONS) projections: Projection[],
  ) {
    this.projector = new Projector(eventStore, readStore, projections, {
      owner: `${hostname()}:${process.pid}`,
      onError: (e) => this.logger.error(`Projector stopped: ${(e as Error).stack ?? e}`),
    });
  }

  onApplicationBootstrap(): void {
    this.starting = this.projector.start().catch((e) => this.logger.error(`Projector failed to start: ${(e as Error).message}`));
  }

  /** Resolves once every projection has applied every event stored before the call. */
  async caughtUp(): Promise<void> {
    await this.starting;
    await this.projector.caughtUp();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.starting;
    await this.projector.stop();
  }
}

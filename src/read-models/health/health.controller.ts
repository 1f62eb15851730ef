import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthView, LiveView, ReadyView } from '../shared/operation-responses';
import type { FastifyReply } from 'fastify';
import { Public } from '../../infrastructure/auth/auth.guard';
import { EVENT_STORE, EventStore } from '../../infrastructure/event-store/event-store.port';
import { READ_STORE, ReadStore } from '../../infrastructure/read-store/read-store.port';
import { ProjectorService } from '../../projections/projector.service';
import { PROCESS_ROLE, STORES, type ProcessRole } from '../../app.tokens';
import type { Stores } from '../../infrastructure/stores';

const TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(STORES) private readonly stores: Stores,
    @Inject(PROCESS_ROLE) private readonly role: ProcessRole,
    @Optional() private readonly projector?: ProjectorService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and the event store head position' })
  @ApiOkResponse({ type: HealthView })
  async health() {
    return { status: 'ok', role: this.role, eventStore: { headPosition: (await this.events.headPosition()).toString() } };
  }

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers (restart it if not)' })
  @ApiOkResponse({ type: LiveView })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({ summary: 'Readiness: each store answers; the projector (where it runs) reports its lag. 503 when a store does not answer.' })
  @ApiOkResponse({ type: ReadyView })
  @ApiServiceUnavailableResponse({ type: ReadyView, description: 'A store does not answer, or the projector is restarting' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const check = async (describe: string, probe: () => Promise<unknown>) => {
      try {
        return { status: 'up', store: describe, ...((await withTimeout(probe())) as object) };
      } catch (e) {
        return { status: 'down', store: describe, error: (e as Error).message };
      }
    };
    const eventStore = await check(this.stores.describe.eventStore, async () => ({ headPosition: (await this.events.headPosition()).toString() }));
    const readStore = await check(this.stores.describe.readStore, async () => {
      await this.readStore.getSetting('projection:petitions:generation');
      return {};
    });
    const projector = this.projector
      ? {
          status: this.projector.failure ? 'restarting' : 'running',
          ...(this.projector.failure ? { error: this.projector.failure } : {}),
          projections: await this.projector.status().catch(() => []),
        }
      : undefined;
    const up = eventStore.status === 'up' && readStore.status === 'up' && projector?.status !== 'restarting';
    void reply.status(up ? 200 : 503);
    return { status: up ? 'ready' : 'unavailable', role: this.role, eventStore, readStore, ...(projector ? { projector } : {}) };
  }
}

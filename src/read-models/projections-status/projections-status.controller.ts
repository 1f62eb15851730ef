import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectionsView } from '../shared/operation-responses';
import { Public } from '../../infrastructure/auth/auth.guard';
import { EVENT_STORE, EventStore } from '../../infrastructure/event-store/event-store.port';
import { checkpointName, liveGenerationOf, Projection } from '../../projections/projection';
import { PROJECTIONS } from '../../projections';
import { ReadModels } from '../shared/read-models.service';

/** Lag is visible: each projection's position against the event store's head. */
@ApiTags('operations')
@Controller('projections')
export class ProjectionsStatusController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Each projection: live generation, position applied, head position, lag (in positions; events on the embedded store)' })
  @ApiOkResponse({ type: ProjectionsView })
  async list() {
    const head = await this.events.headPosition();
    const store = this.readModels.store;
    const items = [];
    for (const p of this.projections) {
      const generation = await liveGenerationOf(store, p.name);
      const position = (await store.getCheckpoint(checkpointName(p.name, generation))) ?? 0n;
      items.push({
        name: p.name,
        version: p.version,
        generation,
        position: position.toString(),
        headPosition: head.toString(),
        lag: (head > position ? head - position : 0n).toString(),
      });
    }
    return { headPosition: head.toString(), projections: items };
  }
}

import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../infrastructure/auth/auth.guard';
import { EVENT_STORE, EventStore } from '../../infrastructure/event-store/event-store.port';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and the event store head position' })
  async health() {
    return { status: 'ok', eventStore: { kind: 'embedded', headPosition: (await this.store.headPosition()).toString() } };
  }
}

import { Controller, DefaultValuePipe, Get, Inject, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError, forbidden } from '../../domain/shared/domain-error';
import type { Actor } from '../../domain/shared/actor';
import { petitionStreamId } from '../../domain/petition/petition.events';
import { signatureStreamPrefix } from '../../domain/signature/signature.events';
import { CurrentActor, Roles } from '../../infrastructure/auth/auth.guard';
import { EVENT_STORE, EventStore, RecordedEvent, StreamNotFoundError } from '../../infrastructure/event-store/event-store.port';
import { RequestValidationError } from '../../infrastructure/http/problem-details';
import { ProblemDocument } from '../../infrastructure/http/openapi';
import { verifyLinks } from '../../domain/shared/event-chain';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { vaultStreamId } from '../../domain/vault/vault.events';

const MAX_POSITION = 9223372036854775807n;
const notFound = () => new DomainError('PETITION_NOT_FOUND', 'No such petition', 'not_found');

@ApiTags('audit')
@Controller('petitions')
/** The audit trail, read straight from the event store: the source of truth, not a projection. */
export class PetitionEventsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get(':id/events')
  @ApiBearerAuth()
  @Roles('auditor', 'admin', 'clerk', 'official')
  @ApiOperation({
    summary: "The petition's full event history with metadata (auditors, clerks, admins)",
    description:
      'Lifecycle and signature events in global order, each with its actor, role, timestamp, correlation and causation ids and its hash-chain link. `integrity` re-verifies the chain of every stream on the page. Signers appear only as keyed hashes. Page with `after` (the `next` of the previous page).',
  })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'PETITION_NOT_FOUND' })
  @ApiQuery({ name: 'after', required: false, description: 'Global position to continue after (decimal string)' })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 500' })
  async events(
    @Param('id', PetitionIdPipe) id: string,
    @CurrentActor() actor: Actor,
    @Query('after') after?: string,
    @Query(
      'limit',
      new DefaultValuePipe('500'),
      new ParseIntPipe({ exceptionFactory: () => new RequestValidationError([{ field: 'limit', messages: ['limit must be a whole number'] }]) }),
    )
    limit = 500,
  ) {
    // Positions are SQLite integers: a larger number is not a position (and the store cannot bind it).
    if (after !== undefined && (!/^\d{1,19}$/.test(after) || BigInt(after) > MAX_POSITION)) {
      throw new RequestValidationError([{ field: 'after', messages: [`after must be a position (decimal digits, at most ${MAX_POSITION})`] }]);
    }
    if (limit < 1 || limit > 1000) throw new RequestValidationError([{ field: 'limit', messages: ['limit must be from 1 to 1000'] }]);
    const lifecycle = await this.readLifecycle(id);
    const councilId = (lifecycle[0].data as { councilId: string }).councilId;
    const isStaff = actor.roles.some((r) => r === 'clerk' || r === 'official');
    if (isStaff && !actor.roles.some((r) => r === 'auditor' || r === 'admin') && actor.councilId !== councilId) {
      throw forbidden('NOT_COUNCIL_STAFF', `Clerks and officials read the history of their own council's petitions only`);
    }
    const page = await this.store.readAll({
      after: after === undefined ? 0n : BigInt(after),
      maxCount: limit,
      filter: { streamPrefixes: [petitionStreamId(id), signatureStreamPrefix(id), vaultStreamId(id)] },
    });
    return {
      petitionId: id,
      lifecycleIntegrity: verifyLinks(lifecycle),
      pageIntegrity: verifyLinks(page),
      events: page.map(present),
      next: page.length === limit ? page[page.length - 1].position.toString() : null,
    };
  }

  private async readLifecycle(id: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(petitionStreamId(id));
    } catch (e) {
      if (e instanceof StreamNotFoundError) throw notFound();
      throw e;
    }
  }
}

const present = (e: RecordedEvent) => ({
  position: e.position.toString(),
  streamId: e.streamId,
  revision: e.revision.toString(),
  id: e.id,
  type: e.type,
  data: e.data,
  metadata: e.metadata,
});

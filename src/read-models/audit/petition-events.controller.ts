import { Controller, DefaultValuePipe, Get, Inject, Param, ParseIntPipe, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DomainError, forbidden } from '../../domain/shared/domain-error';
import type { Actor } from '../../domain/shared/actor';
import { petitionStreamId } from '../../domain/petition/petition.events';
import { signatureStreamId } from '../../domain/signature/signature.events';
import { invalidationStreamId } from '../../domain/signature/invalidation.events';
import { CurrentActor, Roles } from '../../infrastructure/auth/auth.guard';
import { recordedEventJson } from '../../application/recorded-event-json';
import { EVENT_STORE, EventStore, RecordedEvent, StreamNotFoundError } from '../../infrastructure/event-store/event-store.port';
import { RequestValidationError } from '../../infrastructure/http/problem-details';
import { ProblemDocument } from '../../infrastructure/http/openapi';
import { verifyLinks } from '../../domain/shared/event-chain';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { SIGNATURES, SignatureDoc } from '../../projections/signatures.projection';
import { ReadModels } from '../shared/read-models.service';
import { PetitionEventsPage } from '../shared/operation-responses';
import { setFreshness } from '../shared/query-params';
import { FIRST_PAGE, HistoryCursor, HistoryCursorCodec } from './history-cursor';
import { vaultStreamId } from '../../domain/vault/vault.events';

const notFound = () => new DomainError('PETITION_NOT_FOUND', 'No such petition', 'not_found');
/** Signatures listed per read-store query while a page is filled. */
const LISTING_PAGE = 200;

@ApiTags('audit')
@Controller('petitions')
/**
 * The audit trail, read from the event store (the source of truth): the petition's lifecycle
 * stream and its signature streams, each read by its own name. Which signature streams exist is
 * told by the signatures read model (waiting, within READ_WAIT_MAX_MS, for it to cover the event
 * store's head), so no page ever scans the global log.
 */
export class PetitionEventsController {
  private readonly cursors: HistoryCursorCodec;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cursors = new HistoryCursorCodec(config.signerKey);
  }

  @Get(':id/events')
  @ApiBearerAuth()
  @Roles('auditor', 'admin', 'clerk', 'official')
  @ApiOperation({
    summary: "The petition's full event history with metadata (auditors, clerks, admins)",
    description:
      'The lifecycle stream and the fraud-check stream (invalidations, reinstatements), then each signature stream in signing order, read from the event store; each page in global order. Every event carries its actor, role, timestamp, correlation and causation ids and its hash-chain link. `integrity` re-verifies the chain of every stream on the page. Signers appear only as keyed hashes. Page with `after` (the opaque, signed `next` of the previous page). X-Read-Model-Caught-Up: false when the signatures read model had not caught up with the event store within the wait bound (signatures newer than X-Read-Model-Position may be missing).',
  })
  @ApiOkResponse({ type: PetitionEventsPage, description: 'One page of the history' })
  @ApiUnauthorizedResponse({ type: ProblemDocument, description: 'UNAUTHENTICATED: missing, invalid or expired bearer token' })
  @ApiBadRequestResponse({ type: ProblemDocument, description: 'VALIDATION_FAILED (`after` not a cursor of this petition, `limit` out of range)' })
  @ApiForbiddenResponse({ type: ProblemDocument, description: 'ROLE_NOT_ALLOWED, NOT_COUNCIL_STAFF' })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'PETITION_NOT_FOUND' })
  @ApiQuery({ name: 'after', required: false, description: 'The `next` of the previous page (opaque)' })
  @ApiQuery({ name: 'limit', required: false, description: '1–1000, default 500' })
  async events(
    @Param('id', PetitionIdPipe) id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('after') after?: string,
    @Query(
      'limit',
      new DefaultValuePipe('500'),
      new ParseIntPipe({ exceptionFactory: () => new RequestValidationError([{ field: 'limit', messages: ['limit must be a whole number'] }]) }),
    )
    limit = 500,
  ) {
    const cursor = after === undefined ? FIRST_PAGE : this.cursors.decode(id, after);
    if (!cursor) throw new RequestValidationError([{ field: 'after', messages: ['after must be the `next` of a previous page of this petition'] }]);
    if (limit < 1 || limit > 1000) throw new RequestValidationError([{ field: 'limit', messages: ['limit must be from 1 to 1000'] }]);
    const lifecycle = await this.readLifecycle(id);
    const councilId = (lifecycle[0].data as { councilId: string }).councilId;
    const isStaff = actor.roles.some((r) => r === 'clerk' || r === 'official');
    if (isStaff && !actor.roles.some((r) => r === 'auditor' || r === 'admin') && actor.councilId !== councilId) {
      throw forbidden('NOT_COUNCIL_STAFF', `Clerks and officials read the history of their own council's petitions only`);
    }
    // Signatures appended before this request must be listed: wait (bounded) for the read model.
    setFreshness(reply, await this.readModels.freshness('signatures', await this.store.headPosition()));
    const invalidations = await this.readStreamIfAny(invalidationStreamId(id));
    const signatoryData = await this.readStreamIfAny(vaultStreamId(id));
    const { events, next } = await this.page(id, lifecycle, [...invalidations, ...signatoryData], cursor, limit);
    events.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    return {
      petitionId: id,
      lifecycleIntegrity: verifyLinks(lifecycle),
      invalidationsIntegrity: verifyLinks(invalidations),
      signatoryDataIntegrity: verifyLinks(signatoryData),
      pageIntegrity: verifyLinks(events),
      events: events.map(recordedEventJson),
      next: next ? this.cursors.encode(id, next) : null,
    };
  }

  /**
   * Up to `limit` events from `cursor` on: the rest of the lifecycle, then signature streams in
   * signing order. The short side streams (fraud checks; signatory-list downloads and erasures) come whole with the page that
   * ends the lifecycle, which may so run over `limit` by that many events.
   */
  private async page(
    id: string,
    lifecycle: RecordedEvent[],
    sideStreams: RecordedEvent[],
    cursor: HistoryCursor,
    limit: number,
  ): Promise<{ events: RecordedEvent[]; next: HistoryCursor | null }> {
    const events: RecordedEvent[] = [];
    if (cursor.lifecycleFrom !== null) {
      const rest = lifecycle.filter((e) => e.revision >= cursor.lifecycleFrom!);
      if (rest.length > limit) {
        events.push(...rest.slice(0, limit));
        return { events, next: { ...FIRST_PAGE, lifecycleFrom: rest[limit].revision } };
      }
      events.push(...rest, ...sideStreams);
    }
    const collection = await this.readModels.collection('signatures', SIGNATURES);
    let listCursor = cursor.listCursor;
    let skip = cursor.skip;
    let revision = cursor.revision;
    for (;;) {
      const listing = await this.readModels.store.find<SignatureDoc>(
        collection,
        { petitionId: id },
        { sort: { field: 'signedAt', direction: 1 }, limit: LISTING_PAGE, ...(listCursor ? { cursor: listCursor } : {}) },
      );
      for (let i = skip; i < listing.items.length; i++) {
        const signature = listing.items[i];
        // A signer who withdrew and signed again has one stream and two signatures: each
        // signature takes the events that carry its id.
        const own = (await this.readStreamIfAny(signatureStreamId(id, signature.signerHash))).filter(
          (e) => e.revision >= revision && (e.data as { signatureId?: string }).signatureId === signature._id,
        );
        for (const event of own) {
          if (events.length === limit) return { events, next: { lifecycleFrom: null, listCursor, skip: i, revision: event.revision } };
          events.push(event);
        }
        revision = 0n;
      }
      if (!listing.nextCursor) return { events, next: null };
      listCursor = listing.nextCursor;
      skip = 0;
    }
  }

  private async readStreamIfAny(streamId: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(streamId);
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
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

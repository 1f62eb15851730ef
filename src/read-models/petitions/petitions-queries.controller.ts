import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { HistoryPage, OverduePage, PetitionPage, PetitionView, SignatureDays } from '../shared/responses';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PetitionTimeTravel } from '../../application/petition-time-travel.service';
import { RequestValidationError } from '../../infrastructure/http/problem-details';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/shared/domain-error';
import { Public } from '../../infrastructure/auth/auth.guard';
import { ApiQueryErrors, ProblemDocument } from '../../infrastructure/http/openapi';
import type { Filter, Page, SortSpec } from '../../infrastructure/read-store/read-store.port';
import { CLOCK, Clock } from '../../application/clock';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { LANGS, Lang } from '../../projections/history-texts';
import type { HistoryEntryDoc } from '../../projections/petition-history.projection';
import { PETITION_HISTORY } from '../../projections/petition-history.projection';
import { PETITIONS, PetitionDoc } from '../../projections/petitions.projection';
import { SIGNATURE_DAYS, SIGNATURES, SignatureDayDoc, SignatureDoc } from '../../projections/signatures.projection';
import { checkCursor, minPositionOf, PageQuery, present, setFreshness } from '../shared/query-params';
import { ReadModels } from '../shared/read-models.service';
import { SignaturePage } from '../shared/operation-responses';
import { PETITION_DIALOGUE, PetitionDialogueDoc } from '../../projections/dialogue.projection';
import { IsCleanText } from '../../infrastructure/http/clean-text';

const STATUSES = ['collecting', 'submitted', 'admissible', 'inadmissible', 'answered', 'withdrawn'];
const LEVELS = ['commune', 'province', 'region'];
const SORTS: Record<string, SortSpec> = {
  signatures: { field: 'signatureCount', direction: -1 },
  recent: { field: 'filedAt', direction: -1 },
  deadline: { field: 'responseDueAt', direction: 1 },
};

/** The petition page, or — with asOf or atPosition — the petition as it stood then. */
export class PetitionQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Time travel: the petition as it stood at this moment (ISO 8601), folded from the event store',
    example: '2027-03-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'asOf must be an ISO 8601 date-time' })
  asOf?: string;

  @ApiPropertyOptional({ description: 'Time travel: the petition as it stood once the event at this global position was recorded' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,18}$/, { message: 'atPosition must be a global position (decimal digits)' })
  atPosition?: string;
}

/** Where: the council or the level. Shared by the list and the overdue board. */
export class OverdueQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Council id', example: 'commune-tan-tan' })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MaxLength(100)
  council?: string;

  @ApiPropertyOptional({ enum: LEVELS })
  @IsOptional()
  @IsIn(LEVELS)
  level?: string;
}

export class ListPetitionsQuery extends OverdueQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Words searched in title and subject (all must appear; accents and case ignored)' })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    enum: Object.keys(SORTS),
    default: 'recent',
    description: 'signatures: most signed first; recent: newest first; deadline: earliest answer due first',
  })
  @IsOptional()
  @IsIn(Object.keys(SORTS))
  sort?: string;
}

export class HistoryQuery extends PageQuery {
  @ApiPropertyOptional({ enum: LANGS, default: 'ar' })
  @IsOptional()
  @IsIn(LANGS)
  lang?: Lang;
}

const summary = (d: PetitionDoc) => ({
  id: d._id,
  title: d.title,
  councilId: d.councilId,
  councilLevel: d.councilLevel,
  councilName: d.councilName,
  petitionerType: d.petitionerType,
  status: d.status,
  subStatus: d.subStatus,
  closed: d.closed,
  signatureCount: d.signatureCount,
  threshold: d.threshold,
  progress: d.progress,
  filedAt: d.filedAt,
  submittedAt: d.submittedAt,
  responseDueAt: d.responseDueAt,
  overdue: d.overdue,
  overdueReason: d.overdueReason ?? (d.overdue ? 'response_deadline' : null),
  targetSession: d.targetSession ?? null,
  sessionMissed: d.sessionMissed ?? false,
});

const SIGNATURE_STATE = { signed: 'counted', withdrawn: 'withdrawn', invalidated: 'invalidated' } as const;

/** A signature as published: pseudonymous, with its state; the paper sheet reference stays with the council. */
const publicSignature = (d: SignatureDoc) => ({
  id: d._id,
  petitionId: d.petitionId,
  signerHash: d.signerHash,
  channel: d.channel,
  provinceId: d.provinceId,
  signedAt: d.signedAt,
  status: d.status,
  /** counted, withdrawn or invalidated. */
  state: SIGNATURE_STATE[d.status],
  withdrawnAt: d.withdrawnAt,
  invalidationId: d.invalidationId ?? null,
  invalidationReason: d.invalidationReason ?? null,
  invalidatedAt: d.invalidatedAt ?? null,
});

const notFound = (caughtUp: boolean) =>
  new DomainError(
    'PETITION_NOT_FOUND',
    caughtUp ? 'No such petition' : 'No such petition yet: the read model has not reached the requested position',
    'not_found',
  );

/** Portal queries, served from the read models the projector maintains. */
@ApiTags('petitions')
@Controller()
export class PetitionsQueriesController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly timeTravel: PetitionTimeTravel,
  ) {}

  @Get('petitions')
  @Public()
  @ApiOperation({
    summary: 'List and search petitions',
    description:
      'Filter by council, level, status and words; sort by signatures, recency or deadline; cursor pagination. Headers X-Read-Model-Position and X-Read-Model-Caught-Up tell how fresh the page is.',
  })
  @ApiOkResponse({ type: PetitionPage })
  @ApiQueryErrors()
  async list(@Query() query: ListPetitionsQuery, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const cursor = checkCursor(query.cursor);
    const freshness = await this.readModels.freshness('petitions', minPositionOf(request, query.minPosition));
    setFreshness(reply, freshness);
    const filter: Filter = {
      ...(query.council ? { councilId: query.council } : {}),
      ...(query.level ? { councilLevel: query.level } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.q ? { $text: query.q } : {}),
    };
    const collection = await this.readModels.collection('petitions', PETITIONS);
    const sort = query.sort ?? 'recent';
    const limit = query.limit ?? 20;
    const page =
      sort === 'deadline'
        ? await this.byDeadline(collection, filter, limit, query.cursor, cursor?.value === null)
        : await this.readModels.store.find<PetitionDoc>(collection, filter, { sort: SORTS[sort], limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
    return { items: page.items.map(summary), nextCursor: page.nextCursor, freshness };
  }

  /**
   * Earliest answer due first, then the petitions without a due date (not submitted yet): the
   * store sorts null lowest, which would put every collecting petition before the first deadline.
   * Two keyset segments, dated then undated; a cursor with a null sort value is in the second.
   */
  private async byDeadline(collection: string, filter: Filter, limit: number, cursor: string | undefined, inUndated: boolean): Promise<Page<PetitionDoc>> {
    const store = this.readModels.store;
    const sort = SORTS.deadline;
    const undated: Filter = { ...filter, responseDueAt: null };
    const items: PetitionDoc[] = [];
    if (!inUndated) {
      const dated = await store.find<PetitionDoc>(collection, { ...filter, responseDueAt: { $ne: null } }, { sort, limit, ...(cursor ? { cursor } : {}) });
      if (dated.nextCursor) return dated;
      items.push(...dated.items);
      if (items.length === limit) {
        // The dated petitions end with this page: the next one starts the undated, if there are any.
        const more = (await store.count(collection, undated)) > 0;
        return { items, nextCursor: more ? Buffer.from(JSON.stringify([null, '']), 'utf8').toString('base64url') : null };
      }
    }
    const rest = await store.find<PetitionDoc>(collection, undated, { sort, limit: limit - items.length, ...(inUndated && cursor ? { cursor } : {}) });
    return { items: [...items, ...rest.items], nextCursor: rest.nextCursor };
  }

  @Get('petitions/:id')
  @Public()
  @ApiOperation({
    summary: 'A petition: text, status and sub-status, signatures and progress (per province for regions), dates, deadline, decision and reasons, response',
    description:
      'Public; no signer data. Accepts minPosition / X-Min-Position for read-your-writes. With `asOf` (a moment) or `atPosition` (a global position): the petition as it stood then — status, dates, counts (per province), decision — folded from the event store.',
  })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'PETITION_NOT_FOUND' })
  @ApiOkResponse({ type: PetitionView })
  async get(
    @Param('id', PetitionIdPipe) id: string,
    @Query() query: PetitionQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    if (query.asOf !== undefined || query.atPosition !== undefined) return this.asItWas(id, query);
    const minPosition = minPositionOf(request, query.minPosition);
    const freshness = await this.readModels.freshness('petitions', minPosition);
    const dialogueFreshness = await this.readModels.freshness('dialogue', minPosition);
    setFreshness(reply, { position: freshness.position, caughtUp: freshness.caughtUp && dialogueFreshness.caughtUp });
    const doc = await this.readModels.store.get<PetitionDoc>(await this.readModels.collection('petitions', PETITIONS), id);
    if (!doc) throw notFound(freshness.caughtUp);
    // The dialogue's side of the petition: the thread it was escalated from, the officials' positions.
    const dialogue = await this.readModels.store.get<PetitionDialogueDoc>(await this.readModels.collection('dialogue', PETITION_DIALOGUE), id);
    const officialPositions = (dialogue?.positions ?? []).map(({ history, ...p }) => ({ ...p, changes: history.length - 1 }));
    return { ...present(doc), fromThreadId: dialogue?.fromThreadId ?? null, officialPositions };
  }

  private async asItWas(id: string, query: PetitionQuery) {
    if (query.asOf !== undefined && query.atPosition !== undefined) {
      throw new RequestValidationError([{ field: 'asOf', messages: ['give asOf or atPosition, not both'] }]);
    }
    if (query.asOf !== undefined && Number.isNaN(Date.parse(query.asOf)))
      throw new RequestValidationError([{ field: 'asOf', messages: ['asOf must be an ISO 8601 date-time'] }]);
    const bound = query.atPosition !== undefined ? { position: BigInt(query.atPosition) } : { time: new Date(query.asOf!).toISOString() };
    const then = await this.timeTravel.at(id, bound);
    if (!then?.state) throw new DomainError('PETITION_NOT_FOUND', 'No such petition at that point of its history', 'not_found');
    const { ownerId: _owner, textDigest: _digest, ...state } = then.state;
    return {
      ...state,
      ...('position' in bound ? { atPosition: query.atPosition } : { asOf: bound.time }),
      lastEventPosition: then.lastPosition,
      signatureCount: then.signatureCount,
      provinceCounts: then.provinceCounts,
    };
  }

  @Get('petitions/:id/history')
  @Public()
  @ApiOperation({ summary: "The petition's history in words (Arabic, French or English), with each actor's role and the time" })
  @ApiOkResponse({ type: HistoryPage })
  @ApiQueryErrors()
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'PETITION_NOT_FOUND' })
  async history(
    @Param('id', PetitionIdPipe) id: string,
    @Query() query: HistoryQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    checkCursor(query.cursor);
    const lang = query.lang ?? 'ar';
    const freshness = await this.readModels.freshness('petition_history', minPositionOf(request, query.minPosition));
    setFreshness(reply, freshness);
    const page = await this.readModels.store.find<HistoryEntryDoc>(
      await this.readModels.collection('petition_history', PETITION_HISTORY),
      { petitionId: id },
      {
        sort: { field: 'seq', direction: 1 },
        limit: query.limit ?? 100,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      },
    );
    if (page.items.length === 0 && !query.cursor) throw notFound(freshness.caughtUp);
    return {
      petitionId: id,
      lang,
      entries: page.items.map((e) => ({ at: e.occurredAt, type: e.type, actorRole: e.actorRole, actor: e.actorRoleText[lang], text: e.text[lang] })),
      nextCursor: page.nextCursor,
    };
  }

  @Get('petitions/:id/signatures/daily')
  @Public()
  @ApiOperation({ summary: 'Signatures per day (UTC): given, withdrawn, invalidated and reinstated that day, net and cumulative — the signing-history chart' })
  @ApiOkResponse({ type: SignatureDays })
  @ApiQueryErrors()
  async daily(
    @Param('id', PetitionIdPipe) id: string,
    @Query() query: PageQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const freshness = await this.readModels.freshness('signatures', minPositionOf(request, query.minPosition));
    setFreshness(reply, freshness);
    const collection = await this.readModels.collection('signatures', SIGNATURE_DAYS);
    const days: SignatureDayDoc[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.readModels.store.find<SignatureDayDoc>(
        collection,
        { petitionId: id },
        { sort: { field: 'day', direction: 1 }, limit: 1000, ...(cursor ? { cursor } : {}) },
      );
      days.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    let cumulative = 0;
    return {
      petitionId: id,
      days: days.map((d) => {
        const invalidated = d.invalidated ?? 0;
        const reinstated = d.reinstated ?? 0;
        const net = d.signed - d.withdrawn - invalidated + reinstated;
        cumulative += net;
        return { day: d.day, signed: d.signed, withdrawn: d.withdrawn, invalidated, reinstated, net, cumulative };
      }),
    };
  }

  @Get('petitions/:id/signatures')
  @Public()
  @ApiOkResponse({ type: SignaturePage })
  @ApiQueryErrors()
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'PETITION_NOT_FOUND' })
  @ApiOperation({
    summary:
      'Signatures, pseudonymous: signer hash (keyed, per petition), channel, province, time, state (counted, withdrawn, invalidated, with the reason code)',
    description: 'No identity number, name or address is ever stored or shown.',
  })
  async signatures(
    @Param('id', PetitionIdPipe) id: string,
    @Query() query: PageQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    checkCursor(query.cursor);
    const freshness = await this.readModels.freshness('signatures', minPositionOf(request, query.minPosition));
    setFreshness(reply, freshness);
    const page = await this.readModels.store.find<SignatureDoc>(
      await this.readModels.collection('signatures', SIGNATURES),
      { petitionId: id },
      {
        sort: { field: 'signedAt', direction: 1 },
        limit: query.limit ?? 100,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      },
    );
    // No signature yet, or no such petition: a petition nobody filed is a 404, not an empty list.
    if (page.items.length === 0 && !query.cursor) {
      const petitions = await this.readModels.collection('petitions', PETITIONS);
      if (!(await this.readModels.store.get<PetitionDoc>(petitions, id))) throw notFound(freshness.caughtUp);
    }
    return { petitionId: id, items: page.items.map(publicSignature), nextCursor: page.nextCursor };
  }

  @Get('overdue')
  @Public()
  @ApiOperation({
    summary:
      'Overdue board: submitted petitions whose admissibility decision is past its deadline, and accepted petitions whose target session ended with no response (overdueReason), oldest first',
  })
  @ApiOkResponse({ type: OverduePage })
  @ApiQueryErrors()
  async overdue(@Query() query: OverdueQuery, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    checkCursor(query.cursor);
    const freshness = await this.readModels.freshness('petitions', minPositionOf(request, query.minPosition));
    setFreshness(reply, freshness);
    const page = await this.readModels.store.find<PetitionDoc>(
      await this.readModels.collection('petitions', PETITIONS),
      { overdue: true, ...(query.council ? { councilId: query.council } : {}), ...(query.level ? { councilLevel: query.level } : {}) },
      { sort: { field: 'overdueSince', direction: 1 }, limit: query.limit ?? 20, ...(query.cursor ? { cursor: query.cursor } : {}) },
    );
    // The service's clock (the one due dates and the deadline watch use), not the host's.
    const now = this.clock.now().getTime();
    return {
      items: page.items.map((d) => ({ ...summary(d), daysOverdue: Math.floor((now - Date.parse(d.overdueSince ?? d.responseDueAt!)) / 86_400_000) })),
      nextCursor: page.nextCursor,
      freshness,
    };
  }
}

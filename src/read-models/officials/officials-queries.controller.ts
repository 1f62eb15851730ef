import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { RateLimited } from '../../infrastructure/rate-limit/rate-limit.guard';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLOCK, Clock } from '../../application/clock';
import { moroccanDay } from '../../domain/dialogue/officials.decide';
import { DomainError } from '../../domain/shared/domain-error';
import { Public } from '../../infrastructure/auth/auth.guard';
import { ApiQueryErrors, ProblemDocument } from '../../infrastructure/http/openapi';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { OFFICIALS, OfficialDoc, PETITION_DIALOGUE, PetitionDialogueDoc } from '../../projections/dialogue.projection';
import { checkExportFormat, sendExport } from '../shared/exports';
import { checkCursor, minPositionOf, PageQuery, setFreshness } from '../shared/query-params';
import { OfficialPage, OfficialView, PetitionPositions } from '../shared/dialogue-responses';
import { ApiExportResponse } from '../shared/operation-responses';
import { ReadModels } from '../shared/read-models.service';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';

export class ListOfficialsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'commune-sefrou' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,100}$/)
  council?: string;
}

/** An official's public accountability view: office, term, reply rate, time to first reply, commitments, positions. Never the account. */
export function officialView(doc: OfficialDoc, now: Date) {
  const { _id, _position: _p, firstReplyHours: _h, ...rest } = doc;
  const today = moroccanDay(now.toISOString());
  return { id: _id, ...rest, inOffice: doc.termStart <= today && today <= doc.termEnd };
}

const COLUMNS = [
  'officialId',
  'councilId',
  'nameAr',
  'nameFr',
  'role',
  'committee',
  'party',
  'termStart',
  'termEnd',
  'threadsAddressed',
  'threadsReplied',
  'replyRate',
  'medianHoursToFirstReply',
  'commitmentsOpen',
  'commitmentsKept',
  'commitmentsMissed',
  'positionsSupport',
  'positionsOppose',
  'positionsUndecided',
] as const;

const notFound = (caughtUp = true) =>
  new DomainError(
    'OFFICIAL_NOT_FOUND',
    caughtUp ? 'No such official' : 'No such official yet: the read model has not reached the requested position',
    'not_found',
  );

/** The officials' registry and their accountability, for citizens and NGOs. */
@ApiTags('officials')
@Controller()
export class OfficialsQueriesController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('officials')
  @Public()
  @ApiOperation({ summary: "A council's officials (or all), each with their accountability figures" })
  @ApiOkResponse({ type: OfficialPage })
  @ApiQueryErrors()
  async list(@Query() query: ListOfficialsQuery, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    checkCursor(query.cursor);
    const freshness = await this.readModels.freshness('dialogue', minPositionOf(request, query.minPosition));
    setFreshness(reply, freshness);
    const page = await this.readModels.store.find<OfficialDoc>(
      await this.readModels.collection('dialogue', OFFICIALS),
      query.council ? { councilId: query.council } : {},
      {
        limit: query.limit ?? 20,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      },
    );
    const now = this.clock.now();
    return { items: page.items.map((d) => officialView(d, now)), nextCursor: page.nextCursor, freshness };
  }

  @Get('officials/:id')
  @Public()
  @ApiOperation({
    summary: "An official's accountability view",
    description: 'Reply rate and median hours to the first reply on threads addressed to them, commitments open / kept / missed, positions on petitions.',
  })
  @ApiOkResponse({ type: OfficialView })
  @ApiQueryErrors()
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'OFFICIAL_NOT_FOUND' })
  async get(
    @Param('id', uuidParam('id')) id: string,
    @Query() query: PageQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const freshness = await this.readModels.freshness('dialogue', minPositionOf(request, query.minPosition));
    setFreshness(reply, freshness);
    const doc = await this.readModels.store.get<OfficialDoc>(await this.readModels.collection('dialogue', OFFICIALS), id);
    if (!doc) throw notFound(freshness.caughtUp);
    return officialView(doc, this.clock.now());
  }

  @Get('petitions/:id/positions')
  @Public()
  @ApiOperation({ summary: "The officials' positions on a petition (each with every change), and the thread it was escalated from" })
  @ApiOkResponse({ type: PetitionPositions })
  @ApiQueryErrors('VALIDATION_FAILED: a petition id that is not a UUID, or a query that does not validate')
  async positions(
    @Param('id', PetitionIdPipe) id: string,
    @Query() query: PageQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const freshness = await this.readModels.freshness('dialogue', minPositionOf(request, query.minPosition));
    setFreshness(reply, freshness);
    const doc = await this.readModels.store.get<PetitionDialogueDoc>(await this.readModels.collection('dialogue', PETITION_DIALOGUE), id);
    return { petitionId: id, fromThreadId: doc?.fromThreadId ?? null, positions: doc?.positions ?? [] };
  }

  @Get('exports/officials.:format')
  @Public()
  @RateLimited('exports')
  @ApiTooManyRequestsResponse({
    type: ProblemDocument,
    description: 'RATE_LIMITED: too many exports from this address or account; see Retry-After (application/problem+json)',
  })
  @ApiOperation({ summary: "Every official's accountability figures, CSV or JSON" })
  @ApiParam({ name: 'format', enum: ['csv', 'json'] })
  @ApiProduces('text/csv', 'application/json')
  @ApiExportResponse("Every official's figures, one row each")
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'EXPORT_FORMAT_UNKNOWN' })
  async export(@Param('format') format: string, @Res() reply: FastifyReply) {
    checkExportFormat(format);
    const collection = await this.readModels.collection('dialogue', OFFICIALS);
    const rows: Record<(typeof COLUMNS)[number], unknown>[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.readModels.store.find<OfficialDoc>(collection, {}, { limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const d of page.items) {
        const stances = (s: string) => d.positions.filter((p) => p.stance === s).length;
        rows.push({
          officialId: d._id,
          councilId: d.councilId,
          nameAr: d.name.ar,
          nameFr: d.name.fr,
          role: d.role,
          committee: d.committee,
          party: d.party,
          termStart: d.termStart,
          termEnd: d.termEnd,
          threadsAddressed: d.threadsAddressed,
          threadsReplied: d.threadsReplied,
          replyRate: d.replyRate,
          medianHoursToFirstReply: d.medianHoursToFirstReply,
          commitmentsOpen: d.commitments.open,
          commitmentsKept: d.commitments.kept,
          commitmentsMissed: d.commitments.missed,
          positionsSupport: stances('support'),
          positionsOppose: stances('oppose'),
          positionsUndecided: stances('undecided'),
        });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return sendExport(reply, format, 'officials', COLUMNS, rows);
  }
}

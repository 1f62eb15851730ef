import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiParam, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ApiExportResponse } from '../shared/operation-responses';
import type { FastifyReply } from 'fastify';
import type { RulesInForce } from '../../domain/rules/rulebook';
import { Public } from '../../infrastructure/auth/auth.guard';
import { ProblemDocument } from '../../infrastructure/http/openapi';
import { RateLimited } from '../../infrastructure/rate-limit/rate-limit.guard';
import { RULEBOOK } from '../../infrastructure/rulebook/rulebook.loader';
import { COUNCIL_DASHBOARD, CouncilDashboardDoc } from '../../projections/council-dashboard.projection';
import { PETITIONS, PetitionDoc } from '../../projections/petitions.projection';
import { dashboardView } from '../dashboards/council-dashboard.controller';
import { checkExportFormat, sendExport } from '../shared/exports';
import { ReadModels } from '../shared/read-models.service';

const PETITION_COLUMNS = [
  'id',
  'title',
  'councilId',
  'councilLevel',
  'petitionerType',
  'associationName',
  'status',
  'subStatus',
  'closed',
  'signatureCount',
  'threshold',
  'progress',
  'thresholdReachedAt',
  'filedAt',
  'submittedAt',
  'responseDueAt',
  'deadlineMissed',
  'overdue',
  'decidedAt',
  'admissibility',
  'reasonCodes',
  'targetSessionMonth',
  'targetSessionEndsOn',
  'sessionMissed',
  'answeredAt',
  'responseDecision',
  'withdrawnAt',
  'closedAt',
  'signaturesInvalidated',
  'invalidationReasons',
] as const;
const COUNCIL_COLUMNS = [
  'councilId',
  'level',
  'nameFr',
  'nameAr',
  'total',
  'collecting',
  'submitted',
  'admissible',
  'inadmissible',
  'answered',
  'withdrawn',
  'closed',
  'admissibilityRate',
  'medianDaysToDecision',
  'overdueNow',
  'deadlinesMissed',
  'sessionsMissed',
  'adopted',
  'partiallyAdopted',
  'rejected',
] as const;

/** Open data for NGOs: every petition and every council, as CSV (UTF-8 with BOM, for spreadsheets) or JSON. */
@ApiTags('open data')
@RateLimited('exports')
@ApiTooManyRequestsResponse({
  type: ProblemDocument,
  description: 'RATE_LIMITED: too many exports from this address or account; see Retry-After (application/problem+json)',
})
@Controller('exports')
export class ExportsController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(RULEBOOK) private readonly rules: RulesInForce,
  ) {}

  @Get('petitions.:format')
  @Public()
  @ApiOperation({ summary: 'All petitions (no signer data), CSV or JSON' })
  @ApiParam({ name: 'format', enum: ['csv', 'json'] })
  @ApiProduces('text/csv', 'application/json')
  @ApiExportResponse('Every petition, one row each')
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'EXPORT_FORMAT_UNKNOWN' })
  async petitions(@Param('format') format: string, @Res() reply: FastifyReply) {
    checkExportFormat(format);
    const rows: Record<(typeof PETITION_COLUMNS)[number], unknown>[] = [];
    const collection = await this.readModels.collection('petitions', PETITIONS);
    let cursor: string | undefined;
    do {
      const page = await this.readModels.store.find<PetitionDoc>(
        collection,
        {},
        { sort: { field: 'filedAt', direction: 1 }, limit: 1000, ...(cursor ? { cursor } : {}) },
      );
      for (const d of page.items) {
        rows.push({
          ...d,
          id: d._id,
          responseDecision: d.response?.decision ?? null,
          signaturesInvalidated: d.invalidatedCount ?? 0,
          invalidationReasons: [...new Set((d.invalidations ?? []).filter((i) => (i.active ?? i.count - i.reinstated) > 0).map((i) => i.reasonCode))],
          targetSessionMonth: d.targetSession?.month ?? null,
          targetSessionEndsOn: d.targetSession?.endsOn ?? null,
          sessionMissed: d.sessionMissed ?? false,
        });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return sendExport(reply, format, 'petitions', PETITION_COLUMNS, rows);
  }

  @Get('councils.:format')
  @Public()
  @ApiOperation({ summary: 'Every council with its dashboard figures, CSV or JSON' })
  @ApiParam({ name: 'format', enum: ['csv', 'json'] })
  @ApiProduces('text/csv', 'application/json')
  @ApiExportResponse('Every council, one row each')
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'EXPORT_FORMAT_UNKNOWN' })
  async councils(@Param('format') format: string, @Res() reply: FastifyReply) {
    checkExportFormat(format);
    const collection = await this.readModels.collection('council_dashboard', COUNCIL_DASHBOARD);
    const ids = this.rules.registry.councils.map((c) => c.id);
    const docs = new Map((await this.readModels.store.getMany<CouncilDashboardDoc>(collection, ids)).map((d) => [d._id, d]));
    const rows = this.rules.registry.councils.map((c) => {
      const v = dashboardView(c.id, c.level, c.name, docs.get(c.id) ?? null);
      return {
        councilId: c.id,
        level: c.level,
        nameFr: c.name.fr,
        nameAr: c.name.ar,
        total: v.total,
        ...v.byStatus,
        closed: v.closed,
        admissibilityRate: v.admissibilityRate,
        medianDaysToDecision: v.medianDaysToDecision,
        overdueNow: v.overdueNow,
        deadlinesMissed: v.deadlinesMissed,
        sessionsMissed: v.sessionsMissed,
        adopted: v.responses.adopted,
        partiallyAdopted: v.responses.partially_adopted,
        rejected: v.responses.rejected,
      };
    });
    return sendExport(reply, format, 'councils', COUNCIL_COLUMNS, rows);
  }
}

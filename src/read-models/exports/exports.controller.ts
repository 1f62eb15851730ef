import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '../../domain/shared/domain-error';
import type { RulesInForce } from '../../domain/rules/rulebook';
import { Public } from '../../infrastructure/auth/auth.guard';
import { ProblemDocument } from '../../infrastructure/http/openapi';
import { RateLimited } from '../../infrastructure/rate-limit/rate-limit.guard';
import { RULEBOOK } from '../../infrastructure/rulebook/rulebook.loader';
import { COUNCIL_DASHBOARD, CouncilDashboardDoc } from '../../projections/council-dashboard.projection';
import { PETITIONS, PetitionDoc } from '../../projections/petitions.projection';
import { dashboardView } from '../dashboards/council-dashboard.controller';
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

/**
 * RFC 4180 field: quoted when it holds a separator, a quote or a line break. Text starting like a
 * spreadsheet formula (= + - @) gets a leading apostrophe, so a petition title cannot run in
 * an NGO's spreadsheet.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value)
    ? value.join(';')
    : typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
        ? String(value)
        : (JSON.stringify(value) ?? '');
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (values: unknown[]) => values.map(csvField).join(',') + '\r\n';

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
  async petitions(@Param('format') format: string, @Res() reply: FastifyReply) {
    checkFormat(format);
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
    return send(reply, format, 'petitions', PETITION_COLUMNS, rows);
  }

  @Get('councils.:format')
  @Public()
  @ApiOperation({ summary: 'Every council with its dashboard figures, CSV or JSON' })
  @ApiParam({ name: 'format', enum: ['csv', 'json'] })
  @ApiProduces('text/csv', 'application/json')
  async councils(@Param('format') format: string, @Res() reply: FastifyReply) {
    checkFormat(format);
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
    return send(reply, format, 'councils', COUNCIL_COLUMNS, rows);
  }
}

function checkFormat(format: string): void {
  if (format !== 'csv' && format !== 'json') throw new DomainError('EXPORT_FORMAT_UNKNOWN', 'Exports are .csv or .json', 'not_found');
}

function send<C extends string>(reply: FastifyReply, format: string, name: string, columns: readonly C[], rows: Record<C, unknown>[]) {
  if (format === 'json') {
    return reply.header('content-type', 'application/json; charset=utf-8').send(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))));
  }
  const body = '\uFEFF' + csvLine([...columns]) + rows.map((r) => csvLine(columns.map((c) => r[c]))).join('');
  return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(body);
}

import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { CouncilDashboardView } from '../shared/responses';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/shared/domain-error';
import type { RulesInForce } from '../../domain/rules/rulebook';
import { Public } from '../../infrastructure/auth/auth.guard';
import { ProblemDocument } from '../../infrastructure/http/openapi';
import { RULEBOOK } from '../../infrastructure/rulebook/rulebook.loader';
import { COUNCIL_DASHBOARD, CouncilDashboardDoc } from '../../projections/council-dashboard.projection';
import { DIALOGUE_COUNCILS, DialogueCouncilDoc } from '../../projections/dialogue.projection';
import { minPositionOf, PageQuery, setFreshness } from '../shared/query-params';
import { ReadModels } from '../shared/read-models.service';

/** The NGO view of a council's responsiveness. */
@ApiTags('councils')
@Controller('councils')
export class CouncilDashboardController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(RULEBOOK) private readonly rules: RulesInForce,
  ) {}

  @Get(':id/dashboard')
  @Public()
  @ApiOperation({ summary: "A council's dashboard: petitions by status, admissibility rate, median days from submission to decision, overdue answers" })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'COUNCIL_NOT_FOUND' })
  @ApiOkResponse({ type: CouncilDashboardView })
  async dashboard(@Param('id') id: string, @Query() query: PageQuery, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const council = this.rules.registry.councils.find((c) => c.id === id);
    if (!council) throw new DomainError('COUNCIL_NOT_FOUND', `No council ${id}`, 'not_found');
    const minPosition = minPositionOf(request, query.minPosition);
    const freshness = await this.readModels.freshness('council_dashboard', minPosition);
    const dialogueFreshness = await this.readModels.freshness('dialogue', minPosition);
    setFreshness(reply, { position: freshness.position, caughtUp: freshness.caughtUp && dialogueFreshness.caughtUp });
    const doc = await this.readModels.store.get<CouncilDashboardDoc>(await this.readModels.collection('council_dashboard', COUNCIL_DASHBOARD), id);
    const dialogue = await this.readModels.store.get<DialogueCouncilDoc>(await this.readModels.collection('dialogue', DIALOGUE_COUNCILS), id);
    return { ...dashboardView(council.id, council.level, council.name, doc), dialogue: dialogueFigures(dialogue) };
  }
}

export function dashboardView(councilId: string, level: string, name: unknown, doc: CouncilDashboardDoc | null) {
  return {
    councilId,
    level,
    name,
    total: doc?.total ?? 0,
    byStatus: doc?.byStatus ?? { collecting: 0, submitted: 0, admissible: 0, inadmissible: 0, answered: 0, withdrawn: 0 },
    closed: doc?.closed ?? 0,
    decisions: { admissible: doc?.admissible ?? 0, inadmissible: doc?.inadmissible ?? 0 },
    admissibilityRate: doc?.admissibilityRate ?? null,
    medianDaysToDecision: doc?.medianDaysToDecision ?? null,
    overdueNow: doc?.overdueNow ?? 0,
    deadlinesMissed: doc?.deadlinesMissed ?? 0,
    sessionsMissed: doc?.sessionsMissed ?? 0,
    responses: doc?.responses ?? { adopted: 0, partially_adopted: 0, rejected: 0 },
    fraudChecks: doc?.fraudChecks ?? { invalidations: 0, signaturesInvalidated: 0, signaturesReinstated: 0 },
  };
}

/** The dialogue's figures for a council: threads by status, official replies and answers, commitments, escalations. */
export function dialogueFigures(doc: DialogueCouncilDoc | null) {
  const threads = doc?.threads ?? 0;
  return {
    threads,
    open: doc?.open ?? 0,
    resolved: doc?.resolved ?? 0,
    closed: doc?.closed ?? 0,
    withOfficialReply: doc?.withOfficialReply ?? 0,
    officialReplyRate: threads ? Math.round(((doc?.withOfficialReply ?? 0) / threads) * 1000) / 1000 : null,
    withCouncilAnswer: doc?.withCouncilAnswer ?? 0,
    medianHoursToFirstReply: doc?.medianHoursToFirstReply ?? null,
    commitments: doc?.commitments ?? { open: 0, kept: 0, missed: 0 },
    escalatedToPetitions: doc?.escalated ?? 0,
  };
}

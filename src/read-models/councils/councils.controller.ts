import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { CouncilList, CouncilView } from '../shared/responses';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../domain/shared/domain-error';
import { Council, levelRules, provincesOf, RulesInForce, sessionCalendarFor, thresholdFor } from '../../domain/rules/rulebook';
import { Public } from '../../infrastructure/auth/auth.guard';
import { RULEBOOK } from '../../infrastructure/rulebook/rulebook.loader';
import { RequestValidationError } from '../../infrastructure/http/problem-details';
import { ApiQueryErrors, ProblemDocument } from '../../infrastructure/http/openapi';

const LEVELS = ['commune', 'province', 'region'];

/** The councils a petition can address, with the rules that apply to each (from the rulebook). */
@ApiTags('councils')
@Controller('councils')
export class CouncilsController {
  constructor(@Inject(RULEBOOK) private readonly rules: RulesInForce) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Councils, with their signature threshold and response deadline' })
  @ApiQuery({ name: 'level', required: false, enum: LEVELS })
  @ApiOkResponse({ type: CouncilList })
  @ApiQueryErrors('VALIDATION_FAILED: an unknown level')
  list(@Query('level') level?: string) {
    if (level !== undefined && !LEVELS.includes(level)) {
      throw new RequestValidationError([{ field: 'level', messages: [`level must be one of ${LEVELS.join(', ')}`] }]);
    }
    const councils = this.rules.registry.councils.filter((c) => !level || c.level === level);
    return { rulebookVersion: this.rules.rulebook.version, councils: councils.map((c) => this.summary(c)) };
  }

  @Get(':id')
  @Public()
  @ApiOperation({
    summary:
      'One council and its rules (current rulebook version): threshold (and provincial shares), deadline, eligibility, session calendar, legal texts, reason codes with their articles, with sources and confidence',
  })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'COUNCIL_NOT_FOUND' })
  @ApiOkResponse({ type: CouncilView })
  get(@Param('id') id: string) {
    const council = this.rules.registry.councils.find((c) => c.id === id);
    if (!council) throw new DomainError('COUNCIL_NOT_FOUND', `No council ${id}`, 'not_found');
    const rules = levelRules(this.rules.rulebook, council.level);
    const threshold = thresholdFor(this.rules.rulebook, this.rules.registry, council);
    const calendar = rules.sessions ? sessionCalendarFor(this.rules.rulebook, council) : null;
    return {
      ...this.summary(council),
      rulebookVersion: this.rules.rulebook.version,
      population: council.population,
      ...(council.ordinarySessionMonths ? { ordinarySessionMonths: council.ordinarySessionMonths } : {}),
      ...(council.level === 'region' ? { provinces: provincesOf(this.rules.registry, council.id).map((p) => ({ id: p.id, name: p.name })) } : {}),
      rules: {
        law: rules.law,
        threshold: {
          required: threshold.required,
          ...(threshold.provinceShares ? { provinceShares: threshold.provinceShares } : {}),
          bands: rules.thresholdBands,
          ...(rules.thresholdWithArrondissements ? { withArrondissements: rules.thresholdWithArrondissements } : {}),
          ...(rules.provinceSharePercent ? { provinceSharePercent: rules.provinceSharePercent } : {}),
          appliesTo: "citizens' petitions; associations petition without a signature minimum",
        },
        responseDeadlineMonths: rules.responseDeadlineMonths,
        eligibility: rules.eligibility ?? [],
        ...(calendar ? { sessionCalendar: calendar } : {}),
        association: this.rules.rulebook.association,
        // Every ground with its article for this level; a ground without legal basis says so and is refused in new decisions.
        inadmissibilityReasons: this.rules.rulebook.inadmissibilityReasons
          .filter((r) => r.legalBasis === null || r.legalBasis[council.level] !== undefined)
          .map((r) => ({
            code: r.code,
            labels: r.labels,
            article: r.legalBasis?.[council.level] ?? null,
            legalBasis: r.legalBasis === null ? 'none' : 'organic law',
            acceptedInNewDecisions: r.acceptedInNewDecisions !== false,
          })),
        limits: this.rules.rulebook.limits,
      },
    };
  }

  private summary(c: Council) {
    const threshold = thresholdFor(this.rules.rulebook, this.rules.registry, c);
    return {
      id: c.id,
      level: c.level,
      name: c.name,
      ...(c.provinceId ? { provinceId: c.provinceId } : {}),
      ...(c.regionId ? { regionId: c.regionId } : {}),
      signatureThreshold: threshold.required,
      responseDeadlineMonths: levelRules(this.rules.rulebook, c.level).responseDeadlineMonths.value,
    };
  }
}

import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import { RequestValidationError } from '../../infrastructure/http/problem-details';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { InvalidateSignaturesCommand, InvalidateSignaturesResult } from './invalidate-signatures.command';
import { InvalidateSignaturesDto, InvalidateSignaturesResponse } from './invalidate-signatures.dto';

const utc = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso).toISOString());

@ApiTags('council')
@Controller('petitions')
export class InvalidateSignaturesController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(InvalidateSignaturesCommand, {
    path: ':id/signatures/invalidations',
    status: 201,
    rateLimit: 'posting',
    summary: 'Invalidate signatures by criteria (fraud check)',
    description:
      "By a clerk of the petition's council, or an admin; while the petition collects signatures or, once submitted, until the admissibility decision. " +
      'Criteria: a time window, channel, province, paper sheet number (paper signatures recorded before sheets were numbered never match one), a list of signature ids — all given must hold, at least one. ' +
      'Every counted signature that matches is invalidated, in one decision listing them (at most 2000: narrow the criteria for more), with a reason code. ' +
      'Counts, the threshold, the petition page, the signatures list and exports follow; the petition page shows how many and why. Reversible: POST …/invalidations/:invalidationId/reinstatement. ' +
      'Refusals: 422 NO_SIGNATURES_MATCHED, TOO_MANY_SIGNATURES_MATCHED, CRITERIA_REQUIRED, TIME_WINDOW_EMPTY, UNKNOWN_REASON_CODE; 409 SIGNATURES_FINAL, PETITION_CLOSED; 403 ROLE_NOT_ALLOWED, NOT_COUNCIL_STAFF.',
    response: InvalidateSignaturesResponse,
  })
  invalidate(
    @Param('id', PetitionIdPipe) id: string,
    @Body() body: InvalidateSignaturesDto,
    @Ctx() metadata: CommandMetadata,
  ): Promise<InvalidateSignaturesResponse> {
    const c = body.criteria;
    if (c.signedFrom && c.signedBefore && !(Date.parse(c.signedFrom) < Date.parse(c.signedBefore))) {
      throw new RequestValidationError([{ field: 'criteria.signedBefore', messages: ['criteria.signedBefore must be after criteria.signedFrom'] }]);
    }
    const criteria = {
      ...(c.signedFrom ? { signedFrom: utc(c.signedFrom) } : {}),
      ...(c.signedBefore ? { signedBefore: utc(c.signedBefore) } : {}),
      ...(c.channel ? { channel: c.channel } : {}),
      ...(c.provinceId ? { provinceId: c.provinceId } : {}),
      ...(c.paperSheet !== undefined ? { paperSheet: c.paperSheet } : {}),
      ...(c.signatureIds ? { signatureIds: [...new Set(c.signatureIds.map((s) => s.toLowerCase()))] } : {}),
    };
    const command = new InvalidateSignaturesCommand({ petitionId: id, reasonCode: body.reasonCode, criteria, metadata });
    return this.commands.execute<InvalidateSignaturesCommand, InvalidateSignaturesResult>(command);
  }
}

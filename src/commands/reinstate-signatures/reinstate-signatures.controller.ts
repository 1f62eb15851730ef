import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { PetitionIdPipe, UuidParamPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { ReinstateSignaturesCommand, ReinstateSignaturesResult } from './reinstate-signatures.command';
import { ReinstateSignaturesDto, ReinstateSignaturesResponse } from './reinstate-signatures.dto';

@ApiTags('council')
@Controller('petitions')
export class ReinstateSignaturesController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(ReinstateSignaturesCommand, {
    path: ':id/signatures/invalidations/:invalidationId/reinstatement',
    status: 200,
    rateLimit: 'posting',
    summary: 'Reinstate invalidated signatures',
    description:
      "By a clerk of the petition's council, or an admin, until the admissibility decision: the invalidation's signatures (or the ones named) count again, " +
      'except those withdrawn meanwhile. Refusals: 404 INVALIDATION_NOT_FOUND; 409 NOTHING_TO_REINSTATE, SIGNATURES_FINAL; 422 SIGNATURE_NOT_IN_INVALIDATION, UNKNOWN_REASON_CODE.',
    response: ReinstateSignaturesResponse,
  })
  @ApiParam({ name: 'invalidationId', format: 'uuid', description: 'From the invalidation’s answer, or the petition page’s invalidations' })
  reinstate(
    @Param('id', PetitionIdPipe) id: string,
    @Param('invalidationId', new UuidParamPipe('invalidationId')) invalidationId: string,
    @Body() body: ReinstateSignaturesDto,
    @Ctx() metadata: CommandMetadata,
  ): Promise<ReinstateSignaturesResponse> {
    const signatureIds = body.signatureIds ? [...new Set(body.signatureIds.map((s) => s.toLowerCase()))] : undefined;
    const command = new ReinstateSignaturesCommand({
      petitionId: id,
      invalidationId,
      reasonCode: body.reasonCode,
      ...(signatureIds ? { signatureIds } : {}),
      metadata,
    });
    return this.commands.execute<ReinstateSignaturesCommand, ReinstateSignaturesResult>(command);
  }
}

import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { CommandOutcome } from '../../application/command-outcome';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { RateLimited } from '../../infrastructure/rate-limit/rate-limit.guard';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { SubmitPetitionCommand } from './submit-petition.command';
import { SubmitPetitionResponse, toLifecycleResponse } from './submit-petition.dto';

@ApiTags('petitions')
@ApiBearerAuth()
@Controller('petitions')
export class SubmitPetitionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/submission')
  @RateLimited('posting')
  @HttpCode(200)
  @Roles(...SubmitPetitionCommand.roles)
  @ApiOperation({
    summary: 'Submit the petition to the council',
    description:
      "By the petition's agent (or the association's representative) only, once the council's threshold is met (for a region: every province's 5 % share too). Records the count and the response deadline (communes 3 months, provinces and regions 2).",
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: SubmitPetitionResponse })
  @ApiCommandErrors()
  async submit(@Param('id', PetitionIdPipe) id: string, @Ctx() metadata: CommandMetadata): Promise<SubmitPetitionResponse> {
    const command = new SubmitPetitionCommand({ petitionId: id, metadata });
    return toLifecycleResponse(await this.commands.execute<SubmitPetitionCommand, CommandOutcome>(command));
  }
}

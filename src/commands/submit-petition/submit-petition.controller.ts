import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { LifecycleResponse } from '../shared/lifecycle.dto';
import type { CommandOutcome } from '../shared/petition-commands.service';
import { PetitionIdPipe } from '../shared/petition-id.pipe';
import { Ctx, RequestContext } from '../shared/request-context';
import { SubmitPetitionCommand } from './submit-petition.handler';

@ApiTags('petitions')
@ApiBearerAuth()
@Controller('petitions')
export class SubmitPetitionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/submission')
  @HttpCode(200)
  @Roles('agent', 'citizen', 'association_rep')
  @ApiOperation({
    summary: 'Submit the petition to the council',
    description: "By the petition's agent (or the association's representative) only, once the council's threshold is met (for a region: every province's 5 % share too). Records the count and the response deadline (communes 3 months, provinces and regions 2).",
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LifecycleResponse })
  @ApiCommandErrors()
  async submit(@Param('id', PetitionIdPipe) id: string, @Ctx() ctx: RequestContext): Promise<LifecycleResponse> {
    const o = await this.commands.execute<SubmitPetitionCommand, CommandOutcome>(new SubmitPetitionCommand(id, ctx));
    return { petitionId: o.petitionId, status: o.status!, position: o.position };
  }
}

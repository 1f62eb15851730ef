import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { CommandOutcome } from '../../application/command-outcome';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { RateLimited } from '../../infrastructure/rate-limit/rate-limit.guard';
import { LifecycleResponse, toLifecycleResponse } from '../../infrastructure/http/lifecycle-response.dto';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { WithdrawPetitionCommand } from './withdraw-petition.command';
import { WithdrawPetitionDto } from './withdraw-petition.dto';

@ApiTags('petitions')
@ApiBearerAuth()
@Controller('petitions')
export class WithdrawPetitionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/withdrawal')
  @RateLimited('posting')
  @HttpCode(200)
  @Roles(...WithdrawPetitionCommand.roles)
  @ApiOperation({
    summary: 'Withdraw the petition',
    description: "By its agent or the association's representative, before the council's decision.",
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LifecycleResponse })
  @ApiCommandErrors()
  async withdraw(@Param('id', PetitionIdPipe) id: string, @Body() body: WithdrawPetitionDto, @Ctx() metadata: CommandMetadata): Promise<LifecycleResponse> {
    const command = new WithdrawPetitionCommand({ petitionId: id, reason: body.reason, metadata });
    return toLifecycleResponse(await this.commands.execute<WithdrawPetitionCommand, CommandOutcome>(command));
  }
}

import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { CommandOutcome } from '../../application/command-outcome';
import { LifecycleResponse, toLifecycleResponse } from '../../infrastructure/http/lifecycle-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { WithdrawPetitionCommand } from './withdraw-petition.command';
import { WithdrawPetitionDto } from './withdraw-petition.dto';

@ApiTags('petitions')
@Controller('petitions')
export class WithdrawPetitionController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(WithdrawPetitionCommand, {
    rateLimit: 'posting',
    path: ':id/withdrawal',
    status: 200,
    summary: 'Withdraw the petition',
    description: "By its agent or the association's representative, before the council's decision.",
    response: LifecycleResponse,
  })
  async withdraw(@Param('id', PetitionIdPipe) id: string, @Body() body: WithdrawPetitionDto, @Ctx() metadata: CommandMetadata): Promise<LifecycleResponse> {
    const command = new WithdrawPetitionCommand({ petitionId: id, reason: body.reason, metadata });
    return toLifecycleResponse(await this.commands.execute<WithdrawPetitionCommand, CommandOutcome>(command));
  }
}

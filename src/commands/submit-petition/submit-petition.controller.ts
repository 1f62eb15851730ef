import { Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { CommandOutcome } from '../../application/command-outcome';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { SubmitPetitionCommand } from './submit-petition.command';
import { SubmitPetitionResponse, toLifecycleResponse } from './submit-petition.dto';

@ApiTags('petitions')
@Controller('petitions')
export class SubmitPetitionController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(SubmitPetitionCommand, {
    rateLimit: 'posting',
    path: ':id/submission',
    status: 200,
    summary: 'Submit the petition to the council',
    description:
      "By the petition's agent (or the association's representative) only, once the council's threshold is met (for a region: every province's 5 % share too). Records the count and the response deadline (communes 3 months, provinces and regions 2).",
    response: SubmitPetitionResponse,
  })
  async submit(@Param('id', PetitionIdPipe) id: string, @Ctx() metadata: CommandMetadata): Promise<SubmitPetitionResponse> {
    const command = new SubmitPetitionCommand({ petitionId: id, metadata });
    return toLifecycleResponse(await this.commands.execute<SubmitPetitionCommand, CommandOutcome>(command));
  }
}

import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { CommandOutcome } from '../../application/command-outcome';
import { LifecycleResponse, toLifecycleResponse } from '../../infrastructure/http/lifecycle-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { ClosePetitionCommand } from './close-petition.command';
import { ClosePetitionDto } from './close-petition.dto';

@ApiTags('council')
@Controller('petitions')
export class ClosePetitionController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(ClosePetitionCommand, {
    rateLimit: 'posting',
    path: ':id/closure',
    status: 200,
    summary: 'Close an answered or inadmissible petition',
    description: 'By a clerk or an official of the council, or an admin. The history stays readable.',
    response: LifecycleResponse,
  })
  async close(@Param('id', PetitionIdPipe) id: string, @Body() body: ClosePetitionDto, @Ctx() metadata: CommandMetadata): Promise<LifecycleResponse> {
    const command = new ClosePetitionCommand({ petitionId: id, note: body.note, metadata });
    return toLifecycleResponse(await this.commands.execute<ClosePetitionCommand, CommandOutcome>(command));
  }
}

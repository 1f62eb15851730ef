import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { StatePositionCommand } from './state-position.command';
import { StatePositionDto } from './state-position.dto';

@ApiTags('officials')
@Controller('petitions')
export class StatePositionController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(StatePositionCommand, {
    path: ':id/positions',
    status: 200,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: "State (or change) an official's position on a petition",
    description: "Support, oppose or undecided, with reasons, by a registered official of the petition's council. Every change is kept.",
    response: DialogueResponse,
  })
  async statePosition(@Param('id', uuidParam('id')) id: string, @Body() body: StatePositionDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new StatePositionCommand({ petitionId: id, stance: body.stance, reasons: body.reasons, metadata });
    const outcome = await this.commands.execute<StatePositionCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

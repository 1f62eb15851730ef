import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { ApiDialogueErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { StatePositionCommand } from './state-position.command';
import { StatePositionDto } from './state-position.dto';

@ApiTags('officials')
@ApiBearerAuth()
@Controller('petitions')
export class StatePositionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/positions')
  @HttpCode(200)
  @Roles(...StatePositionCommand.roles)
  @ApiOperation({
    summary: "State (or change) an official's position on a petition",
    description: "Support, oppose or undecided, with reasons, by a registered official of the petition's council. Every change is kept.",
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
  async statePosition(@Param('id', uuidParam('id')) id: string, @Body() body: StatePositionDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new StatePositionCommand({ petitionId: id, stance: body.stance, reasons: body.reasons, metadata });
    const outcome = await this.commands.execute<StatePositionCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

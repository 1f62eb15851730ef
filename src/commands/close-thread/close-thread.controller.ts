import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { CloseThreadCommand } from './close-thread.command';
import { CloseThreadDto } from './close-thread.dto';

@ApiTags('dialogues')
@Controller('dialogues')
export class CloseThreadController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(CloseThreadCommand, {
    path: ':id/closure',
    status: 200,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: 'Resolve or close a thread, with a reason',
    description: 'By the citizen who opened it, a registered official of its council, or an admin.',
    response: DialogueResponse,
  })
  async closeThread(@Param('id', uuidParam('id')) id: string, @Body() body: CloseThreadDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new CloseThreadCommand({ threadId: id, outcome: body.outcome, reasonCode: body.reasonCode, metadata });
    const outcome = await this.commands.execute<CloseThreadCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

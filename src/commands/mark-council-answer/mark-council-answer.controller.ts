import { Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { MarkCouncilAnswerCommand } from './mark-council-answer.command';
import { MarkCouncilAnswerParams } from './mark-council-answer.dto';

@ApiTags('dialogues')
@Controller('dialogues')
export class MarkCouncilAnswerController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(MarkCouncilAnswerCommand, {
    path: ':id/messages/:messageId/council-answer',
    status: 200,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: "Mark an official's reply as the council's answer",
    description: "By a registered official of the thread's council.",
    response: DialogueResponse,
  })
  async markCouncilAnswer(@Param() params: MarkCouncilAnswerParams, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new MarkCouncilAnswerCommand({ threadId: params.id.toLowerCase(), messageId: params.messageId.toLowerCase(), metadata });
    const outcome = await this.commands.execute<MarkCouncilAnswerCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

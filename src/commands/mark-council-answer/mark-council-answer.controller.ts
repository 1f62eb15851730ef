import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { ApiDialogueErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { MarkCouncilAnswerCommand } from './mark-council-answer.command';
import { MarkCouncilAnswerParams } from './mark-council-answer.dto';

@ApiTags('dialogues')
@ApiBearerAuth()
@Controller('dialogues')
export class MarkCouncilAnswerController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/messages/:messageId/council-answer')
  @HttpCode(200)
  @Roles(...MarkCouncilAnswerCommand.roles)
  @ApiOperation({ summary: "Mark an official's reply as the council's answer", description: "By a registered official of the thread's council." })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
  async markCouncilAnswer(@Param() params: MarkCouncilAnswerParams, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new MarkCouncilAnswerCommand({ threadId: params.id.toLowerCase(), messageId: params.messageId.toLowerCase(), metadata });
    const outcome = await this.commands.execute<MarkCouncilAnswerCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

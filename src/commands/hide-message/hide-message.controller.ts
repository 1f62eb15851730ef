import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { HideMessageCommand } from './hide-message.command';
import { HideMessageDto } from './hide-message.dto';

@ApiTags('dialogues')
@Controller('dialogues')
export class HideMessageController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(HideMessageCommand, {
    path: ':id/messages/:messageId/hidden',
    status: 200,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: 'Hide a message (moderation)',
    description: 'A moderator hides a message with a reason code: it leaves the public read models, and stays in the history for auditors.',
    response: DialogueResponse,
  })
  async hideMessage(
    @Param('id', uuidParam('id')) id: string,
    @Param('messageId', uuidParam('messageId')) messageId: string,
    @Body() body: HideMessageDto,
    @Ctx() metadata: CommandMetadata,
  ): Promise<DialogueResponse> {
    const command = new HideMessageCommand({ threadId: id, messageId, reasonCode: body.reasonCode, metadata });
    const outcome = await this.commands.execute<HideMessageCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

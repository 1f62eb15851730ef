import { Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { RestoreMessageCommand } from './restore-message.command';
import { RestoreMessageParams } from './restore-message.dto';

@ApiTags('dialogues')
@Controller('dialogues')
export class RestoreMessageController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(RestoreMessageCommand, {
    path: ':id/messages/:messageId/restoration',
    status: 200,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: 'Restore a hidden message (moderation)',
    description: 'A moderator puts a hidden message back in the public read models.',
    response: DialogueResponse,
  })
  async restoreMessage(@Param() params: RestoreMessageParams, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new RestoreMessageCommand({ threadId: params.id.toLowerCase(), messageId: params.messageId.toLowerCase(), metadata });
    const outcome = await this.commands.execute<RestoreMessageCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

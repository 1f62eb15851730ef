import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { ApiDialogueErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { RestoreMessageCommand } from './restore-message.command';
import { RestoreMessageParams } from './restore-message.dto';

@ApiTags('dialogues')
@ApiBearerAuth()
@Controller('dialogues')
export class RestoreMessageController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/messages/:messageId/restoration')
  @HttpCode(200)
  @Roles(...RestoreMessageCommand.roles)
  @ApiOperation({ summary: 'Restore a hidden message (moderation)', description: 'A moderator puts a hidden message back in the public read models.' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
  async restoreMessage(@Param() params: RestoreMessageParams, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new RestoreMessageCommand({ threadId: params.id.toLowerCase(), messageId: params.messageId.toLowerCase(), metadata });
    const outcome = await this.commands.execute<RestoreMessageCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

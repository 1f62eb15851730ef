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
import { HideMessageCommand } from './hide-message.command';
import { HideMessageDto } from './hide-message.dto';

@ApiTags('dialogues')
@ApiBearerAuth()
@Controller('dialogues')
export class HideMessageController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/messages/:messageId/hidden')
  @HttpCode(200)
  @Roles(...HideMessageCommand.roles)
  @ApiOperation({
    summary: 'Hide a message (moderation)',
    description: 'A moderator hides a message with a reason code: it leaves the public read models, and stays in the history for auditors.',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
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

import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { ApiDialogueErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { UnfollowCommand } from './unfollow.command';
import { UnfollowDto } from './unfollow.dto';

@ApiTags('follows')
@ApiBearerAuth()
@Controller('follows')
export class UnfollowController {
  constructor(private readonly commands: CommandBus) {}

  @Post('withdrawal')
  @HttpCode(200)
  @Roles(...UnfollowCommand.roles)
  @ApiOperation({ summary: 'Stop following a thread or a petition', description: 'Nothing more is collected for you about it.' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
  async unfollow(@Body() body: UnfollowDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new UnfollowCommand({ kind: body.kind, targetId: body.id.toLowerCase(), metadata });
    const outcome = await this.commands.execute<UnfollowCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

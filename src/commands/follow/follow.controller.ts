import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { ApiDialogueErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { FollowCommand } from './follow.command';
import { FollowDto } from './follow.dto';

@ApiTags('follows')
@ApiBearerAuth()
@Controller('follows')
export class FollowController {
  constructor(private readonly commands: CommandBus) {}

  @Post('')
  @Roles(...FollowCommand.roles)
  @ApiOperation({ summary: 'Follow a thread or a petition', description: 'The portal then shows what changed since you last looked (GET /follows).' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
  async follow(@Body() body: FollowDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new FollowCommand({ kind: body.kind, targetId: body.id.toLowerCase(), metadata });
    const outcome = await this.commands.execute<FollowCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

import { Body, Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { FollowCommand } from './follow.command';
import { FollowDto } from './follow.dto';

@ApiTags('follows')
@Controller('follows')
export class FollowController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(FollowCommand, {
    path: '',
    status: 201,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: 'Follow a thread or a petition',
    description: 'The portal then shows what changed since you last looked (GET /follows).',
    response: DialogueResponse,
  })
  async follow(@Body() body: FollowDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new FollowCommand({ kind: body.kind, targetId: body.id.toLowerCase(), metadata });
    const outcome = await this.commands.execute<FollowCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

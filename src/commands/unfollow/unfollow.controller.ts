import { Body, Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { UnfollowCommand } from './unfollow.command';
import { UnfollowDto } from './unfollow.dto';

@ApiTags('follows')
@Controller('follows')
export class UnfollowController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(UnfollowCommand, {
    path: 'withdrawal',
    status: 200,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: 'Stop following a thread or a petition',
    description: 'Nothing more is collected for you about it.',
    response: DialogueResponse,
  })
  async unfollow(@Body() body: UnfollowDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new UnfollowCommand({ kind: body.kind, targetId: body.id.toLowerCase(), metadata });
    const outcome = await this.commands.execute<UnfollowCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { PostMessageCommand } from './post-message.command';
import { PostMessageDto } from './post-message.dto';

@ApiTags('dialogues')
@Controller('dialogues')
export class PostMessageController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(PostMessageCommand, {
    path: ':id/messages',
    status: 201,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: 'Post a message in a thread',
    description:
      "Citizens post under a display name; a registered official of the thread's council posts as that official, and may mark the reply as the council's answer.",
    response: DialogueResponse,
  })
  async postMessage(@Param('id', uuidParam('id')) id: string, @Body() body: PostMessageDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new PostMessageCommand({
      threadId: id,
      text: body.text,
      displayName: body.displayName,
      asCouncilAnswer: body.asCouncilAnswer ?? false,
      metadata,
    });
    const outcome = await this.commands.execute<PostMessageCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

import { Body, Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { OpenThreadCommand } from './open-thread.command';
import { OpenThreadDto } from './open-thread.dto';

@ApiTags('dialogues')
@Controller('dialogues')
export class OpenThreadController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(OpenThreadCommand, {
    path: '',
    status: 201,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: 'Open a thread with a council or one of its officials',
    description: 'A citizen raises a problem of their area with the council, or with a named official of it. The display name is what the public sees.',
    response: DialogueResponse,
  })
  async openThread(@Body() body: OpenThreadDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new OpenThreadCommand({
      councilId: body.councilId,
      officialId: body.officialId?.toLowerCase() ?? null,
      category: body.category,
      area: body.area,
      subject: body.subject,
      text: body.text,
      displayName: body.displayName,
      metadata,
    });
    const outcome = await this.commands.execute<OpenThreadCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

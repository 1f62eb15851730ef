import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { ApiDialogueErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { OpenThreadCommand } from './open-thread.command';
import { OpenThreadDto } from './open-thread.dto';

@ApiTags('dialogues')
@ApiBearerAuth()
@Controller('dialogues')
export class OpenThreadController {
  constructor(private readonly commands: CommandBus) {}

  @Post('')
  @Roles(...OpenThreadCommand.roles)
  @ApiOperation({
    summary: 'Open a thread with a council or one of its officials',
    description: 'A citizen raises a problem of their area with the council, or with a named official of it. The display name is what the public sees.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
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

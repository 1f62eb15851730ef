import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { EscalateThreadCommand } from './escalate-thread.command';
import { EscalateThreadDto } from './escalate-thread.dto';

@ApiTags('dialogues')
@Controller('dialogues')
export class EscalateThreadController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(EscalateThreadCommand, {
    path: ':id/escalation',
    status: 201,
    rateLimit: 'filing',
    errors: 'dialogue',
    summary: 'Escalate a thread into a petition',
    description:
      "The citizen who opened the thread files a citizens' petition to the thread's council, as its agent: the thread records the petition, the petition the thread. Signature collection opens at once.",
    response: DialogueResponse,
  })
  async escalateThread(@Param('id', uuidParam('id')) id: string, @Body() body: EscalateThreadDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new EscalateThreadCommand({
      threadId: id,
      title: body.title,
      subject: body.subject,
      requests: body.requests,
      reasons: body.reasons,
      metadata,
    });
    const outcome = await this.commands.execute<EscalateThreadCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { MakeCommitmentCommand } from './make-commitment.command';
import { MakeCommitmentDto } from './make-commitment.dto';

@ApiTags('dialogues')
@Controller('dialogues')
export class MakeCommitmentController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(MakeCommitmentCommand, {
    path: ':id/commitments',
    status: 201,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: 'Make a dated commitment in a thread',
    description:
      "“We will … by <date>”, by a registered official of the thread's council. The commitment watch records it missed once its day is over without being kept.",
    response: DialogueResponse,
  })
  async makeCommitment(@Param('id', uuidParam('id')) id: string, @Body() body: MakeCommitmentDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new MakeCommitmentCommand({ threadId: id, text: body.text, dueOn: body.dueOn, metadata });
    const outcome = await this.commands.execute<MakeCommitmentCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { KeepCommitmentCommand } from './keep-commitment.command';
import { KeepCommitmentDto } from './keep-commitment.dto';

@ApiTags('dialogues')
@Controller('dialogues')
export class KeepCommitmentController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(KeepCommitmentCommand, {
    path: ':id/commitments/:commitmentId/kept',
    status: 200,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: 'Mark a commitment kept, with evidence',
    description: 'By the official who made it (or the president), while it is open.',
    response: DialogueResponse,
  })
  async keepCommitment(
    @Param('id', uuidParam('id')) id: string,
    @Param('commitmentId', uuidParam('commitmentId')) commitmentId: string,
    @Body() body: KeepCommitmentDto,
    @Ctx() metadata: CommandMetadata,
  ): Promise<DialogueResponse> {
    const command = new KeepCommitmentCommand({ threadId: id, commitmentId, evidence: body.evidence, metadata });
    const outcome = await this.commands.execute<KeepCommitmentCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

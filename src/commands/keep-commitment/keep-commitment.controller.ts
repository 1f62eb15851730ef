import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { ApiDialogueErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { KeepCommitmentCommand } from './keep-commitment.command';
import { KeepCommitmentDto } from './keep-commitment.dto';

@ApiTags('dialogues')
@ApiBearerAuth()
@Controller('dialogues')
export class KeepCommitmentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/commitments/:commitmentId/kept')
  @HttpCode(200)
  @Roles(...KeepCommitmentCommand.roles)
  @ApiOperation({ summary: 'Mark a commitment kept, with evidence', description: 'By the official who made it (or the president), while it is open.' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
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

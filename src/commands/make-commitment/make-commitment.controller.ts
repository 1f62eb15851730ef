import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { ApiDialogueErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { MakeCommitmentCommand } from './make-commitment.command';
import { MakeCommitmentDto } from './make-commitment.dto';

@ApiTags('dialogues')
@ApiBearerAuth()
@Controller('dialogues')
export class MakeCommitmentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/commitments')
  @Roles(...MakeCommitmentCommand.roles)
  @ApiOperation({
    summary: 'Make a dated commitment in a thread',
    description:
      "“We will … by <date>”, by a registered official of the thread's council. The commitment watch records it missed once its day is over without being kept.",
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
  async makeCommitment(@Param('id', uuidParam('id')) id: string, @Body() body: MakeCommitmentDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new MakeCommitmentCommand({ threadId: id, text: body.text, dueOn: body.dueOn, metadata });
    const outcome = await this.commands.execute<MakeCommitmentCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

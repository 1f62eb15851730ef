import { Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { ProblemDocument } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { SignAuditCheckpointCommand } from './sign-audit-checkpoint.command';
import { SignAuditCheckpointResponse } from './sign-audit-checkpoint.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class SignAuditCheckpointController {
  constructor(private readonly commands: CommandBus) {}

  @Post('checkpoints')
  @HttpCode(200)
  @Roles(...SignAuditCheckpointCommand.roles)
  @ApiOperation({
    summary: 'Sign a checkpoint of the Merkle log now (admin)',
    description:
      'Brings the Merkle log up to the newest event and appends a signed checkpoint (tree size, root, position range, time, key id) to the audit stream. When the newest checkpoint already covers every event but itself, returns it with created: false.',
  })
  @ApiOkResponse({ type: SignAuditCheckpointResponse })
  @ApiUnauthorizedResponse({ type: ProblemDocument, description: 'UNAUTHENTICATED' })
  @ApiForbiddenResponse({ type: ProblemDocument, description: 'ROLE_NOT_ALLOWED' })
  @ApiConflictResponse({ type: ProblemDocument, description: 'NOTHING_TO_CHECKPOINT' })
  sign(@Ctx() metadata: CommandMetadata): Promise<SignAuditCheckpointResponse> {
    return this.commands.execute<SignAuditCheckpointCommand, SignAuditCheckpointResponse>(new SignAuditCheckpointCommand({ metadata }));
  }
}

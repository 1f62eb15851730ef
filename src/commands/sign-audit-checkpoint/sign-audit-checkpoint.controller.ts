import { Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { SignAuditCheckpointCommand } from './sign-audit-checkpoint.command';
import { SignAuditCheckpointResponse } from './sign-audit-checkpoint.dto';

@ApiTags('audit')
@Controller('audit')
export class SignAuditCheckpointController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(SignAuditCheckpointCommand, {
    path: 'checkpoints',
    status: 200,
    rateLimit: 'posting',
    errors: 'audit',
    summary: 'Sign a checkpoint of the Merkle log now (admin)',
    description:
      'Brings the Merkle log up to the newest event and appends a signed checkpoint (tree size, root, position range, time, key id) to the audit stream. When the newest checkpoint already covers every event but itself, returns it with created: false.',
    response: SignAuditCheckpointResponse,
  })
  sign(@Ctx() metadata: CommandMetadata): Promise<SignAuditCheckpointResponse> {
    return this.commands.execute<SignAuditCheckpointCommand, SignAuditCheckpointResponse>(new SignAuditCheckpointCommand({ metadata }));
  }
}

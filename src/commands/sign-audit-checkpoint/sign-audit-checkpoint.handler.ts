import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AuditLog } from '../../application/audit-log.service';
import { conflict } from '../../domain/shared/domain-error';
import { SignAuditCheckpointCommand } from './sign-audit-checkpoint.command';
import type { SignAuditCheckpointResponse } from './sign-audit-checkpoint.dto';

@CommandHandler(SignAuditCheckpointCommand)
export class SignAuditCheckpointHandler implements ICommandHandler<SignAuditCheckpointCommand, SignAuditCheckpointResponse> {
  constructor(private readonly log: AuditLog) {}

  async execute({ metadata }: SignAuditCheckpointCommand): Promise<SignAuditCheckpointResponse> {
    const { checkpoint, created } = await this.log.checkpoint(SignAuditCheckpointCommand, metadata);
    if (!checkpoint) throw conflict('NOTHING_TO_CHECKPOINT', 'The event log is empty');
    return { created, checkpoint };
  }
}

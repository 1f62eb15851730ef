import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SignatureChecks } from '../../application/signature-checks.service';
import { ReinstateSignaturesCommand, ReinstateSignaturesResult } from './reinstate-signatures.command';

@CommandHandler(ReinstateSignaturesCommand)
export class ReinstateSignaturesHandler implements ICommandHandler<ReinstateSignaturesCommand, ReinstateSignaturesResult> {
  constructor(private readonly checks: SignatureChecks) {}

  execute({ petitionId, invalidationId, reasonCode, signatureIds, metadata }: ReinstateSignaturesCommand): Promise<ReinstateSignaturesResult> {
    return this.checks.reinstate(ReinstateSignaturesCommand, petitionId, { invalidationId, reasonCode, ...(signatureIds ? { signatureIds } : {}) }, metadata);
  }
}

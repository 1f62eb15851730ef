import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../../application/clock';
import { SignatureChecks } from '../../application/signature-checks.service';
import { InvalidateSignaturesCommand, InvalidateSignaturesResult } from './invalidate-signatures.command';

@CommandHandler(InvalidateSignaturesCommand)
export class InvalidateSignaturesHandler implements ICommandHandler<InvalidateSignaturesCommand, InvalidateSignaturesResult> {
  constructor(private readonly checks: SignatureChecks) {}

  execute({ petitionId, reasonCode, criteria, metadata }: InvalidateSignaturesCommand): Promise<InvalidateSignaturesResult> {
    return this.checks.invalidate(InvalidateSignaturesCommand, petitionId, { invalidationId: newId(), reasonCode, criteria }, metadata);
  }
}

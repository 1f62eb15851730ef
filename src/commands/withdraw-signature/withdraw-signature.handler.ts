import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SignaturesService } from '../../application/signatures.service';
import { SignerIdentity } from '../../application/signer-identity.service';
import { resolveSignerIdentity } from '../../domain/signature/signer-identity';
import { WithdrawSignatureCommand, WithdrawSignatureResult } from './withdraw-signature.command';

@CommandHandler(WithdrawSignatureCommand)
export class WithdrawSignatureHandler implements ICommandHandler<WithdrawSignatureCommand, WithdrawSignatureResult> {
  constructor(
    private readonly signatures: SignaturesService,
    private readonly identity: SignerIdentity,
  ) {}

  async execute({ petitionId, identityNumber, channel = 'online', metadata }: WithdrawSignatureCommand): Promise<WithdrawSignatureResult> {
    const signer = resolveSignerIdentity(channel, metadata.actor, identityNumber, this.identity.mode);
    const signerHash = this.identity.signerHash(petitionId, signer);
    const command = { type: 'WithdrawSignature' as const, signerHash, channel };
    const appended = await this.signatures.decideOnSignerStream(WithdrawSignatureCommand, petitionId, signerHash, command, metadata);
    const event = appended.events[0];
    return { signatureId: event.type === 'SignatureWithdrawn' ? event.data.signatureId : '', position: appended.position! };
  }
}

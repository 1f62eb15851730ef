import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../../application/clock';
import { SignaturesService } from '../../application/signatures.service';
import { SignerIdentity } from '../../application/signer-identity.service';
import { resolveSignerIdentity } from '../../domain/signature/signer-identity';
import { SignPetitionCommand, SignPetitionResult } from './sign-petition.command';

@CommandHandler(SignPetitionCommand)
export class SignPetitionHandler implements ICommandHandler<SignPetitionCommand, SignPetitionResult> {
  constructor(
    private readonly signatures: SignaturesService,
    private readonly identity: SignerIdentity,
  ) {}

  async execute(c: SignPetitionCommand): Promise<SignPetitionResult> {
    const { petitionId, metadata } = c;
    const channel = c.channel ?? 'online';
    const signer = resolveSignerIdentity(channel, metadata.actor, c.identityNumber, this.identity.mode);
    const signerHash = this.identity.signerHash(petitionId, signer);
    const signatureId = newId();
    const { signedAt, position, appended } = await this.signatures.sign(
      SignPetitionCommand,
      petitionId,
      {
        type: 'SignPetition',
        signatureId,
        signerHash,
        channel,
        basis: c.basis,
        electoralListRegistered: c.electoralListRegistered,
        ...(c.provinceId ? { provinceId: c.provinceId } : {}),
        ...(c.paperSheetRef ? { paperSheetRef: c.paperSheetRef } : {}),
      },
      metadata,
    );
    return {
      signatureId,
      receipt: this.identity.receipt({ petitionId, signatureId, signerHash, position: signedAt }),
      position,
      eventHash: appended.hashes[0],
    };
  }
}

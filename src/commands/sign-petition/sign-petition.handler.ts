import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../../application/clock';
import { SignaturesService } from '../../application/signatures.service';
import { SignerIdentity } from '../../application/signer-identity.service';
import { SignatoryVault } from '../../application/signatory-vault.service';
import { resolveSignerIdentity } from '../../domain/signature/signer-identity';
import { resolveParticulars } from '../../domain/vault/particulars';
import { SignPetitionCommand, SignPetitionResult } from './sign-petition.command';

@CommandHandler(SignPetitionCommand)
export class SignPetitionHandler implements ICommandHandler<SignPetitionCommand, SignPetitionResult> {
  constructor(
    private readonly signatures: SignaturesService,
    private readonly identity: SignerIdentity,
    private readonly vault: SignatoryVault,
  ) {}

  async execute(c: SignPetitionCommand): Promise<SignPetitionResult> {
    const { petitionId, metadata } = c;
    const channel = c.channel ?? 'online';
    const signer = resolveSignerIdentity(channel, metadata.actor, c.identityNumber, this.identity.mode);
    const signerHash = this.identity.signerHash(petitionId, signer);
    const signatureId = newId();
    const particulars = resolveParticulars(channel, metadata.actor, signer, c, this.identity.mode);
    // Sealed first (its key stored), then the event that holds the ciphertext; a refused signature takes its key away.
    const signatory = await this.vault.seal(petitionId, signatureId, particulars);
    const { signedAt, position, appended } = await this.signatures
      .sign(
        SignPetitionCommand,
        petitionId,
        {
          type: 'SignPetition',
          signatureId,
          signerHash,
          channel,
          basis: c.basis,
          ...(c.meetsElectoralRegistrationConditions !== undefined ? { meetsElectoralRegistrationConditions: c.meetsElectoralRegistrationConditions } : {}),
          ...(c.electoralListRegistered !== undefined ? { electoralListRegistered: c.electoralListRegistered } : {}),
          ...(c.provinceId ? { provinceId: c.provinceId } : {}),
          ...(c.paperSheet ? { paperSheet: c.paperSheet } : {}),
          signatory,
        },
        metadata,
      )
      .catch(async (e: unknown) => {
        await this.vault.discard(signatory.keyId);
        throw e;
      });
    return {
      signatureId,
      receipt: this.identity.receipt({ petitionId, signatureId, signerHash, position: signedAt }),
      position,
      eventHash: appended.hashes[0],
    };
  }
}

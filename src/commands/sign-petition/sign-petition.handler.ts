import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../shared/clock';
import type { RequestContext } from '../shared/request-context';
import { SignerIdentity } from '../shared/signer-identity.service';
import { SignaturesService } from '../shared/signatures.service';
import { resolveSignerIdentity } from '../../domain/signature/signer-identity';
import type { SignPetitionDto, SignPetitionResponse } from './sign-petition.dto';

export class SignPetitionCommand {
  constructor(readonly petitionId: string, readonly body: SignPetitionDto, readonly request: RequestContext) {}
}

@CommandHandler(SignPetitionCommand)
export class SignPetitionHandler implements ICommandHandler<SignPetitionCommand, SignPetitionResponse> {
  constructor(private readonly signatures: SignaturesService, private readonly identity: SignerIdentity) {}

  async execute({ petitionId, body, request }: SignPetitionCommand): Promise<SignPetitionResponse> {
    const channel = body.channel ?? 'online';
    const signerHash = this.identity.signerHash(petitionId, resolveSignerIdentity(channel, request.actor, body.identityNumber, this.identity.mode));
    const signatureId = newId();
    const { signedAt, position } = await this.signatures.sign(
      petitionId,
      {
        type: 'SignPetition',
        signatureId,
        signerHash,
        channel,
        basis: body.basis,
        electoralListRegistered: body.electoralListRegistered,
        ...(body.provinceId ? { provinceId: body.provinceId } : {}),
        ...(body.paperSheetRef ? { paperSheetRef: body.paperSheetRef } : {}),
      },
      request,
    );
    return { signatureId, receipt: this.identity.receipt({ petitionId, signatureId, signerHash, position: signedAt }), position };
  }
}

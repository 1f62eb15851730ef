import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../shared/clock';
import type { RequestContext } from '../shared/request-context';
import { SignerIdentity } from '../shared/signer-identity.service';
import { SignaturesService } from '../shared/signatures.service';
import type { SignPetitionDto, SignPetitionResponse } from './sign-petition.dto';

export class SignPetitionCommand {
  constructor(readonly petitionId: string, readonly body: SignPetitionDto, readonly request: RequestContext) {}
}

@CommandHandler(SignPetitionCommand)
export class SignPetitionHandler implements ICommandHandler<SignPetitionCommand, SignPetitionResponse> {
  constructor(private readonly signatures: SignaturesService, private readonly identity: SignerIdentity) {}

  async execute({ petitionId, body, request }: SignPetitionCommand): Promise<SignPetitionResponse> {
    const signerHash = this.identity.signerHash(petitionId, body.identityNumber);
    const signatureId = newId();
    const appended = await this.signatures.decideOnSignerStream(
      petitionId,
      signerHash,
      {
        type: 'SignPetition',
        signatureId,
        signerHash,
        channel: body.channel ?? 'online',
        basis: body.basis,
        electoralListRegistered: body.electoralListRegistered,
        ...(body.provinceId ? { provinceId: body.provinceId } : {}),
        ...(body.paperSheetRef ? { paperSheetRef: body.paperSheetRef } : {}),
      },
      request,
      'SignPetition',
    );
    const position = appended.position!;
    await this.signatures.checkThreshold(petitionId, request, appended.eventIds[0]);
    return { signatureId, receipt: this.identity.receipt({ petitionId, signatureId, signerHash, position }), position };
  }
}

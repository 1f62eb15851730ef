import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SignatoryVault } from '../../application/signatory-vault.service';
import { SignerIdentity } from '../../application/signer-identity.service';
import { hasRole } from '../../domain/shared/actor';
import { DomainError, forbidden, refused } from '../../domain/shared/domain-error';
import { EraseSignatoryDataCommand, EraseSignatoryDataResult } from './erase-signatory-data.command';

@CommandHandler(EraseSignatoryDataCommand)
export class EraseSignatoryDataHandler implements ICommandHandler<EraseSignatoryDataCommand, EraseSignatoryDataResult> {
  constructor(
    private readonly vault: SignatoryVault,
    private readonly identity: SignerIdentity,
  ) {}

  async execute(c: EraseSignatoryDataCommand): Promise<EraseSignatoryDataResult> {
    const { actor } = c.metadata;
    const byAdmin = c.identityNumber !== undefined || c.requestReference !== undefined;
    let identityNumber: string;
    if (byAdmin) {
      if (!hasRole(actor, 'admin'))
        throw forbidden('ROLE_NOT_ALLOWED', 'Erasing someone else’s data on a written request is for an admin; erase your own without identityNumber');
      if (!c.identityNumber || !c.requestReference) {
        throw refused('REQUEST_REFERENCE_REQUIRED', 'An erasure on a written request gives the signatory’s identityNumber and the requestReference');
      }
      identityNumber = c.identityNumber;
    } else {
      if (!actor.identityNumber) {
        throw forbidden('IDENTITY_NOT_ATTESTED', 'Erasing your data needs a token in which the identity provider attests your identity number (cin claim)');
      }
      identityNumber = actor.identityNumber;
    }
    const keysByPetition = await this.vault.keysOfSubject(identityNumber, c.petitionId);
    if (keysByPetition.size === 0) throw new DomainError('SIGNATORY_DATA_NOT_FOUND', 'No readable personal data of this signatory is left', 'not_found');
    let erased = 0;
    let position = '0';
    for (const [petitionId, records] of keysByPetition) {
      // The event first: an erasure is never done without its record; then the keys go for good.
      const appended = await this.vault.run(
        EraseSignatoryDataCommand,
        petitionId,
        {
          type: 'EraseSignatoryData',
          requestedBy: byAdmin ? 'admin' : 'signatory',
          ...(byAdmin ? { requestReference: c.requestReference } : {}),
          keys: records.map((r) => ({ signatureId: r.signatureId, keyId: r.keyId })),
        },
        // A signatory is recorded under their per-petition pseudonym, as on their signature: the history never links their petitions.
        byAdmin ? c.metadata : { ...c.metadata, actor: { ...actor, id: this.identity.accountPseudonym(petitionId, actor.id) } },
      );
      erased += await this.vault.deleteKeys(records.map((r) => r.keyId));
      position = appended.position ?? position;
    }
    return { erased, petitions: [...keysByPetition.keys()], position };
  }
}

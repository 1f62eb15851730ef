/**
 * Signing and withdrawing signatures on the signer's own stream, then — outside the signer's
 * transaction — recording SignatureThresholdReached on the lifecycle stream once the count
 * meets the threshold. The petition's history is never replayed: the lifecycle stream is short
 * and the count comes from the caught-up tally. Application core: the signing and withdrawal
 * handlers pass their command's definition (name and roles) and metadata.
 */
import { Injectable, Logger } from '@nestjs/common';
import { systemActor } from '../domain/shared/actor';
import { thresholdShortfall } from '../domain/petition/petition.decide';
import { decideSignature, evolveSigner, initialSignerState, SignatureCommand, SignerState } from '../domain/signature/signature.decide';
import { SignatureEvent, signatureStreamId } from '../domain/signature/signature.events';
import type { PetitionState } from '../domain/petition/petition.state';
import type { RecordedEvent } from '../infrastructure/event-store/event-store.port';
import type { CommandDefinition } from './command-definition';
import type { CommandMetadata } from './command-metadata';
import type { Appended } from './event-sourcing.service';
import { PetitionCommands } from './petition-commands.service';
import { SignatureTallyService } from './signature-tally.service';
import { SignerIdentity } from './signer-identity.service';

/** The service's own command, issued after a signature that may have met the threshold. */
const RecordThresholdReached: CommandDefinition = { commandName: 'RecordThresholdReached', roles: ['system'] };

/** A withdrawal learns who recorded the current signature from that event's metadata. */
function withSigner(command: SignatureCommand, events: RecordedEvent[]): SignatureCommand {
  if (command.type !== 'WithdrawSignature') return command;
  const signed = [...events].reverse().find((e) => e.type.startsWith('PetitionSigned.'));
  return signed ? { ...command, signedBy: signed.metadata.actor.id } : command;
}

@Injectable()
export class SignaturesService {
  private readonly logger = new Logger('Signatures');

  constructor(
    private readonly petitions: PetitionCommands,
    private readonly tallies: SignatureTallyService,
    private readonly identity: SignerIdentity,
  ) {}

  /** Decides on the signer's stream; `petition` is the lifecycle state the decision was made on. */
  async decideOnSignerStream(
    definition: CommandDefinition,
    petitionId: string,
    signerHash: string,
    command: SignatureCommand,
    metadata: CommandMetadata,
  ): Promise<Appended & { petition: PetitionState }> {
    const petition = await this.petitions.loadPetition(petitionId);
    const now = this.petitions.now();
    // Online, the citizen is recorded under a per-petition pseudonym; staff entering paper sheets by their id.
    const actor = command.channel === 'online' ? { ...metadata.actor, id: this.identity.accountPseudonym(petitionId, metadata.actor.id) } : metadata.actor;
    const ctx = this.petitions.context(actor, now);
    return this.petitions.eventSourcing
      .execute<SignerState, SignatureEvent>(
        signatureStreamId(petitionId, signerHash),
        evolveSigner,
        initialSignerState,
        (signer, loaded) => decideSignature(withSigner(command, loaded.events), signer, petition.state, ctx),
        { ...metadata, actor, command: definition.commandName, allowedRoles: definition.roles },
        now,
      )
      .then((appended) => ({ ...appended, petition: petition.state }));
  }

  /**
   * A signature, then the threshold check it may trigger. `position` is the request's last event:
   * the threshold event when this signature reached it, else the signature itself.
   */
  async sign(
    definition: CommandDefinition,
    petitionId: string,
    command: Extract<SignatureCommand, { type: 'SignPetition' }>,
    metadata: CommandMetadata,
  ): Promise<{ appended: Appended; signedAt: string; position: string }> {
    const appended = await this.decideOnSignerStream(definition, petitionId, command.signerHash, command, metadata);
    const signedAt = appended.position!;
    const threshold = await this.checkThreshold(petitionId, metadata, appended.eventIds[0], appended.petition);
    return { appended, signedAt, position: threshold ?? signedAt };
  }

  /**
   * Records SignatureThresholdReached when the tally meets the threshold, returning its position.
   * Never fails the caller's signature, which is already stored: the next signature checks again.
   */
  async checkThreshold(petitionId: string, cause: CommandMetadata, causationId: string, known?: PetitionState): Promise<string | null> {
    try {
      // The state the signature was decided on is enough to know there is nothing to do (the usual case).
      const state = known ?? (await this.petitions.loadPetition(petitionId)).state;
      if (!state || state.status !== 'collecting' || state.thresholdReached || !state.thresholdApplies) return null;
      const tally = await this.tallies.tallyOf(petitionId);
      if (!thresholdShortfall(state, tally).met) return null;
      const outcome = await this.petitions.run(
        RecordThresholdReached,
        petitionId,
        async () => ({ type: 'RecordThresholdReached', tally: await this.tallies.tallyOf(petitionId) }),
        { actor: systemActor('threshold-check'), correlationId: cause.correlationId, causationId },
      );
      return outcome.position;
    } catch (e) {
      const reason = (e as Error).message;
      this.logger.warn(`Threshold check for ${petitionId} failed and will run again at the next signature: ${reason}`);
      return null;
    }
  }
}

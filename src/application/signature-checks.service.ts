/**
 * Fraud checks (application core): invalidating signatures by criteria and reinstating them, on
 * the petition's invalidation stream. Candidates come from the signatures read model (indexed);
 * each is then read from its own signer stream, and the decider keeps only what those streams
 * say is counted and matching. One event lists them all; its append expects the revision read,
 * so two checks of the same petition never list a signature twice.
 */
import { Inject, Injectable } from '@nestjs/common';
import { toDomainEvent } from '../domain/event-types';
import {
  decideInvalidation,
  requireSignatureCheck,
  evolveInvalidation,
  InvalidationCommand,
  initialInvalidationState,
  InvalidationState,
  SignatureOnRecord,
} from '../domain/signature/invalidation.decide';
import { InvalidationCriteria, InvalidationEvent, invalidationStreamId } from '../domain/signature/invalidation.events';
import { evolveSigner, initialSignerState, SignerState } from '../domain/signature/signature.decide';
import { SignatureEvent, signatureStreamId } from '../domain/signature/signature.events';
import { EVENT_STORE, EventStore, RecordedEvent, StreamNotFoundError } from '../infrastructure/event-store/event-store.port';
import type { CommandDefinition } from './command-definition';
import type { CommandMetadata } from './command-metadata';
import { PetitionCommands } from './petition-commands.service';
import { SIGNATURE_CANDIDATES, SignatureCandidate, SignatureCandidates } from './signature-candidates.port';

/** One decision lists at most this many signatures: under 500 KB of event, well under EventStoreDB's 1 MiB default append limit (MaxAppendSize). */
export const MAX_SIGNATURES_PER_INVALIDATION = 2000;
/** Signer streams read at once while checking candidates. */
const READ_CONCURRENCY = 16;

export interface CheckOutcome {
  invalidationId: string;
  count: number;
  /** Global position of the event (decimal string), for read-your-writes. */
  position: string;
}

@Injectable()
export class SignatureChecks {
  constructor(
    private readonly petitions: PetitionCommands,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SIGNATURE_CANDIDATES) private readonly candidates: SignatureCandidates,
  ) {}

  async invalidate(
    definition: CommandDefinition,
    petitionId: string,
    input: { invalidationId: string; reasonCode: string; criteria: InvalidationCriteria },
    metadata: CommandMetadata,
  ): Promise<CheckOutcome> {
    return this.run(definition, petitionId, metadata, async () => {
      // One more than the maximum: enough to tell the clerk to narrow the criteria.
      const selection = await this.candidates.select(petitionId, input.criteria, MAX_SIGNATURES_PER_INVALIDATION + 1);
      return {
        type: 'InvalidateSignatures',
        invalidationId: input.invalidationId,
        reasonCode: input.reasonCode,
        criteria: input.criteria,
        candidates: await this.onRecord(petitionId, selection.candidates),
        maxSignatures: MAX_SIGNATURES_PER_INVALIDATION,
      };
    });
  }

  async reinstate(
    definition: CommandDefinition,
    petitionId: string,
    input: { invalidationId: string; reasonCode: string; signatureIds?: string[] },
    metadata: CommandMetadata,
  ): Promise<CheckOutcome> {
    return this.run(definition, petitionId, metadata, async (state) => {
      const ids = input.signatureIds?.length ? input.signatureIds : (state.invalidations[input.invalidationId]?.signatureIds ?? []);
      const candidates = ids.length ? await this.candidates.byIds(petitionId, ids) : [];
      return {
        type: 'ReinstateSignatures',
        invalidationId: input.invalidationId,
        reasonCode: input.reasonCode,
        ...(input.signatureIds?.length ? { signatureIds: input.signatureIds } : {}),
        candidates: await this.onRecord(petitionId, candidates),
      };
    });
  }

  private async run(
    definition: CommandDefinition,
    petitionId: string,
    metadata: CommandMetadata,
    command: (state: InvalidationState) => Promise<InvalidationCommand>,
  ): Promise<CheckOutcome> {
    const petition = await this.petitions.loadPetition(petitionId);
    const now = this.petitions.now();
    const ctx = this.petitions.context(metadata.actor, now);
    const result = await this.petitions.eventSourcing.execute<InvalidationState, InvalidationEvent>(
      invalidationStreamId(petitionId),
      evolveInvalidation,
      initialInvalidationState,
      async (state) => {
        // The lifecycle rules first (who, which status), before any signer stream is read.
        requireSignatureCheck(petition.state, ctx);
        return decideInvalidation(await command(state), state, petition.state, ctx);
      },
      { ...metadata, command: definition.commandName, allowedRoles: definition.roles },
      now,
    );
    const event = result.events[0] as InvalidationEvent;
    return { invalidationId: event.data.invalidationId, count: event.data.count, position: result.position! };
  }

  /** What each candidate's signer stream records now: the decision's ground truth. */
  private async onRecord(petitionId: string, candidates: SignatureCandidate[]): Promise<SignatureOnRecord[]> {
    const found: SignatureOnRecord[] = [];
    for (let i = 0; i < candidates.length; i += READ_CONCURRENCY) {
      const batch = await Promise.all(candidates.slice(i, i + READ_CONCURRENCY).map((c) => this.readSigner(petitionId, c)));
      for (const record of batch) if (record) found.push(record);
    }
    return found;
  }

  private async readSigner(petitionId: string, candidate: SignatureCandidate): Promise<SignatureOnRecord | null> {
    let recorded: RecordedEvent[];
    try {
      recorded = await this.store.readStream(signatureStreamId(petitionId, candidate.signerHash));
    } catch (e) {
      if (e instanceof StreamNotFoundError) return null;
      throw e;
    }
    let signer: SignerState = initialSignerState;
    let signed: (SignatureEvent & { type: 'PetitionSigned' }) | null = null;
    let signedPosition = 0n;
    for (const r of recorded) {
      const event = toDomainEvent(r.type, r.data) as SignatureEvent | null;
      if (!event) continue;
      signer = evolveSigner(signer, event);
      if (event.type === 'PetitionSigned' && event.data.signatureId === candidate.signatureId) {
        signed = event;
        signedPosition = r.position;
      }
    }
    if (!signed) return null; // the read model named a signature its signer stream does not hold
    const d = signed.data;
    return {
      signatureId: d.signatureId,
      signerHash: d.signerHash,
      channel: d.channel,
      ...(d.provinceId ? { provinceId: d.provinceId } : {}),
      ...(d.paperSheet ? { paperSheet: d.paperSheet.sheet } : {}),
      signedAt: d.signedAt,
      signedPosition: signedPosition.toString(),
      standing: signer.status === 'signed' && signer.signatureId === d.signatureId,
    };
  }
}

import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../domain/shared/domain-error';
import { toDomainEvent } from '../../domain/event-types';
import { petitionStreamId } from '../../domain/petition/petition.events';
import { signatureStreamId } from '../../domain/signature/signature.events';
import { evolveInvalidation, initialInvalidationState } from '../../domain/signature/invalidation.decide';
import { InvalidationEvent, invalidationStreamId } from '../../domain/signature/invalidation.events';
import { Public } from '../../infrastructure/auth/auth.guard';
import { EVENT_STORE, EventStore, RecordedEvent, StreamNotFoundError } from '../../infrastructure/event-store/event-store.port';
import { ProblemDocument } from '../../infrastructure/http/openapi';
import { SignerIdentity } from '../../application/signer-identity.service';

const invalid = () => new DomainError('RECEIPT_INVALID', 'This receipt was not issued by this service or was altered', 'not_found');

/** A signer proves, without revealing who they are, that their signature is on record and counted. */
@ApiTags('signatures')
@Controller('receipts')
export class ReceiptsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly identity: SignerIdentity,
  ) {}

  @Get(':receipt')
  @Public()
  @ApiOperation({
    summary: 'Verify a signature receipt',
    description:
      'Says whether the signature is on record, withdrawn or invalidated by the council (with the reason code), and included in the count submitted to the council.',
  })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'RECEIPT_INVALID' })
  async verify(@Param('receipt') receipt: string) {
    const content = this.identity.openReceipt(receipt);
    if (!content) throw invalid();
    const signer = await this.read(signatureStreamId(content.petitionId, content.signerHash));
    const signed = signer.find((e) => e.type.startsWith('PetitionSigned.') && (e.data as { signatureId: string }).signatureId === content.signatureId);
    if (!signed) throw invalid();
    const withdrawn = signer.find((e) => e.type.startsWith('SignatureWithdrawn.') && (e.data as { signatureId: string }).signatureId === content.signatureId);
    const submission = (await this.read(petitionStreamId(content.petitionId)))
      .map((e) => toDomainEvent(e.type, e.data))
      .find((e) => e?.type === 'PetitionSubmittedToCouncil');
    // The council's fraud checks: the petition's invalidation stream (a handful of decisions).
    const checks = (await this.read(invalidationStreamId(content.petitionId)))
      .map((e) => toDomainEvent(e.type, e.data) as InvalidationEvent | null)
      .reduce((state, e) => (e ? evolveInvalidation(state, e) : state), initialInvalidationState);
    const invalidationId = withdrawn ? undefined : checks.invalidated[content.signatureId];
    const countedUpTo = submission?.type === 'PetitionSubmittedToCouncil' ? BigInt(submission.data.countedUpToPosition) : null;
    return {
      valid: true,
      petitionId: content.petitionId,
      signatureId: content.signatureId,
      signedAt: signed.metadata.occurredAt,
      position: signed.position.toString(),
      status: withdrawn ? 'withdrawn' : invalidationId ? 'invalidated' : 'signed',
      ...(withdrawn ? { withdrawnAt: withdrawn.metadata.occurredAt } : {}),
      ...(invalidationId ? { invalidationId, invalidationReason: checks.invalidations[invalidationId].reasonCode } : {}),
      // Counted in the submission: signed at or before the counted position, not withdrawn by then.
      includedInSubmission: countedUpTo === null ? null : signed.position <= countedUpTo && (!withdrawn || withdrawn.position > countedUpTo),
    };
  }

  private async read(streamId: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(streamId);
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
  }
}

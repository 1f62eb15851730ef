import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ReceiptVerification } from '../shared/responses';
import { ReceiptProof } from '../shared/operation-responses';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { AuditLog } from '../../application/audit-log.service';

const invalid = () => new DomainError('RECEIPT_INVALID', 'This receipt was not issued by this service or was altered', 'not_found');

/** A signer proves, without revealing who they are, that their signature is on record and counted. */
@ApiTags('signatures')
@Controller('receipts')
export class ReceiptsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly identity: SignerIdentity,
    private readonly log: AuditLog,
  ) {}

  @Get(':receipt')
  @Public()
  @ApiOperation({
    summary: 'Verify a signature receipt',
    description:
      'Says whether the signature is on record, withdrawn or invalidated by the council (with the reason code), and included in the count submitted to the council.',
  })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'RECEIPT_INVALID' })
  @ApiOkResponse({ type: ReceiptVerification })
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
      eventHash: signed.metadata.chain?.hash ?? null,
      status: withdrawn ? 'withdrawn' : invalidationId ? 'invalidated' : 'signed',
      ...(withdrawn ? { withdrawnAt: withdrawn.metadata.occurredAt } : {}),
      ...(invalidationId ? { invalidationId, invalidationReason: checks.invalidations[invalidationId].reasonCode } : {}),
      // Counted in the submission: signed at or before the counted position, not withdrawn by then.
      includedInSubmission: countedUpTo === null ? null : signed.position <= countedUpTo && (!withdrawn || withdrawn.position > countedUpTo),
    };
  }

  @Get(':receipt/proof')
  @Public()
  @ApiOperation({
    summary: 'Proof that the signature is in a signed checkpoint of the Merkle log',
    description:
      'Once a checkpoint covers the signature: the PetitionSigned event’s hash (compare it with the eventHash you were given when signing), its inclusion proof and the signed checkpoint. Verify offline: leaf = SHA-256(0x00 ‖ eventHash bytes), RFC 9162 §2.1.3.2 to the checkpoint’s root, and the checkpoint’s Ed25519 signature with GET /audit/public-key.',
  })
  @ApiOkResponse({ type: ReceiptProof })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'RECEIPT_INVALID' })
  @ApiConflictResponse({ type: ProblemDocument, description: 'NOT_YET_CHECKPOINTED, NO_CHECKPOINT_YET' })
  async proof(@Param('receipt') receipt: string) {
    const content = this.identity.openReceipt(receipt);
    if (!content) throw invalid();
    const signer = await this.read(signatureStreamId(content.petitionId, content.signerHash));
    const signed = signer.find((e) => e.type.startsWith('PetitionSigned.') && (e.data as { signatureId: string }).signatureId === content.signatureId);
    const eventHash = signed?.metadata.chain?.hash;
    if (!signed || !eventHash) throw invalid();
    const checkpoint = await this.log.latestCheckpoint();
    if (!checkpoint) throw new DomainError('NO_CHECKPOINT_YET', 'No checkpoint has been signed yet', 'conflict');
    const inclusion = await this.log.inclusion(signed.position, checkpoint.treeSize);
    return { petitionId: content.petitionId, signatureId: content.signatureId, eventHash, ...inclusion, checkpoint };
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

/**
 * Candidates for a fraud check, from the signatures read model: one indexed query within the
 * petition (petitionId with status, channel, province or sheet, then signedAt), never a scan of
 * every signature. It first waits (bounded) for the read model to reach the event log's head, so
 * signatures given just before the check are seen; the decision itself rests on the signer streams.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { CandidateSelection, SignatureCandidate, SignatureCandidates } from '../../application/signature-candidates.port';
import type { InvalidationCriteria } from '../../domain/signature/invalidation.events';
import { EVENT_STORE, EventStore } from '../../infrastructure/event-store/event-store.port';
import type { Filter } from '../../infrastructure/read-store/read-store.port';
import { SIGNATURES, SignatureDoc } from '../../projections/signatures.projection';
import { ReadModels } from '../shared/read-models.service';

const PAGE = 1000;

@Injectable()
export class ReadModelSignatureCandidates implements SignatureCandidates {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  async select(petitionId: string, c: InvalidationCriteria, limit: number): Promise<CandidateSelection> {
    const freshness = await this.readModels.freshness('signatures', await this.events.headPosition());
    const collection = await this.readModels.collection('signatures', SIGNATURES);
    if (c.signatureIds?.length) {
      const docs = await this.byIds(petitionId, c.signatureIds);
      return { candidates: docs.slice(0, limit), upToPosition: freshness.position };
    }
    const signedAt =
      c.signedFrom || c.signedBefore ? { ...(c.signedFrom ? { $gte: c.signedFrom } : {}), ...(c.signedBefore ? { $lt: c.signedBefore } : {}) } : undefined;
    const filter: Filter = {
      petitionId,
      status: 'signed',
      ...(signedAt ? { signedAt } : {}),
      ...(c.channel ? { channel: c.channel } : {}),
      ...(c.provinceId ? { provinceId: c.provinceId } : {}),
      ...(c.paperSheet !== undefined ? { paperSheet: c.paperSheet } : {}),
    };
    const candidates: SignatureCandidate[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.readModels.store.find<SignatureDoc>(collection, filter, {
        sort: { field: 'signedAt', direction: 1 },
        limit: Math.min(PAGE, limit - candidates.length),
        ...(cursor ? { cursor } : {}),
      });
      candidates.push(...page.items.map((d) => ({ signatureId: d._id, signerHash: d.signerHash })));
      cursor = page.nextCursor ?? undefined;
    } while (cursor && candidates.length < limit);
    return { candidates, upToPosition: freshness.position };
  }

  async byIds(petitionId: string, signatureIds: string[]): Promise<SignatureCandidate[]> {
    const collection = await this.readModels.collection('signatures', SIGNATURES);
    const docs = await this.readModels.store.getMany<SignatureDoc>(collection, signatureIds);
    return docs.filter((d) => d.petitionId === petitionId).map((d) => ({ signatureId: d._id, signerHash: d.signerHash }));
  }
}

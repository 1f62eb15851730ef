/**
 * signatures: one pseudonymous document per signature (signer hash, channel, province, time,
 * status: signed (counted), withdrawn or invalidated) — never an identity number, name or address.
 * The paper sheet number is kept for the council's fraud checks (criteria) but not published.
 * signature_days: per petition and UTC day, signatures given, withdrawn, invalidated and
 * reinstated that day, for the signing-history chart.
 */
import type { ReadDocument } from '../infrastructure/read-store/read-store.port';
import type { DocKey, Projection } from './projection';

export const SIGNATURES = 'signatures';
export const SIGNATURE_DAYS = 'signature_days';

export interface SignatureDoc extends ReadDocument {
  petitionId: string;
  signerHash: string;
  channel: string;
  provinceId: string | null;
  signedAt: string;
  status: 'signed' | 'withdrawn' | 'invalidated';
  withdrawnAt: string | null;
  /**
   * Paper: the number of the sheet it was entered from (for fraud checks; never published). Null
   * for a PetitionSigned.v1 paper signature, whose free-text reference is not a sheet number.
   */
  paperSheet?: number | null;
  /** While invalidated: the decision, its reason code and time. */
  invalidationId?: string | null;
  invalidationReason?: string | null;
  invalidatedAt?: string | null;
}

export interface SignatureDayDoc extends ReadDocument {
  petitionId: string;
  day: string;
  signed: number;
  withdrawn: number;
  invalidated?: number;
  reinstated?: number;
}

const dayKey = (petitionId: string, iso: string) => `${petitionId}:${iso.slice(0, 10)}`;

export function signaturesProjection(): Projection {
  return {
    name: 'signatures',
    // 2: invalidation states, the paper sheet reference, fraud-check indexes. 3: the sheet number.
    version: 3,
    collections: [
      {
        name: SIGNATURES,
        indexes: [
          {
            fields: [
              { field: 'petitionId', direction: 1 },
              { field: 'signedAt', direction: 1 },
            ],
          },
          // Fraud checks select candidates by these criteria within one petition.
          ...['status', 'channel', 'provinceId', 'paperSheet'].map((field) => ({
            fields: [
              { field: 'petitionId', direction: 1 as const },
              { field, direction: 1 as const },
              { field: 'signedAt', direction: 1 as const },
            ],
          })),
        ],
      },
      {
        name: SIGNATURE_DAYS,
        indexes: [
          {
            fields: [
              { field: 'petitionId', direction: 1 },
              { field: 'day', direction: 1 },
            ],
          },
        ],
      },
    ],
    keys(event): DocKey[] {
      if (event.type === 'PetitionSigned') {
        return [
          { collection: SIGNATURES, id: event.data.signatureId },
          { collection: SIGNATURE_DAYS, id: dayKey(event.data.petitionId, event.data.signedAt) },
        ];
      }
      if (event.type === 'SignatureWithdrawn') {
        return [
          { collection: SIGNATURES, id: event.data.signatureId },
          { collection: SIGNATURE_DAYS, id: dayKey(event.data.petitionId, event.data.withdrawnAt) },
        ];
      }
      if (event.type === 'SignaturesInvalidated' || event.type === 'SignaturesReinstated') {
        const at = event.type === 'SignaturesInvalidated' ? event.data.invalidatedAt : event.data.reinstatedAt;
        return [
          ...event.data.signatures.map((s) => ({ collection: SIGNATURES, id: s.signatureId })),
          { collection: SIGNATURE_DAYS, id: dayKey(event.data.petitionId, at) },
        ];
      }
      return [];
    },
    apply(event, uow) {
      if (event.type === 'PetitionSigned') {
        const d = event.data;
        uow.change<SignatureDoc>(SIGNATURES, d.signatureId, event, () => ({
          _id: d.signatureId,
          petitionId: d.petitionId,
          signerHash: d.signerHash,
          channel: d.channel,
          provinceId: d.provinceId ?? null,
          signedAt: d.signedAt,
          status: 'signed',
          withdrawnAt: null,
          paperSheet: d.paperSheet?.sheet ?? null,
          invalidationId: null,
          invalidationReason: null,
          invalidatedAt: null,
        }));
        uow.change<SignatureDayDoc>(SIGNATURE_DAYS, dayKey(d.petitionId, d.signedAt), event, (day) => ({
          _id: dayKey(d.petitionId, d.signedAt),
          petitionId: d.petitionId,
          day: d.signedAt.slice(0, 10),
          ...day,
          signed: (day?.signed ?? 0) + 1,
          withdrawn: day?.withdrawn ?? 0,
        }));
      } else if (event.type === 'SignatureWithdrawn') {
        const d = event.data;
        // An invalidated signature was no longer counted: its withdrawal takes nothing off the series.
        const wasCounted = uow.get<SignatureDoc>(SIGNATURES, d.signatureId)?.status !== 'invalidated';
        uow.change<SignatureDoc>(SIGNATURES, d.signatureId, event, (sig) => (sig ? { ...sig, status: 'withdrawn', withdrawnAt: d.withdrawnAt } : null));
        uow.change<SignatureDayDoc>(SIGNATURE_DAYS, dayKey(d.petitionId, d.withdrawnAt), event, (day) => ({
          _id: dayKey(d.petitionId, d.withdrawnAt),
          petitionId: d.petitionId,
          day: d.withdrawnAt.slice(0, 10),
          ...day,
          signed: day?.signed ?? 0,
          withdrawn: (day?.withdrawn ?? 0) + (wasCounted ? 1 : 0),
        }));
      } else if (event.type === 'SignaturesInvalidated' || event.type === 'SignaturesReinstated') {
        // The rule of ./invalidation.events.ts: only a counted signature is invalidated, only an invalidated one reinstated.
        const d = event.data;
        const invalidating = event.type === 'SignaturesInvalidated';
        const at = event.type === 'SignaturesInvalidated' ? event.data.invalidatedAt : event.data.reinstatedAt;
        let changed = 0;
        for (const s of d.signatures) {
          uow.change<SignatureDoc>(SIGNATURES, s.signatureId, event, (sig) => {
            if (!sig || sig.status !== (invalidating ? 'signed' : 'invalidated')) return sig;
            if (!invalidating && sig.invalidationId !== d.invalidationId) return sig;
            changed += 1;
            return invalidating
              ? { ...sig, status: 'invalidated', invalidationId: d.invalidationId, invalidationReason: d.reasonCode, invalidatedAt: at }
              : { ...sig, status: 'signed', invalidationId: null, invalidationReason: null, invalidatedAt: null };
          });
        }
        uow.change<SignatureDayDoc>(SIGNATURE_DAYS, dayKey(d.petitionId, at), event, (day) => ({
          _id: dayKey(d.petitionId, at),
          petitionId: d.petitionId,
          day: at.slice(0, 10),
          signed: day?.signed ?? 0,
          withdrawn: day?.withdrawn ?? 0,
          invalidated: (day?.invalidated ?? 0) + (invalidating ? changed : 0),
          reinstated: (day?.reinstated ?? 0) + (invalidating ? 0 : changed),
        }));
      }
    },
  };
}

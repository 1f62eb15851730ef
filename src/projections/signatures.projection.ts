/**
 * signatures: one pseudonymous document per signature (signer hash, channel, province, time,
 * status) — never an identity number, name or address. signature_days: per petition and UTC
 * day, signatures given and withdrawn, for the signing-history chart.
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
  status: 'signed' | 'withdrawn';
  withdrawnAt: string | null;
}

export interface SignatureDayDoc extends ReadDocument {
  petitionId: string;
  day: string;
  signed: number;
  withdrawn: number;
}

const dayKey = (petitionId: string, iso: string) => `${petitionId}:${iso.slice(0, 10)}`;

export function signaturesProjection(): Projection {
  return {
    name: 'signatures',
    version: 1,
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
        }));
        uow.change<SignatureDayDoc>(SIGNATURE_DAYS, dayKey(d.petitionId, d.signedAt), event, (day) => ({
          _id: dayKey(d.petitionId, d.signedAt),
          petitionId: d.petitionId,
          day: d.signedAt.slice(0, 10),
          signed: (day?.signed ?? 0) + 1,
          withdrawn: day?.withdrawn ?? 0,
        }));
      } else if (event.type === 'SignatureWithdrawn') {
        const d = event.data;
        uow.change<SignatureDoc>(SIGNATURES, d.signatureId, event, (sig) => (sig ? { ...sig, status: 'withdrawn', withdrawnAt: d.withdrawnAt } : null));
        uow.change<SignatureDayDoc>(SIGNATURE_DAYS, dayKey(d.petitionId, d.withdrawnAt), event, (day) => ({
          _id: dayKey(d.petitionId, d.withdrawnAt),
          petitionId: d.petitionId,
          day: d.withdrawnAt.slice(0, 10),
          signed: day?.signed ?? 0,
          withdrawn: (day?.withdrawn ?? 0) + 1,
        }));
      }
    },
  };
}

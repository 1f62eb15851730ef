/**
 * petition_history: one entry per lifecycle event, in words (ar, fr, en), with the actor's role
 * and the time. Signatures are not listed one by one here: they are counted in `petitions` and
 * charted from `signature_days`.
 */
import type { Rulebook } from '../domain/rules/rulebook';
import type { ReadDocument } from '../infrastructure/read-store/read-store.port';
import { describe, Lang, roleInWords } from './history-texts';
import type { Projection } from './projection';

export const PETITION_HISTORY = 'petition_history';

export interface HistoryEntryDoc extends ReadDocument {
  petitionId: string;
  /** Global position, zero-padded to 20 digits so that text order is numeric order, exactly. */
  seq: string;
  type: string;
  occurredAt: string;
  actorRole: string;
  actorRoleText: Record<Lang, string>;
  text: Record<Lang, string>;
}

export function petitionHistoryProjection(rulebook: Rulebook): Projection {
  const labels = new Map(rulebook.inadmissibilityReasons.map((r) => [r.code, r.labels]));
  const reasonLabels = (code: string) => labels.get(code) ?? { ar: code, fr: code, en: code };
  return {
    name: 'petition_history',
    // 3: Arabic counts of signatures by the plural rules ("200 توقيع"): the stored sentences are rewritten.
    version: 3,
    collections: [
      {
        name: PETITION_HISTORY,
        indexes: [
          {
            fields: [
              { field: 'petitionId', direction: 1 },
              { field: 'seq', direction: 1 },
            ],
          },
        ],
      },
    ],
    keys: (event) => (event.type === 'PetitionSigned' || event.type === 'SignatureWithdrawn' ? [] : [{ collection: PETITION_HISTORY, id: event.id }]),
    apply(event, uow) {
      const text = describe(event, reasonLabels);
      if (!text || !('petitionId' in event.data)) return;
      const petitionId = event.data.petitionId;
      uow.change<HistoryEntryDoc>(PETITION_HISTORY, event.id, event, () => ({
        _id: event.id,
        petitionId,
        seq: event.position.toString().padStart(20, '0'),
        type: event.type,
        occurredAt: event.metadata.occurredAt,
        actorRole: event.metadata.actor.role,
        actorRoleText: roleInWords(event.metadata.actor.role),
        text,
      }));
    },
  };
}

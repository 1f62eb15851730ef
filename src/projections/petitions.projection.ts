/**
 * petitions: one document per petition with everything a portal list and detail page needs.
 * Overdue board: the same collection, filtered on `overdue` and sorted by due date (indexed).
 */
import type { CouncilRegistry } from '../domain/rules/rulebook';
import { invalidationReasonLabels, Labels, reinstatementReasonLabels } from '../domain/signature/invalidation-reasons';
import type { ReadDocument } from '../infrastructure/read-store/read-store.port';
import type { ProjectedEvent, Projection, UnitOfWork } from './projection';

export const PETITIONS = 'petitions';
/**
 * The few signatures whose count changed after signing (withdrawn, invalidated), so the petition's
 * count follows the rule of domain/signature/invalidation.events.ts without one document per signature.
 */
export const SIGNATURE_FLAGS = 'signature_flags';

interface SignatureFlagDoc extends ReadDocument {
  petitionId: string;
  state: 'withdrawn' | 'invalidated';
  /** While invalidated: by which decision. */
  invalidationId?: string;
}

/** One fraud-check decision as the public page shows it: how many, why, and whether reversed. */
export interface InvalidationSummary {
  invalidationId: string;
  reasonCode: string;
  reason: Labels;
  /** Signatures this decision took off the count. */
  count: number;
  /** Of those, counted again since. */
  reinstated: number;
  /** Of those, withdrawn by their signers since (they stay uncounted). */
  withdrawn?: number;
  /** Not counted now because of this decision: count − reinstated − withdrawn. */
  active?: number;
  reinstatementReasons: { code: string; reason: Labels }[];
  invalidatedAt: string;
  /** collecting, or submitted: during the bureau's verification. */
  petitionStatus: string;
}

export interface PetitionDoc extends ReadDocument {
  title: string;
  subject: string;
  requests: string;
  reasons: string;
  councilId: string;
  councilLevel: string;
  councilName: { ar: string; fr: string; en: string };
  provinceId: string | null;
  regionId: string | null;
  petitionerType: string;
  associationName: string | null;
  status: string;
  /** Where in its status the petition stands: threshold_reached, awaiting_decision, overdue, on_agenda… */
  subStatus: string;
  closed: boolean;
  signatureCount: number;
  threshold: number;
  thresholdApplies: boolean;
  /** Percent of the threshold reached (may pass 100). */
  progress: number;
  provinceShares: { provinceId: string; required: number }[] | null;
  provinceCounts: Record<string, number>;
  thresholdReached: boolean;
  thresholdReachedAt: string | null;
  /** Whether the counted signatures meet the threshold now (invalidations may take it back). */
  thresholdMet?: boolean;
  /** Signatures invalidated now (not counted), and every fraud-check decision. */
  invalidatedCount?: number;
  invalidations?: InvalidationSummary[];
  filedAt: string;
  submittedAt: string | null;
  responseDueAt: string | null;
  deadlineMissed: boolean;
  overdue: boolean;
  decidedAt: string | null;
  admissibility: 'admissible' | 'inadmissible' | null;
  agendaSession: string | null;
  /** The ordinary session the accepted petition is due at (computed with the decision); null before v2 decisions. */
  targetSession: { month: string; opensOn: string; agendaClosesOn: string; endsOn: string } | null;
  /** The target session ended with no response recorded (AgendaSessionMissed). */
  sessionMissed: boolean;
  /** Why the petition is on the overdue board: the admissibility deadline, or the session it was due at. */
  overdueReason: 'response_deadline' | 'agenda_session' | null;
  /** Since when it is overdue: the response due date, or the day after its session ended. */
  overdueSince: string | null;
  /** What the filing declares attached (identity-card copies; an association's members and documents); null before v2. */
  declaredDocuments: Record<string, unknown> | null;
  rulebookVersion: string | null;
  committee: string | null;
  reasonCodes: string[];
  reasonText: string | null;
  answeredAt: string | null;
  response: { decision: string; text: string; respondingOfficial: { name: string; title: string }; deliberationRef: string | null } | null;
  withdrawnAt: string | null;
  withdrawalReason: string | null;
  closedAt: string | null;
  lastEventAt: string;
}

function subStatusOf(d: PetitionDoc): string {
  switch (d.status) {
    case 'collecting':
      return d.thresholdApplies && d.thresholdReached && d.thresholdMet !== false ? 'threshold_reached' : 'collecting_signatures';
    case 'submitted':
      return d.overdue ? 'overdue' : 'awaiting_admissibility';
    case 'admissible':
      return d.sessionMissed ? 'session_missed' : 'awaiting_response';
    case 'inadmissible':
      return 'refused';
    case 'answered':
      return d.response?.decision ?? 'answered';
    default:
      return d.status;
  }
}

/** Whether `count` (and each province's count) meets the threshold. */
function meets(d: PetitionDoc, count: number, provinceCounts: Record<string, number>): boolean {
  if (!d.thresholdApplies) return true;
  return count >= d.threshold && (d.provinceShares ?? []).every((p) => (provinceCounts[p.provinceId] ?? 0) >= p.required);
}

const notOverdue = { overdue: false, overdueReason: null, overdueSince: null } as const;

function progressOf(count: number, threshold: number): number {
  return threshold > 0 ? Math.floor((count * 1000) / threshold) / 10 : 100;
}

const summarised = (x: InvalidationSummary): InvalidationSummary => ({
  ...x,
  withdrawn: x.withdrawn ?? 0,
  active: x.count - x.reinstated - (x.withdrawn ?? 0),
});

/** Adds `delta` to a province's count, in place: `counts` is the petition document's own (see `update`). */
const addTo = (counts: Record<string, number>, province: string | undefined, delta: number) => {
  if (province && delta) counts[province] = (counts[province] ?? 0) + delta;
  return counts;
};

/** The count and what follows from it: progress, and whether the threshold is met now. */
const counted = (d: PetitionDoc, signatureCount: number, provinceCounts: Record<string, number>, rest: Partial<PetitionDoc>): Partial<PetitionDoc> => ({
  ...rest,
  signatureCount,
  provinceCounts,
  progress: progressOf(signatureCount, d.threshold),
  thresholdMet: meets(d, signatureCount, provinceCounts),
});

export function petitionsProjection(registry: CouncilRegistry): Projection {
  const councils = new Map(registry.councils.map((c) => [c.id, c]));
  // The petition's document is changed in place (the unit of work's copy for this batch): one
  // signature changes a few fields of it, and copying all of them for each would cost more.
  const update = (uow: UnitOfWork, event: ProjectedEvent, id: string, change: (d: PetitionDoc) => Partial<PetitionDoc>) =>
    uow.change<PetitionDoc>(PETITIONS, id, event, (doc) => {
      if (!doc) return null; // an event for a petition filed before this projection's start: impossible from 0
      const next = Object.assign(doc, change(doc));
      next.lastEventAt = event.metadata.occurredAt;
      next.subStatus = subStatusOf(next);
      return next;
    });

  return {
    name: 'petitions',
    // 2: invalidations, thresholdMet, signature_flags; target session, missed session, overdueReason/overdueSince.
    version: 2,
    collections: [
      { name: SIGNATURE_FLAGS, indexes: [] },
      {
        name: PETITIONS,
        textFields: ['title', 'subject'],
        indexes: [
          { fields: [{ field: 'signatureCount', direction: -1 }] },
          { fields: [{ field: 'filedAt', direction: -1 }] },
          { fields: [{ field: 'responseDueAt', direction: 1 }] },
          {
            fields: [
              { field: 'councilId', direction: 1 },
              { field: 'filedAt', direction: -1 },
            ],
          },
          {
            fields: [
              { field: 'councilId', direction: 1 },
              { field: 'signatureCount', direction: -1 },
            ],
          },
          {
            fields: [
              { field: 'councilLevel', direction: 1 },
              { field: 'filedAt', direction: -1 },
            ],
          },
          {
            fields: [
              { field: 'status', direction: 1 },
              { field: 'filedAt', direction: -1 },
            ],
          },
          {
            fields: [
              { field: 'status', direction: 1 },
              { field: 'signatureCount', direction: -1 },
            ],
          },
          {
            fields: [
              { field: 'overdue', direction: 1 },
              { field: 'responseDueAt', direction: 1 },
            ],
          },
          {
            fields: [
              { field: 'overdue', direction: 1 },
              { field: 'overdueSince', direction: 1 },
            ],
          },
          {
            fields: [
              { field: 'councilId', direction: 1 },
              { field: 'responseDueAt', direction: 1 },
            ],
          },
          {
            fields: [
              { field: 'status', direction: 1 },
              { field: 'responseDueAt', direction: 1 },
            ],
          },
          {
            fields: [
              { field: 'councilLevel', direction: 1 },
              { field: 'signatureCount', direction: -1 },
            ],
          },
          {
            fields: [
              { field: 'councilLevel', direction: 1 },
              { field: 'responseDueAt', direction: 1 },
            ],
          },
        ],
      },
    ],
    keys: (event) => {
      if (!('petitionId' in event.data)) return [];
      const petition = { collection: PETITIONS, id: event.data.petitionId };
      if (event.type === 'SignatureWithdrawn') return [petition, { collection: SIGNATURE_FLAGS, id: event.data.signatureId }];
      if (event.type === 'SignaturesInvalidated' || event.type === 'SignaturesReinstated') {
        return [petition, ...event.data.signatures.map((s) => ({ collection: SIGNATURE_FLAGS, id: s.signatureId }))];
      }
      return [petition];
    },
    apply(event, uow) {
      const at = event.metadata.occurredAt;
      switch (event.type) {
        case 'PetitionFiled': {
          const d = event.data;
          const council = councils.get(d.councilId);
          uow.change<PetitionDoc>(PETITIONS, d.petitionId, event, (existing) => {
            if (existing) return existing;
            const doc: PetitionDoc = {
              _id: d.petitionId,
              title: d.title,
              subject: d.subject,
              requests: d.requests,
              reasons: d.reasons,
              councilId: d.councilId,
              councilLevel: d.councilLevel,
              councilName: council?.name ?? { ar: d.councilId, fr: d.councilId, en: d.councilId },
              provinceId: council?.provinceId ?? (council?.level === 'province' ? council.id : null),
              regionId: council?.regionId ?? (council?.level === 'region' ? council.id : null),
              petitionerType: d.petitionerType,
              associationName: d.association?.name ?? null,
              status: 'collecting',
              subStatus: 'collecting_signatures',
              closed: false,
              signatureCount: 0,
              threshold: d.thresholdApplies ? d.threshold.required : 0,
              thresholdApplies: d.thresholdApplies,
              progress: progressOf(0, d.thresholdApplies ? d.threshold.required : 0),
              provinceShares: d.threshold.provinceShares ?? null,
              provinceCounts: {},
              thresholdReached: false,
              thresholdReachedAt: null,
              thresholdMet: !d.thresholdApplies,
              invalidatedCount: 0,
              invalidations: [],
              filedAt: d.filedAt,
              submittedAt: null,
              responseDueAt: null,
              deadlineMissed: false,
              overdue: false,
              decidedAt: null,
              admissibility: null,
              agendaSession: null,
              targetSession: null,
              sessionMissed: false,
              overdueReason: null,
              overdueSince: null,
              declaredDocuments: d.declaredDocuments ? { ...d.declaredDocuments } : null,
              rulebookVersion: d.rulebookVersion ?? null,
              committee: null,
              reasonCodes: [],
              reasonText: null,
              answeredAt: null,
              response: null,
              withdrawnAt: null,
              withdrawalReason: null,
              closedAt: null,
              lastEventAt: at,
            };
            doc.subStatus = subStatusOf(doc);
            return doc;
          });
          return;
        }
        case 'PetitionSigned':
        case 'SignatureWithdrawn': {
          let delta = event.type === 'PetitionSigned' ? 1 : -1;
          const province = event.data.provinceId;
          const signatureId = event.data.signatureId;
          update(uow, event, event.data.petitionId, (d) => {
            // Signatures count while collecting; the submitted count is frozen by the submission.
            if (d.status !== 'collecting') return {};
            let invalidatedCount = d.invalidatedCount ?? 0;
            if (event.type === 'SignatureWithdrawn') {
              // Withdrawing an invalidated signature changes no count: it was no longer counted.
              const flag = uow.get<SignatureFlagDoc>(SIGNATURE_FLAGS, signatureId);
              if (flag?.state === 'invalidated') {
                delta = 0;
                invalidatedCount -= 1;
                const invalidations = (d.invalidations ?? []).map((x) =>
                  x.invalidationId === flag.invalidationId ? summarised({ ...x, withdrawn: (x.withdrawn ?? 0) + 1 }) : x,
                );
                uow.change<SignatureFlagDoc>(SIGNATURE_FLAGS, signatureId, event, () => ({
                  _id: signatureId,
                  petitionId: event.data.petitionId,
                  state: 'withdrawn',
                }));
                return counted(d, d.signatureCount, d.provinceCounts, { invalidatedCount, invalidations });
              }
              uow.change<SignatureFlagDoc>(SIGNATURE_FLAGS, signatureId, event, () => ({
                _id: signatureId,
                petitionId: event.data.petitionId,
                state: 'withdrawn',
              }));
            }
            return counted(d, d.signatureCount + delta, addTo(d.provinceCounts, province, delta), { invalidatedCount });
          });
          return;
        }
        case 'SignaturesInvalidated':
        case 'SignaturesReinstated': {
          const e = event.data;
          const invalidating = event.type === 'SignaturesInvalidated';
          update(uow, event, e.petitionId, (d) => {
            let count = d.signatureCount;
            let provinceCounts = d.provinceCounts;
            let changed = 0;
            for (const s of e.signatures) {
              const flag = uow.get<SignatureFlagDoc>(SIGNATURE_FLAGS, s.signatureId);
              if (invalidating ? flag !== null : flag?.state !== 'invalidated') continue;
              changed += 1;
              count += invalidating ? -1 : 1;
              provinceCounts = addTo(provinceCounts, s.provinceId, invalidating ? -1 : 1);
              uow.change<SignatureFlagDoc>(SIGNATURE_FLAGS, s.signatureId, event, () =>
                invalidating ? { _id: s.signatureId, petitionId: e.petitionId, state: 'invalidated', invalidationId: e.invalidationId } : null,
              );
            }
            const invalidations = [...(d.invalidations ?? [])];
            if (event.type === 'SignaturesInvalidated') {
              invalidations.push(
                summarised({
                  invalidationId: e.invalidationId,
                  reasonCode: e.reasonCode,
                  reason: invalidationReasonLabels(e.reasonCode),
                  count: changed,
                  reinstated: 0,
                  reinstatementReasons: [],
                  invalidatedAt: event.data.invalidatedAt,
                  petitionStatus: event.data.petitionStatus,
                }),
              );
            } else {
              const i = invalidations.findIndex((x) => x.invalidationId === e.invalidationId);
              if (i >= 0) {
                const x = invalidations[i];
                const reasons = x.reinstatementReasons.some((r) => r.code === e.reasonCode)
                  ? x.reinstatementReasons
                  : [...x.reinstatementReasons, { code: e.reasonCode, reason: reinstatementReasonLabels(e.reasonCode) }];
                invalidations[i] = summarised({ ...x, reinstated: x.reinstated + changed, reinstatementReasons: reasons });
              }
            }
            const invalidatedCount = (d.invalidatedCount ?? 0) + (invalidating ? changed : -changed);
            return counted(d, count, provinceCounts, { invalidatedCount, invalidations });
          });
          return;
        }
        case 'SignatureThresholdReached':
          update(uow, event, event.data.petitionId, () => ({ thresholdReached: true, thresholdReachedAt: event.data.reachedAt }));
          return;
        case 'PetitionSubmittedToCouncil': {
          const e = event.data;
          update(uow, event, e.petitionId, (d) => ({
            status: 'submitted',
            submittedAt: e.submittedAt,
            responseDueAt: e.responseDueAt,
            // A copy: the document's counts change in place later (invalidations during verification), the event's never.
            ...counted(d, e.signatureCount, { ...(e.provinceCounts ?? d.provinceCounts) }, {}),
          }));
          return;
        }
        case 'PetitionDeclaredAdmissible':
          update(uow, event, event.data.petitionId, () => ({
            status: 'admissible',
            admissibility: 'admissible',
            decidedAt: event.data.decidedAt,
            agendaSession: event.data.agendaSession ?? null,
            targetSession: event.data.targetSession
              ? {
                  month: event.data.targetSession.month,
                  opensOn: event.data.targetSession.opensOn,
                  agendaClosesOn: event.data.targetSession.agendaClosesOn,
                  endsOn: event.data.targetSession.endsOn,
                }
              : null,
            committee: event.data.committee,
            ...notOverdue,
          }));
          return;
        case 'PetitionDeclaredInadmissible':
          update(uow, event, event.data.petitionId, () => ({
            status: 'inadmissible',
            admissibility: 'inadmissible',
            decidedAt: event.data.decidedAt,
            reasonCodes: event.data.reasonCodes,
            reasonText: event.data.reasonText,
            ...notOverdue,
          }));
          return;
        case 'OfficialResponseRecorded': {
          const e = event.data;
          update(uow, event, e.petitionId, () => ({
            ...notOverdue,
            status: 'answered',
            answeredAt: e.respondedAt,
            response: { decision: e.decision, text: e.text, respondingOfficial: e.respondingOfficial, deliberationRef: e.deliberationRef ?? null },
          }));
          return;
        }
        case 'PetitionWithdrawn':
          update(uow, event, event.data.petitionId, () => ({
            status: 'withdrawn',
            withdrawnAt: event.data.withdrawnAt,
            withdrawalReason: event.data.reason ?? null,
            ...notOverdue,
          }));
          return;
        case 'ResponseDeadlineMissed':
          update(uow, event, event.data.petitionId, (d) =>
            d.status === 'submitted'
              ? { deadlineMissed: true, overdue: true, overdueReason: 'response_deadline', overdueSince: event.data.dueAt }
              : { deadlineMissed: true },
          );
          return;
        case 'AgendaSessionMissed': {
          const since = new Date(Date.parse(event.data.sessionEndsOn) + 86_400_000).toISOString();
          update(uow, event, event.data.petitionId, (d) =>
            d.status === 'admissible' ? { sessionMissed: true, overdue: true, overdueReason: 'agenda_session', overdueSince: since } : { sessionMissed: true },
          );
          return;
        }
        case 'PetitionClosed':
          update(uow, event, event.data.petitionId, () => ({ closed: true, closedAt: event.data.closedAt }));
          return;
      }
    },
  };
}

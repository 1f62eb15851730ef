/**
 * council_dashboard: per council, the NGO view — petitions by status, admissibility rate,
 * median days from submission to the admissibility decision, overdue answers now and ever.
 * dashboard_petitions keeps, per petition, what the dashboard needs to move counts between
 * statuses (its council, status, submission date, overdue flag).
 */
import type { CouncilRegistry } from '../domain/rules/rulebook';
import { isPetitionSideEvent } from '../domain/event-types';
import type { ReadDocument } from '../infrastructure/read-store/read-store.port';
import type { DocKey, ProjectedEvent, Projection, UnitOfWork } from './projection';

export const COUNCIL_DASHBOARD = 'council_dashboard';
export const DASHBOARD_PETITIONS = 'dashboard_petitions';

type Status = 'collecting' | 'submitted' | 'admissible' | 'inadmissible' | 'answered' | 'withdrawn';

export interface CouncilDashboardDoc extends ReadDocument {
  councilId: string;
  level: string;
  total: number;
  byStatus: Record<Status, number>;
  closed: number;
  admissible: number;
  inadmissible: number;
  /** admissible / (admissible + inadmissible), null before any decision. */
  admissibilityRate: number | null;
  /** Days from submission to the admissibility decision, sorted. */
  decisionDays: number[];
  medianDaysToDecision: number | null;
  overdueNow: number;
  deadlinesMissed: number;
  /** Accepted petitions whose target session ended with no response (AgendaSessionMissed), ever. */
  sessionsMissed: number;
  responses: { adopted: number; partially_adopted: number; rejected: number };
  /** Fraud checks: invalidation decisions, signatures they listed, and signatures reinstated since. */
  fraudChecks?: { invalidations: number; signaturesInvalidated: number; signaturesReinstated: number };
}

interface DashboardPetitionDoc extends ReadDocument {
  councilId: string;
  status: string;
  submittedAt: string | null;
  overdue: boolean;
}

const emptyDashboard = (councilId: string, level: string): CouncilDashboardDoc => ({
  _id: councilId,
  councilId,
  level,
  total: 0,
  byStatus: { collecting: 0, submitted: 0, admissible: 0, inadmissible: 0, answered: 0, withdrawn: 0 },
  closed: 0,
  admissible: 0,
  inadmissible: 0,
  admissibilityRate: null,
  decisionDays: [],
  medianDaysToDecision: null,
  overdueNow: 0,
  deadlinesMissed: 0,
  sessionsMissed: 0,
  responses: { adopted: 0, partially_adopted: 0, rejected: 0 },
});

export function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return Math.round(value * 10) / 10;
}

const STATUS_OF: Partial<Record<ProjectedEvent['type'], string>> = {
  PetitionSubmittedToCouncil: 'submitted',
  PetitionDeclaredAdmissible: 'admissible',
  PetitionDeclaredInadmissible: 'inadmissible',
  OfficialResponseRecorded: 'answered',
  PetitionWithdrawn: 'withdrawn',
};

export function councilDashboardProjection(registry: CouncilRegistry): Projection {
  const levels = new Map(registry.councils.map((c) => [c.id, c.level as string]));
  /** What the dashboard follows: the lifecycle and the fraud checks (not each signature, nor the dialogue, vault or audit events). */
  const isLifecycle = (event: ProjectedEvent) =>
    (isPetitionSideEvent(event) || event.type === 'SignaturesInvalidated' || event.type === 'SignaturesReinstated') &&
    event.type !== 'PetitionSigned' &&
    event.type !== 'SignatureWithdrawn' &&
    event.type !== 'SignatureThresholdReached';

  const changeDashboard = (uow: UnitOfWork, event: ProjectedEvent, councilId: string, change: (d: CouncilDashboardDoc) => void) =>
    uow.change<CouncilDashboardDoc>(COUNCIL_DASHBOARD, councilId, event, (current) => {
      const d: CouncilDashboardDoc = current
        ? { ...current, byStatus: { ...current.byStatus }, decisionDays: [...current.decisionDays], responses: { ...current.responses } }
        : emptyDashboard(councilId, levels.get(councilId) ?? 'unknown');
      change(d);
      const decided = d.admissible + d.inadmissible;
      d.admissibilityRate = decided ? Math.round((d.admissible / decided) * 1000) / 1000 : null;
      d.medianDaysToDecision = median(d.decisionDays);
      return d;
    });

  return {
    name: 'council_dashboard',
    // 2: fraud checks.
    version: 2,
    collections: [
      { name: COUNCIL_DASHBOARD, indexes: [{ fields: [{ field: 'level', direction: 1 }] }] },
      { name: DASHBOARD_PETITIONS, indexes: [] },
    ],
    keys(event): DocKey[] {
      if (!isLifecycle(event) || !('petitionId' in event.data)) return [];
      const petition: DocKey = { collection: DASHBOARD_PETITIONS, id: event.data.petitionId };
      return event.type === 'PetitionFiled' ? [petition, { collection: COUNCIL_DASHBOARD, id: event.data.councilId }] : [petition];
    },
    // A later event's council is on the petition's entry (or on its PetitionFiled, earlier in the batch).
    dependentKeys(event, peek): DocKey[] {
      if (!isLifecycle(event) || event.type === 'PetitionFiled' || !('petitionId' in event.data)) return [];
      const petition = peek<DashboardPetitionDoc>(DASHBOARD_PETITIONS, event.data.petitionId);
      return petition ? [{ collection: COUNCIL_DASHBOARD, id: petition.councilId }] : [];
    },
    apply(event, uow) {
      if (!isPetitionSideEvent(event) && event.type !== 'SignaturesInvalidated' && event.type !== 'SignaturesReinstated') return;
      if (event.type === 'PetitionSigned' || event.type === 'SignatureWithdrawn' || event.type === 'SignatureThresholdReached') return;
      const petitionId = event.data.petitionId;
      if (event.type === 'PetitionFiled') {
        const councilId = event.data.councilId;
        if (uow.get(DASHBOARD_PETITIONS, petitionId)) return;
        uow.change<DashboardPetitionDoc>(DASHBOARD_PETITIONS, petitionId, event, () => ({
          _id: petitionId,
          councilId,
          status: 'collecting',
          submittedAt: null,
          overdue: false,
        }));
        changeDashboard(uow, event, councilId, (d) => {
          d.total += 1;
          d.byStatus.collecting += 1;
        });
        return;
      }
      const petition = uow.get<DashboardPetitionDoc>(DASHBOARD_PETITIONS, petitionId);
      if (!petition || (petition._position !== undefined && BigInt(petition._position) >= event.position)) return;
      const before = { ...petition };
      const after: DashboardPetitionDoc = { ...petition };
      const status = STATUS_OF[event.type];
      if (status) after.status = status;
      if (event.type === 'PetitionSubmittedToCouncil') after.submittedAt = event.data.submittedAt;
      if (event.type === 'ResponseDeadlineMissed') after.overdue = after.status === 'submitted';
      if (status && status !== 'submitted') after.overdue = false;
      if (event.type === 'AgendaSessionMissed') after.overdue = after.status === 'admissible';
      uow.change<DashboardPetitionDoc>(DASHBOARD_PETITIONS, petitionId, event, () => after);
      changeDashboard(uow, event, petition.councilId, (d) => {
        if (before.status !== after.status) {
          d.byStatus[before.status as keyof CouncilDashboardDoc['byStatus']] -= 1;
          d.byStatus[after.status as keyof CouncilDashboardDoc['byStatus']] += 1;
        }
        d.overdueNow += Number(after.overdue) - Number(before.overdue);
        switch (event.type) {
          case 'PetitionDeclaredAdmissible':
          case 'PetitionDeclaredInadmissible': {
            if (event.type === 'PetitionDeclaredAdmissible') d.admissible += 1;
            else d.inadmissible += 1;
            if (before.submittedAt) {
              const days = (Date.parse(event.data.decidedAt) - Date.parse(before.submittedAt)) / 86_400_000;
              d.decisionDays.push(Math.round(days * 10) / 10);
              d.decisionDays.sort((a, b) => a - b);
            }
            break;
          }
          case 'OfficialResponseRecorded':
            d.responses[event.data.decision] += 1;
            break;
          case 'ResponseDeadlineMissed':
            d.deadlinesMissed += 1;
            break;
          case 'AgendaSessionMissed':
            d.sessionsMissed = (d.sessionsMissed ?? 0) + 1;
            break;
          case 'PetitionClosed':
            d.closed += 1;
            break;
          case 'SignaturesInvalidated':
          case 'SignaturesReinstated': {
            const f = { ...(d.fraudChecks ?? { invalidations: 0, signaturesInvalidated: 0, signaturesReinstated: 0 }) };
            if (event.type === 'SignaturesInvalidated') {
              f.invalidations += 1;
              f.signaturesInvalidated += event.data.count;
            } else f.signaturesReinstated += event.data.count;
            d.fraudChecks = f;
            break;
          }
        }
      });
    },
  };
}

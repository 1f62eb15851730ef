/**
 * A petition's public page, folded from its short lifecycle stream plus the live tally.
 * (The read-side projections serve lists and dashboards; this fold is the source of truth.)
 */
import type { PetitionEvent } from '../../domain/petition/petition.events';
import type { SignatureTally } from '../../domain/petition/petition.commands';
import { evolvePetition, PetitionState } from '../../domain/petition/petition.state';

export interface PetitionDetails {
  id: string;
  councilId: string;
  councilLevel: string;
  petitionerType: string;
  association?: { name: string; registrationNumber: string };
  title: string;
  subject: string;
  requests: string;
  reasons: string;
  textDigest: string;
  status: string;
  closed: boolean;
  threshold: { applies: boolean; required: number; provinceShares?: { provinceId: string; required: number }[] };
  signatureCount: number;
  provinceCounts?: Record<string, number>;
  thresholdReached: boolean;
  thresholdReachedAt?: string;
  filedAt: string;
  submittedAt?: string;
  signatureCountAtSubmission?: number;
  responseDueAt?: string;
  deadlineMissed: boolean;
  admissibility?: { decision: 'admissible'; agendaSession: string; committee: string; note?: string; decidedAt: string } | { decision: 'inadmissible'; reasonCodes: string[]; reasonText: string; decidedAt: string };
  response?: { decision: string; text: string; respondingOfficial: { name: string; title: string }; deliberationRef?: string; respondedAt: string };
  withdrawal?: { reason?: string; withdrawnAt: string };
  closedAt?: string;
  rulebookVersion: string;
}

export function foldPetitionDetails(events: PetitionEvent[], tally: SignatureTally): PetitionDetails | null {
  let state: PetitionState = null;
  let details: PetitionDetails | null = null;
  let submittedProvinceCounts: Record<string, number> | undefined;
  for (const event of events) {
    state = evolvePetition(state, event);
    if (event.type === 'PetitionFiled') {
      const d = event.data;
      details = {
        id: d.petitionId,
        councilId: d.councilId,
        councilLevel: d.councilLevel,
        petitionerType: d.petitionerType,
        ...(d.association ? { association: { name: d.association.name, registrationNumber: d.association.registrationNumber } } : {}),
        title: d.title,
        subject: d.subject,
        requests: d.requests,
        reasons: d.reasons,
        textDigest: d.textDigest,
        status: 'collecting',
        closed: false,
        threshold: { applies: d.thresholdApplies, required: d.threshold.required, ...(d.threshold.provinceShares ? { provinceShares: d.threshold.provinceShares } : {}) },
        signatureCount: 0,
        thresholdReached: false,
        filedAt: d.filedAt,
        deadlineMissed: false,
        rulebookVersion: d.rulebookVersion,
      };
      continue;
    }
    if (!details) continue;
    switch (event.type) {
      case 'PetitionSubmittedToCouncil':
        submittedProvinceCounts = event.data.provinceCounts;
        break;
      case 'SignatureThresholdReached':
        details.thresholdReachedAt = event.data.reachedAt;
        break;
      case 'PetitionDeclaredAdmissible':
        details.admissibility = { decision: 'admissible', agendaSession: event.data.agendaSession, committee: event.data.committee, ...(event.data.note ? { note: event.data.note } : {}), decidedAt: event.data.decidedAt };
        break;
      case 'PetitionDeclaredInadmissible':
        details.admissibility = { decision: 'inadmissible', reasonCodes: event.data.reasonCodes, reasonText: event.data.reasonText, decidedAt: event.data.decidedAt };
        break;
      case 'OfficialResponseRecorded': {
        const { petitionId: _id, ...response } = event.data;
        details.response = response;
        break;
      }
      case 'PetitionWithdrawn':
        details.withdrawal = { ...(event.data.reason ? { reason: event.data.reason } : {}), withdrawnAt: event.data.withdrawnAt };
        break;
    }
  }
  if (!details || !state) return null;
  const hasShares = !!details.threshold.provinceShares;
  return {
    ...details,
    status: state.status,
    closed: state.closed,
    ...(state.closedAt ? { closedAt: state.closedAt } : {}),
    // After submission the count is frozen at what was submitted; before, it is live.
    signatureCount: state.signatureCountAtSubmission ?? tally.count,
    ...(hasShares ? { provinceCounts: submittedProvinceCounts ?? tally.provinceCounts } : {}),
    thresholdReached: state.thresholdReached,
    ...(state.submittedAt ? { submittedAt: state.submittedAt, signatureCountAtSubmission: state.signatureCountAtSubmission } : {}),
    ...(state.responseDueAt ? { responseDueAt: state.responseDueAt } : {}),
    deadlineMissed: state.deadlineMissed,
  };
}

import type { CouncilLevel } from '../rules/rulebook';
import type { PetitionEvent, PetitionerType, ResponseDecision, ThresholdSnapshot } from './petition.events';

/**
 * collecting → submitted → admissible → answered
 *                        ↘ inadmissible
 * collecting | submitted → withdrawn.  Answered or inadmissible petitions may then be closed.
 */
export type PetitionStatus = 'collecting' | 'submitted' | 'admissible' | 'inadmissible' | 'answered' | 'withdrawn';

export interface Petition {
  id: string;
  councilId: string;
  councilLevel: CouncilLevel;
  petitionerType: PetitionerType;
  ownerId: string;
  title: string;
  textDigest: string;
  threshold: ThresholdSnapshot;
  thresholdApplies: boolean;
  responseDeadlineMonths: number;
  status: PetitionStatus;
  closed: boolean;
  thresholdReached: boolean;
  filedAt: string;
  submittedAt?: string;
  signatureCountAtSubmission?: number;
  responseDueAt?: string;
  deadlineMissed: boolean;
  decidedAt?: string;
  decision?: ResponseDecision;
  answeredAt?: string;
  closedAt?: string;
  withdrawnAt?: string;
}

/** Absent until filed. */
export type PetitionState = Petition | null;

export const initialPetitionState: PetitionState = null;

export function evolvePetition(state: PetitionState, event: PetitionEvent): PetitionState {
  if (event.type === 'PetitionFiled') {
    const d = event.data;
    return {
      id: d.petitionId,
      councilId: d.councilId,
      councilLevel: d.councilLevel,
      petitionerType: d.petitionerType,
      ownerId: d.ownerId,
      title: d.title,
      textDigest: d.textDigest,
      threshold: d.threshold,
      thresholdApplies: d.thresholdApplies,
      responseDeadlineMonths: d.responseDeadlineMonths,
      status: 'collecting',
      closed: false,
      thresholdReached: false,
      filedAt: d.filedAt,
      deadlineMissed: false,
    };
  }
  if (!state) return state;
  switch (event.type) {
    case 'SignatureThresholdReached':
      return { ...state, thresholdReached: true };
    case 'PetitionSubmittedToCouncil':
      return {
        ...state,
        status: 'submitted',
        submittedAt: event.data.submittedAt,
        signatureCountAtSubmission: event.data.signatureCount,
        responseDueAt: event.data.responseDueAt,
      };
    case 'PetitionDeclaredAdmissible':
      return { ...state, status: 'admissible', decidedAt: event.data.decidedAt };
    case 'PetitionDeclaredInadmissible':
      return { ...state, status: 'inadmissible', decidedAt: event.data.decidedAt };
    case 'OfficialResponseRecorded':
      return { ...state, status: 'answered', decision: event.data.decision, answeredAt: event.data.respondedAt };
    case 'PetitionWithdrawn':
      return { ...state, status: 'withdrawn', withdrawnAt: event.data.withdrawnAt };
    case 'ResponseDeadlineMissed':
      return { ...state, deadlineMissed: true };
    case 'PetitionClosed':
      return { ...state, closed: true, closedAt: event.data.closedAt };
  }
}

export const foldPetition = (events: PetitionEvent[], from: PetitionState = initialPetitionState) =>
  events.reduce(evolvePetition, from);

import type { CouncilLevel, TargetSession } from '../rules/rulebook';
import type { PetitionEvent, PetitionerType, ResponseDecision, ThresholdSnapshot } from './petition.events';

/**
 * collecting → submitted → admissible → answered
 *                        ↘ inadmissible
 * collecting | submitted → withdrawn.  Answered or inadmissible petitions may then be closed.
 */
export type PetitionStatus = 'collecting' | 'submitted' | 'admissible' | 'inadmissible' | 'answered' | 'withdrawn';

/** Fixed at filing: every filed petition carries it, whatever its status. */
export interface Filed {
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
  filedAt: string;
}

/** Fixed at submission to the council; the response is due from then on. */
export interface Submission {
  submittedAt: string;
  signatureCountAtSubmission: number;
  /** The submitted count covers the signature events up to this global position (decimal string). */
  countedUpToPosition: string;
  responseDueAt: string;
  /** ResponseDeadlineMissed was recorded: the due date passed before the admissibility decision. */
  deadlineMissed: boolean;
}

/** Only an answered or inadmissible petition can be closed; every other one is open. */
interface Open {
  closed: false;
}
type Closable = Open | { closed: true; closedAt: string };

export interface Collecting extends Filed, Open {
  status: 'collecting';
  thresholdReached: boolean;
}

export interface Submitted extends Filed, Submission, Open {
  status: 'submitted';
}

/** The session an accepted petition is due at (null for decisions recorded before it was computed). */
export interface OnAgenda {
  targetSession: TargetSession | null;
  /** AgendaSessionMissed was recorded: the session ended with no response. */
  sessionMissed: boolean;
}

export interface Admissible extends Filed, Submission, OnAgenda, Open {
  status: 'admissible';
  decidedAt: string;
}

export type Inadmissible = Filed & Submission & { status: 'inadmissible'; decidedAt: string } & Closable;

export type Answered = Filed & Submission & OnAgenda & { status: 'answered'; decidedAt: string; decision: ResponseDecision; answeredAt: string } & Closable;

/** Withdrawn while collecting, or after submission (then with what was submitted). */
export interface Withdrawn extends Filed, Partial<Submission>, Open {
  status: 'withdrawn';
  withdrawnAt: string;
}

/** A filed petition: each status carries exactly what exists at that point of its life. */
export type Petition = Collecting | Submitted | Admissible | Inadmissible | Answered | Withdrawn;

export type PetitionIn<S extends PetitionStatus> = Extract<Petition, { status: S }>;

/** `null` until filed: the one state before PetitionFiled. */
export type PetitionState = Petition | null;

export const initialPetitionState: PetitionState = null;

/**
 * The decider records each event only from the status its case names, so no other pairing comes
 * from this service's streams; such an event leaves the state as it is.
 */
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
      filedAt: d.filedAt,
      status: 'collecting',
      thresholdReached: false,
      closed: false,
    };
  }
  if (!state) return state;
  switch (event.type) {
    case 'SignatureThresholdReached':
      return state.status === 'collecting' ? { ...state, thresholdReached: true } : state;
    case 'PetitionSubmittedToCouncil':
      if (state.status !== 'collecting') return state;
      return {
        ...leaveCollection(state),
        status: 'submitted',
        submittedAt: event.data.submittedAt,
        signatureCountAtSubmission: event.data.signatureCount,
        countedUpToPosition: event.data.countedUpToPosition,
        responseDueAt: event.data.responseDueAt,
        deadlineMissed: false,
      };
    case 'ResponseDeadlineMissed':
      return state.status === 'submitted' ? { ...state, deadlineMissed: true } : state;
    case 'PetitionDeclaredAdmissible':
      return state.status === 'submitted'
        ? { ...state, status: 'admissible', decidedAt: event.data.decidedAt, targetSession: event.data.targetSession, sessionMissed: false }
        : state;
    case 'AgendaSessionMissed':
      return state.status === 'admissible' ? { ...state, sessionMissed: true } : state;
    case 'PetitionDeclaredInadmissible':
      return state.status === 'submitted' ? { ...state, status: 'inadmissible', decidedAt: event.data.decidedAt } : state;
    case 'OfficialResponseRecorded':
      return state.status === 'admissible' ? { ...state, status: 'answered', decision: event.data.decision, answeredAt: event.data.respondedAt } : state;
    case 'PetitionWithdrawn':
      if (state.status === 'collecting') return { ...leaveCollection(state), status: 'withdrawn', withdrawnAt: event.data.withdrawnAt };
      return state.status === 'submitted' ? { ...state, status: 'withdrawn', withdrawnAt: event.data.withdrawnAt } : state;
    case 'PetitionClosed':
      return state.status === 'answered' || state.status === 'inadmissible' ? { ...state, closed: true, closedAt: event.data.closedAt } : state;
    default:
      // Other facts on the petition's stream (the thread it was escalated from) do not change its lifecycle.
      return state;
  }
}

/** What only collection tracks stays behind when the petition leaves it. */
const leaveCollection = ({ thresholdReached: _reached, ...filed }: Collecting) => filed;

export const foldPetition = (events: PetitionEvent[], from: PetitionState = initialPetitionState) => events.reduce(evolvePetition, from);

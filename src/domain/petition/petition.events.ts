/**
 * Petition events: the facts of a petition's life, named in the past tense.
 * Their meaning never changes once stored; a new meaning is a new version (see ../event-types.ts).
 *
 * Lifecycle events live on the short stream `petition-<id>`. Signatures live on one small
 * stream per signer (`signature-<petitionId>-<signerHash>`), so a signature never rehydrates
 * the others and duplicates are refused atomically by the store.
 */
import type { CouncilLevel } from '../rules/rulebook';

export type PetitionerType = 'citizens' | 'association';

export interface AssociationDeclaration {
  name: string;
  registrationNumber: string;
  /** ISO date of constitution; must be more than the rulebook's minimum years before filing. */
  constitutedOn: string;
  seatOrBranchInTerritory: boolean;
  activityRelatedToSubject: boolean;
}

export interface ThresholdSnapshot {
  required: number;
  provinceShares?: { provinceId: string; required: number }[];
}

export interface PetitionFiled {
  type: 'PetitionFiled';
  data: {
    petitionId: string;
    councilId: string;
    councilLevel: CouncilLevel;
    petitionerType: PetitionerType;
    /** The agent (citizens' petitions) or the association's legal representative: a user id, not a name. */
    ownerId: string;
    association?: AssociationDeclaration;
    title: string;
    subject: string;
    requests: string;
    reasons: string;
    /** SHA-256 of the text: every signature records the text version it endorses. */
    textDigest: string;
    /** Fixed at filing, so a later rulebook change cannot move a running petition's goalposts. */
    threshold: ThresholdSnapshot;
    thresholdApplies: boolean;
    responseDeadlineMonths: number;
    rulebookVersion: string;
    filedAt: string;
  };
}

export interface SignatureThresholdReached {
  type: 'SignatureThresholdReached';
  data: {
    petitionId: string;
    required: number;
    count: number;
    provinceCounts?: Record<string, number>;
    /** The count includes every signature event up to this global position (decimal string). */
    countedUpToPosition: string;
    reachedAt: string;
  };
}

export interface PetitionSubmittedToCouncil {
  type: 'PetitionSubmittedToCouncil';
  data: {
    petitionId: string;
    signatureCount: number;
    provinceCounts?: Record<string, number>;
    /** An auditor recounts the signature events up to this global position (decimal string). */
    countedUpToPosition: string;
    submittedAt: string;
    responseDueAt: string;
    deadlineMonths: number;
  };
}

export interface PetitionDeclaredAdmissible {
  type: 'PetitionDeclaredAdmissible';
  data: {
    petitionId: string;
    agendaSession: string;
    committee: string;
    note?: string;
    decidedAt: string;
  };
}

export interface PetitionDeclaredInadmissible {
  type: 'PetitionDeclaredInadmissible';
  data: {
    petitionId: string;
    reasonCodes: string[];
    reasonText: string;
    decidedAt: string;
  };
}

export type ResponseDecision = 'adopted' | 'partially_adopted' | 'rejected';

export interface OfficialResponseRecorded {
  type: 'OfficialResponseRecorded';
  data: {
    petitionId: string;
    decision: ResponseDecision;
    text: string;
    /** The elected official who answers for the council, as published (a public office, not a signer). */
    respondingOfficial: { name: string; title: string };
    deliberationRef?: string;
    respondedAt: string;
  };
}

export interface PetitionWithdrawn {
  type: 'PetitionWithdrawn';
  data: { petitionId: string; reason?: string; withdrawnAt: string };
}

export interface ResponseDeadlineMissed {
  type: 'ResponseDeadlineMissed';
  data: { petitionId: string; dueAt: string; detectedAt: string };
}

export interface PetitionClosed {
  type: 'PetitionClosed';
  data: { petitionId: string; note?: string; closedAt: string };
}

export type PetitionEvent =
  | PetitionFiled
  | SignatureThresholdReached
  | PetitionSubmittedToCouncil
  | PetitionDeclaredAdmissible
  | PetitionDeclaredInadmissible
  | OfficialResponseRecorded
  | PetitionWithdrawn
  | ResponseDeadlineMissed
  | PetitionClosed;

export const petitionStreamId = (petitionId: string) => `petition-${petitionId}`;

/**
 * Petition events: the facts of a petition's life, named in the past tense.
 * Their meaning never changes once stored; a new meaning is a new version (see ../event-types.ts).
 *
 * Lifecycle events live on the short stream `petition-<id>`. Signatures live on one small
 * stream per signer (`signature-<petitionId>-<signerHash>`), so a signature never rehydrates
 * the others and duplicates are refused atomically by the store.
 */
import type { CouncilLevel, TargetSession } from '../rules/rulebook';

export type PetitionerType = 'citizens' | 'association';

export interface AssociationDeclaration {
  name: string;
  registrationNumber: string;
  /** ISO date of constitution; must be more than the rulebook's minimum years before filing. */
  constitutedOn: string;
  seatOrBranchInTerritory: boolean;
  activityRelatedToSubject: boolean;
}

/**
 * What the filing declares is attached, as the form decrees require it; shown to the clerk, and what
 * the reason code `form_defect` refers to. Citizens: the identity-card copies attached to the paper
 * sheets. Associations: their membership and the three documents.
 */
/** The documents the form decrees ask of an association, as declared attached. */
export interface AssociationDocuments {
  /** Final receipt of declaration, or another proof of constitution. */
  constitutionProof: boolean;
  statutes: boolean;
  /** Proof of the representative's powers. */
  representativePowers: boolean;
}

export type DeclaredDocuments =
  { petitionerType: 'citizens'; identityCardCopies: number } | ({ petitionerType: 'association'; memberCount: number } & AssociationDocuments);

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
    /** v2. null: filed before the service recorded the declared documents (v1 events). */
    declaredDocuments: DeclaredDocuments | null;
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
    /** The session as the clerk names it: always in v1, optional in v2 (the computed targetSession is authoritative). */
    agendaSession?: string;
    committee: string;
    note?: string;
    /** v2: the next ordinary session whose agenda was still open on the decision day; null for v1 events. */
    targetSession: TargetSession | null;
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

/** The target session ended with no response recorded: recorded once, by the deadline watch. */
export interface AgendaSessionMissed {
  type: 'AgendaSessionMissed';
  data: { petitionId: string; sessionMonth: string; sessionEndsOn: string; detectedAt: string };
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
  | AgendaSessionMissed
  | PetitionClosed;

export const petitionStreamId = (petitionId: string) => `petition-${petitionId}`;

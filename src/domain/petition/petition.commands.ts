import type { Actor } from '../shared/actor';
import type { Council, CouncilRegistry, Rulebook } from '../rules/rulebook';
import type { AssociationDeclaration, AssociationDocuments, PetitionerType, ResponseDecision } from './petition.events';

/** What the decider is given besides state: who acts, when, and the rules in force. */
export interface DecisionContext {
  actor: Actor;
  now: string;
  rulebook: Rulebook;
  registry: CouncilRegistry;
}

/** Signatures counted from the signature streams up to a global position. */
export interface SignatureTally {
  count: number;
  provinceCounts: Record<string, number>;
  countedUpToPosition: string;
}

export type PetitionCommand =
  | {
      type: 'FilePetition';
      petitionId: string;
      council: Council;
      petitionerType: PetitionerType;
      association?: AssociationDeclaration & { memberCount?: number; documents?: AssociationDocuments };
      /** Citizens: the copies of signatories' identity cards attached to the paper sheets. */
      identityCardCopies?: number;
      title: string;
      subject: string;
      requests: string;
      reasons: string;
    }
  | { type: 'RecordThresholdReached'; tally: SignatureTally }
  | { type: 'SubmitPetition'; tally: SignatureTally }
  | { type: 'DeclareAdmissible'; agendaSession?: string; committee: string; note?: string }
  | { type: 'DeclareInadmissible'; reasonCodes: string[]; reasonText: string }
  | {
      type: 'RecordOfficialResponse';
      decision: ResponseDecision;
      text: string;
      respondingOfficial: { name: string; title: string };
      deliberationRef?: string;
    }
  | { type: 'WithdrawPetition'; reason?: string }
  | { type: 'MarkResponseDeadlineMissed' }
  | { type: 'MarkAgendaSessionMissed' }
  | { type: 'ClosePetition'; note?: string };

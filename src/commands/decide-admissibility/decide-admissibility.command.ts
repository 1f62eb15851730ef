import type { CommandDefinition } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface DecideAdmissibilityProps {
  petitionId: string;
  decision: 'admissible' | 'inadmissible';
  /** Admissible, optional: the session as the council names it (the target session is computed). */
  agendaSession?: string;
  /** Admissible: the standing committee that studies it. */
  committee?: string;
  /** Admissible: a note for the agent. */
  note?: string;
  /** Inadmissible: reason codes from the rulebook. */
  reasonCodes?: string[];
  /** Inadmissible: the reasoned refusal. */
  reasonText?: string;
  metadata: CommandMetadata;
}

/**
 * The council bureau's decision, recorded by a clerk or an official of that council. One
 * command, recorded under the name of the decision taken.
 */
export class DecideAdmissibilityCommand implements DecideAdmissibilityProps {
  static readonly roles = ['clerk', 'official'] as const;
  static readonly admissible: CommandDefinition = { commandName: 'DeclarePetitionAdmissible', roles: this.roles };
  static readonly inadmissible: CommandDefinition = { commandName: 'DeclarePetitionInadmissible', roles: this.roles };

  readonly petitionId: string;
  readonly decision: 'admissible' | 'inadmissible';
  readonly agendaSession?: string;
  readonly committee?: string;
  readonly note?: string;
  readonly reasonCodes?: string[];
  readonly reasonText?: string;
  readonly metadata: CommandMetadata;

  constructor(props: DecideAdmissibilityProps) {
    this.petitionId = props.petitionId;
    this.decision = props.decision;
    this.agendaSession = props.agendaSession;
    this.committee = props.committee;
    this.note = props.note;
    this.reasonCodes = props.reasonCodes;
    this.reasonText = props.reasonText;
    this.metadata = props.metadata;
  }
}

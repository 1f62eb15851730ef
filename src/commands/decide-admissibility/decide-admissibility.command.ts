import { CommandDefinition, commandOf } from '../../application/command-definition';
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
export class DecideAdmissibilityCommand extends commandOf<DecideAdmissibilityProps>() {
  static readonly roles = ['clerk', 'official'] as const;
  static readonly admissible: CommandDefinition = { commandName: 'DeclarePetitionAdmissible', roles: this.roles };
  static readonly inadmissible: CommandDefinition = { commandName: 'DeclarePetitionInadmissible', roles: this.roles };
}

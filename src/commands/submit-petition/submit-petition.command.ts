import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface SubmitPetitionProps {
  petitionId: string;
  metadata: CommandMetadata;
}

/** The agent submits to the council; the count and the position it was counted up to are recorded. */
export class SubmitPetitionCommand extends commandOf<SubmitPetitionProps>() {
  static readonly commandName = 'SubmitPetition';
  static readonly roles = ['agent', 'citizen', 'association_rep'] as const;
}

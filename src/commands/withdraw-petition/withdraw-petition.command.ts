import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface WithdrawPetitionProps {
  petitionId: string;
  /** Why the petitioners withdraw it (public). */
  reason?: string;
  metadata: CommandMetadata;
}

/** The petitioners withdraw their petition before the council's decision. */
export class WithdrawPetitionCommand extends commandOf<WithdrawPetitionProps>() {
  static readonly commandName = 'WithdrawPetition';
  static readonly roles = ['agent', 'citizen', 'association_rep'] as const;
}

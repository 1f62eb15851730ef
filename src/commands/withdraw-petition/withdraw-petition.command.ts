import type { CommandMetadata } from '../../application/command-metadata';

/** The petitioners withdraw their petition before the council's decision. */
export class WithdrawPetitionCommand {
  static readonly commandName = 'WithdrawPetition';
  static readonly roles = ['agent', 'citizen', 'association_rep'] as const;

  readonly petitionId: string;
  /** Why the petitioners withdraw it (public). */
  readonly reason?: string;
  readonly metadata: CommandMetadata;

  constructor(props: { petitionId: string; reason?: string; metadata: CommandMetadata }) {
    this.petitionId = props.petitionId;
    this.reason = props.reason;
    this.metadata = props.metadata;
  }
}

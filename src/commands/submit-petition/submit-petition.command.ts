import type { CommandMetadata } from '../../application/command-metadata';

/** The agent submits to the council; the count and the position it was counted up to are recorded. */
export class SubmitPetitionCommand {
  static readonly commandName = 'SubmitPetition';
  static readonly roles = ['agent', 'citizen', 'association_rep'] as const;

  readonly petitionId: string;
  readonly metadata: CommandMetadata;

  constructor(props: { petitionId: string; metadata: CommandMetadata }) {
    this.petitionId = props.petitionId;
    this.metadata = props.metadata;
  }
}

import type { CommandMetadata } from '../../application/command-metadata';

/** Closes an answered or inadmissible petition; its history stays readable. */
export class ClosePetitionCommand {
  static readonly commandName = 'ClosePetition';
  static readonly roles = ['clerk', 'official', 'admin'] as const;

  readonly petitionId: string;
  /** Public closing note. */
  readonly note?: string;
  readonly metadata: CommandMetadata;

  constructor(props: { petitionId: string; note?: string; metadata: CommandMetadata }) {
    this.petitionId = props.petitionId;
    this.note = props.note;
    this.metadata = props.metadata;
  }
}

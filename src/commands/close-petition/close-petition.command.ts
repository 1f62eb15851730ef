import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface ClosePetitionProps {
  petitionId: string;
  /** Public closing note. */
  note?: string;
  metadata: CommandMetadata;
}

/** Closes an answered or inadmissible petition; its history stays readable. */
export class ClosePetitionCommand extends commandOf<ClosePetitionProps>() {
  static readonly commandName = 'ClosePetition';
  static readonly roles = ['clerk', 'official', 'admin'] as const;
}

import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface MakeCommitmentProps {
  threadId: string;
  text: string;
  dueOn: string;
  metadata: CommandMetadata;
}

/** Make a dated commitment in a thread */
export class MakeCommitmentCommand extends commandOf<MakeCommitmentProps>() {
  static readonly commandName = 'MakeCommitment';
  static readonly roles = ['official'] as const;
}

import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface KeepCommitmentProps {
  threadId: string;
  commitmentId: string;
  evidence: string;
  metadata: CommandMetadata;
}

/** Mark a commitment kept, with evidence */
export class KeepCommitmentCommand extends commandOf<KeepCommitmentProps>() {
  static readonly commandName = 'KeepCommitment';
  static readonly roles = ['official'] as const;
}

import type { CommandMetadata } from '../../application/command-metadata';

interface KeepCommitmentProps {
  threadId: string;
  commitmentId: string;
  evidence: string;
  metadata: CommandMetadata;
}

/** Mark a commitment kept, with evidence */
export class KeepCommitmentCommand implements KeepCommitmentProps {
  static readonly commandName = 'KeepCommitment';
  static readonly roles = ['official'] as const;

  readonly threadId: string;
  readonly commitmentId: string;
  readonly evidence: string;
  readonly metadata: CommandMetadata;

  constructor(props: KeepCommitmentProps) {
    this.threadId = props.threadId;
    this.commitmentId = props.commitmentId;
    this.evidence = props.evidence;
    this.metadata = props.metadata;
  }
}

import type { CommandMetadata } from '../../application/command-metadata';

interface MakeCommitmentProps {
  threadId: string;
  text: string;
  dueOn: string;
  metadata: CommandMetadata;
}

/** Make a dated commitment in a thread */
export class MakeCommitmentCommand implements MakeCommitmentProps {
  static readonly commandName = 'MakeCommitment';
  static readonly roles = ['official'] as const;

  readonly threadId: string;
  readonly text: string;
  readonly dueOn: string;
  readonly metadata: CommandMetadata;

  constructor(props: MakeCommitmentProps) {
    this.threadId = props.threadId;
    this.text = props.text;
    this.dueOn = props.dueOn;
    this.metadata = props.metadata;
  }
}

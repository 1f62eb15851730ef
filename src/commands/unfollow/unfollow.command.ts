import type { CommandMetadata } from '../../application/command-metadata';

interface UnfollowProps {
  kind: 'thread' | 'petition';
  targetId: string;
  metadata: CommandMetadata;
}

/** Stop following a thread or a petition */
export class UnfollowCommand implements UnfollowProps {
  static readonly commandName = 'Unfollow';
  static readonly roles = ['citizen'] as const;

  readonly kind: 'thread' | 'petition';
  readonly targetId: string;
  readonly metadata: CommandMetadata;

  constructor(props: UnfollowProps) {
    this.kind = props.kind;
    this.targetId = props.targetId;
    this.metadata = props.metadata;
  }
}

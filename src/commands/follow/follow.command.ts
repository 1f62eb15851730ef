import type { CommandMetadata } from '../../application/command-metadata';

interface FollowProps {
  kind: 'thread' | 'petition';
  targetId: string;
  metadata: CommandMetadata;
}

/** Follow a thread or a petition */
export class FollowCommand implements FollowProps {
  static readonly commandName = 'Follow';
  static readonly roles = ['citizen'] as const;

  readonly kind: 'thread' | 'petition';
  readonly targetId: string;
  readonly metadata: CommandMetadata;

  constructor(props: FollowProps) {
    this.kind = props.kind;
    this.targetId = props.targetId;
    this.metadata = props.metadata;
  }
}

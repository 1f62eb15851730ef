import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface FollowProps {
  kind: 'thread' | 'petition';
  targetId: string;
  metadata: CommandMetadata;
}

/** Follow a thread or a petition */
export class FollowCommand extends commandOf<FollowProps>() {
  static readonly commandName = 'Follow';
  static readonly roles = ['citizen'] as const;
}

import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface UnfollowProps {
  kind: 'thread' | 'petition';
  targetId: string;
  metadata: CommandMetadata;
}

/** Stop following a thread or a petition */
export class UnfollowCommand extends commandOf<UnfollowProps>() {
  static readonly commandName = 'Unfollow';
  static readonly roles = ['citizen'] as const;
}

import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface PostMessageProps {
  threadId: string;
  text: string;
  displayName?: string;
  asCouncilAnswer: boolean;
  metadata: CommandMetadata;
}

/** Post a message in a thread */
export class PostMessageCommand extends commandOf<PostMessageProps>() {
  static readonly commandName = 'PostMessage';
  static readonly roles = ['citizen', 'official'] as const;
}

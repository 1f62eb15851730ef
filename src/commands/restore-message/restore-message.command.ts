import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface RestoreMessageProps {
  threadId: string;
  messageId: string;
  metadata: CommandMetadata;
}

/** Restore a hidden message (moderation) */
export class RestoreMessageCommand extends commandOf<RestoreMessageProps>() {
  static readonly commandName = 'RestoreMessage';
  static readonly roles = ['moderator'] as const;
}

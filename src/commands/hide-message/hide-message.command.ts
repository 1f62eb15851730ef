import { commandOf } from '../../application/command-definition';
import type { HideReason } from '../../domain/dialogue/dialogue.events';
import type { CommandMetadata } from '../../application/command-metadata';

interface HideMessageProps {
  threadId: string;
  messageId: string;
  reasonCode: HideReason;
  metadata: CommandMetadata;
}

/** Hide a message (moderation) */
export class HideMessageCommand extends commandOf<HideMessageProps>() {
  static readonly commandName = 'HideMessage';
  static readonly roles = ['moderator'] as const;
}

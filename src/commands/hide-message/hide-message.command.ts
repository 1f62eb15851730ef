import type { HideReason } from '../../domain/dialogue/dialogue.events';
import type { CommandMetadata } from '../../application/command-metadata';

interface HideMessageProps {
  threadId: string;
  messageId: string;
  reasonCode: HideReason;
  metadata: CommandMetadata;
}

/** Hide a message (moderation) */
export class HideMessageCommand implements HideMessageProps {
  static readonly commandName = 'HideMessage';
  static readonly roles = ['moderator'] as const;

  readonly threadId: string;
  readonly messageId: string;
  readonly reasonCode: HideReason;
  readonly metadata: CommandMetadata;

  constructor(props: HideMessageProps) {
    this.threadId = props.threadId;
    this.messageId = props.messageId;
    this.reasonCode = props.reasonCode;
    this.metadata = props.metadata;
  }
}

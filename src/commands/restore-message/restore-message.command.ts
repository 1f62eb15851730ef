import type { CommandMetadata } from '../../application/command-metadata';

interface RestoreMessageProps {
  threadId: string;
  messageId: string;
  metadata: CommandMetadata;
}

/** Restore a hidden message (moderation) */
export class RestoreMessageCommand implements RestoreMessageProps {
  static readonly commandName = 'RestoreMessage';
  static readonly roles = ['moderator'] as const;

  readonly threadId: string;
  readonly messageId: string;
  readonly metadata: CommandMetadata;

  constructor(props: RestoreMessageProps) {
    this.threadId = props.threadId;
    this.messageId = props.messageId;
    this.metadata = props.metadata;
  }
}

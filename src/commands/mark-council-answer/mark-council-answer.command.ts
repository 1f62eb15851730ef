import type { CommandMetadata } from '../../application/command-metadata';

interface MarkCouncilAnswerProps {
  threadId: string;
  messageId: string;
  metadata: CommandMetadata;
}

/** Mark an official's reply as the council's answer */
export class MarkCouncilAnswerCommand implements MarkCouncilAnswerProps {
  static readonly commandName = 'MarkCouncilAnswer';
  static readonly roles = ['official'] as const;

  readonly threadId: string;
  readonly messageId: string;
  readonly metadata: CommandMetadata;

  constructor(props: MarkCouncilAnswerProps) {
    this.threadId = props.threadId;
    this.messageId = props.messageId;
    this.metadata = props.metadata;
  }
}

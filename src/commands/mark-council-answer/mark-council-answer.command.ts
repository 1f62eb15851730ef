import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface MarkCouncilAnswerProps {
  threadId: string;
  messageId: string;
  metadata: CommandMetadata;
}

/** Mark an official's reply as the council's answer */
export class MarkCouncilAnswerCommand extends commandOf<MarkCouncilAnswerProps>() {
  static readonly commandName = 'MarkCouncilAnswer';
  static readonly roles = ['official'] as const;
}

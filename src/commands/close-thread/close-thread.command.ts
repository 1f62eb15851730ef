import { commandOf } from '../../application/command-definition';
import type { CloseOutcome, CloseReason } from '../../domain/dialogue/dialogue.events';
import type { CommandMetadata } from '../../application/command-metadata';

interface CloseThreadProps {
  threadId: string;
  outcome: CloseOutcome;
  reasonCode: CloseReason;
  metadata: CommandMetadata;
}

/** Resolve or close a thread, with a reason */
export class CloseThreadCommand extends commandOf<CloseThreadProps>() {
  static readonly commandName = 'CloseThread';
  static readonly roles = ['citizen', 'official', 'admin'] as const;
}

import type { CloseOutcome, CloseReason } from '../../domain/dialogue/dialogue.events';
import type { CommandMetadata } from '../../application/command-metadata';

interface CloseThreadProps {
  threadId: string;
  outcome: CloseOutcome;
  reasonCode: CloseReason;
  metadata: CommandMetadata;
}

/** Resolve or close a thread, with a reason */
export class CloseThreadCommand implements CloseThreadProps {
  static readonly commandName = 'CloseThread';
  static readonly roles = ['citizen', 'official', 'admin'] as const;

  readonly threadId: string;
  readonly outcome: CloseOutcome;
  readonly reasonCode: CloseReason;
  readonly metadata: CommandMetadata;

  constructor(props: CloseThreadProps) {
    this.threadId = props.threadId;
    this.outcome = props.outcome;
    this.reasonCode = props.reasonCode;
    this.metadata = props.metadata;
  }
}

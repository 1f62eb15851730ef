import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface EscalateThreadProps {
  threadId: string;
  title: string;
  subject: string;
  requests: string;
  reasons: string;
  metadata: CommandMetadata;
}

/** Escalate a thread into a petition */
export class EscalateThreadCommand extends commandOf<EscalateThreadProps>() {
  static readonly commandName = 'EscalateThread';
  static readonly roles = ['citizen'] as const;
}

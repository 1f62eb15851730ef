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
export class EscalateThreadCommand implements EscalateThreadProps {
  static readonly commandName = 'EscalateThread';
  static readonly roles = ['citizen'] as const;

  readonly threadId: string;
  readonly title: string;
  readonly subject: string;
  readonly requests: string;
  readonly reasons: string;
  readonly metadata: CommandMetadata;

  constructor(props: EscalateThreadProps) {
    this.threadId = props.threadId;
    this.title = props.title;
    this.subject = props.subject;
    this.requests = props.requests;
    this.reasons = props.reasons;
    this.metadata = props.metadata;
  }
}

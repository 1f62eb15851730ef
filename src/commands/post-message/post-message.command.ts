import type { CommandMetadata } from '../../application/command-metadata';

interface PostMessageProps {
  threadId: string;
  text: string;
  displayName?: string;
  asCouncilAnswer: boolean;
  metadata: CommandMetadata;
}

/** Post a message in a thread */
export class PostMessageCommand implements PostMessageProps {
  static readonly commandName = 'PostMessage';
  static readonly roles = ['citizen', 'official'] as const;

  readonly threadId: string;
  readonly text: string;
  readonly displayName?: string;
  readonly asCouncilAnswer: boolean;
  readonly metadata: CommandMetadata;

  constructor(props: PostMessageProps) {
    this.threadId = props.threadId;
    this.text = props.text;
    this.displayName = props.displayName;
    this.asCouncilAnswer = props.asCouncilAnswer;
    this.metadata = props.metadata;
  }
}

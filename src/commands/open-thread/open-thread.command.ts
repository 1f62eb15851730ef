import type { CommandMetadata } from '../../application/command-metadata';

interface OpenThreadProps {
  councilId: string;
  officialId: string | null;
  category: string;
  area: string;
  subject: string;
  text: string;
  displayName: string;
  metadata: CommandMetadata;
}

/** Open a thread with a council or one of its officials */
export class OpenThreadCommand implements OpenThreadProps {
  static readonly commandName = 'OpenThread';
  static readonly roles = ['citizen'] as const;

  readonly councilId: string;
  readonly officialId: string | null;
  readonly category: string;
  readonly area: string;
  readonly subject: string;
  readonly text: string;
  readonly displayName: string;
  readonly metadata: CommandMetadata;

  constructor(props: OpenThreadProps) {
    this.councilId = props.councilId;
    this.officialId = props.officialId;
    this.category = props.category;
    this.area = props.area;
    this.subject = props.subject;
    this.text = props.text;
    this.displayName = props.displayName;
    this.metadata = props.metadata;
  }
}

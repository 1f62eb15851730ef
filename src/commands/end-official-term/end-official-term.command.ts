import type { CommandMetadata } from '../../application/command-metadata';

interface EndOfficialTermProps {
  councilId: string;
  officialId: string;
  endedOn: string;
  metadata: CommandMetadata;
}

/** Record that an official's term ended early */
export class EndOfficialTermCommand implements EndOfficialTermProps {
  static readonly commandName = 'EndOfficialTerm';
  static readonly roles = ['clerk', 'admin'] as const;

  readonly councilId: string;
  readonly officialId: string;
  readonly endedOn: string;
  readonly metadata: CommandMetadata;

  constructor(props: EndOfficialTermProps) {
    this.councilId = props.councilId;
    this.officialId = props.officialId;
    this.endedOn = props.endedOn;
    this.metadata = props.metadata;
  }
}

import type { CommandMetadata } from '../../application/command-metadata';
import type { ResponseDecision } from '../../domain/petition/petition.events';

interface RecordResponseProps {
  petitionId: string;
  /** The council's deliberation. */
  decision: ResponseDecision;
  text: string;
  respondingOfficial: { name: string; title: string };
  deliberationRef?: string;
  metadata: CommandMetadata;
}

/** The council's official response to an admissible petition. */
export class RecordResponseCommand implements RecordResponseProps {
  static readonly commandName = 'RecordOfficialResponse';
  static readonly roles = ['clerk', 'official'] as const;

  readonly petitionId: string;
  readonly decision: ResponseDecision;
  readonly text: string;
  readonly respondingOfficial: { name: string; title: string };
  readonly deliberationRef?: string;
  readonly metadata: CommandMetadata;

  constructor(props: RecordResponseProps) {
    this.petitionId = props.petitionId;
    this.decision = props.decision;
    this.text = props.text;
    this.respondingOfficial = props.respondingOfficial;
    this.deliberationRef = props.deliberationRef;
    this.metadata = props.metadata;
  }
}

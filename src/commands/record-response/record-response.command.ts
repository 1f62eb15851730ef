import { commandOf } from '../../application/command-definition';
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
export class RecordResponseCommand extends commandOf<RecordResponseProps>() {
  static readonly commandName = 'RecordOfficialResponse';
  static readonly roles = ['clerk', 'official'] as const;
}

import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface EndOfficialTermProps {
  councilId: string;
  officialId: string;
  endedOn: string;
  metadata: CommandMetadata;
}

/** Record that an official's term ended early */
export class EndOfficialTermCommand extends commandOf<EndOfficialTermProps>() {
  static readonly commandName = 'EndOfficialTerm';
  static readonly roles = ['clerk', 'admin'] as const;
}

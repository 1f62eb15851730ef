import { commandOf } from '../../application/command-definition';
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
export class OpenThreadCommand extends commandOf<OpenThreadProps>() {
  static readonly commandName = 'OpenThread';
  static readonly roles = ['citizen'] as const;
}

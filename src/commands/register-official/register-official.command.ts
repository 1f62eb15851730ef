import { commandOf } from '../../application/command-definition';
import type { OfficialRole } from '../../domain/dialogue/dialogue.events';
import type { CommandMetadata } from '../../application/command-metadata';

interface RegisterOfficialProps {
  councilId: string;
  name: { ar: string; fr: string };
  role: OfficialRole;
  committee: string | null;
  party: string | null;
  termStart: string;
  termEnd: string;
  accountSub: string;
  metadata: CommandMetadata;
}

/** Register an official in a council's registry */
export class RegisterOfficialCommand extends commandOf<RegisterOfficialProps>() {
  static readonly commandName = 'RegisterOfficial';
  static readonly roles = ['clerk', 'admin'] as const;
}

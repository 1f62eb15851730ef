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
export class RegisterOfficialCommand implements RegisterOfficialProps {
  static readonly commandName = 'RegisterOfficial';
  static readonly roles = ['clerk', 'admin'] as const;

  readonly councilId: string;
  readonly name: { ar: string; fr: string };
  readonly role: OfficialRole;
  readonly committee: string | null;
  readonly party: string | null;
  readonly termStart: string;
  readonly termEnd: string;
  readonly accountSub: string;
  readonly metadata: CommandMetadata;

  constructor(props: RegisterOfficialProps) {
    this.councilId = props.councilId;
    this.name = props.name;
    this.role = props.role;
    this.committee = props.committee;
    this.party = props.party;
    this.termStart = props.termStart;
    this.termEnd = props.termEnd;
    this.accountSub = props.accountSub;
    this.metadata = props.metadata;
  }
}

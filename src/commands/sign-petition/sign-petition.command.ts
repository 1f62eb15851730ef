import type { CommandMetadata } from '../../application/command-metadata';
import type { PaperSheetLine } from '../../domain/vault/signatory-data';
import type { SignatureChannel, SignerBasis } from '../../domain/signature/signature.events';

/** A signature: online by a citizen for themself, or from a paper sheet by the agent or a clerk. */
export class SignPetitionCommand {
  static readonly commandName = 'SignPetition';
  static readonly roles = ['citizen', 'agent', 'association_rep', 'clerk'] as const;

  readonly petitionId: string;
  /** Normalised CNIE number; online, the token's attested number when absent. Never stored. */
  readonly identityNumber?: string;
  readonly basis: SignerBasis;
  /** Communes and provinces: declared meeting the conditions for registration on the electoral lists. */
  readonly meetsElectoralRegistrationConditions?: boolean;
  readonly electoralListRegistered?: boolean;
  /** Defaults to online. */
  readonly channel?: SignatureChannel;
  readonly provinceId?: string;
  readonly paperSheet?: PaperSheetLine;
  /** Paper (and declared mode): the signatory's particulars; sealed by the vault, never stored in clear. */
  readonly fullName?: string;
  readonly address?: string;
  readonly metadata: CommandMetadata;

  constructor(props: {
    petitionId: string;
    identityNumber?: string;
    basis: SignerBasis;
    meetsElectoralRegistrationConditions?: boolean;
    electoralListRegistered?: boolean;
    channel?: SignatureChannel;
    provinceId?: string;
    paperSheet?: PaperSheetLine;
    fullName?: string;
    address?: string;
    metadata: CommandMetadata;
  }) {
    this.petitionId = props.petitionId;
    this.identityNumber = props.identityNumber;
    this.basis = props.basis;
    this.meetsElectoralRegistrationConditions = props.meetsElectoralRegistrationConditions;
    this.electoralListRegistered = props.electoralListRegistered;
    this.channel = props.channel;
    this.provinceId = props.provinceId;
    this.paperSheet = props.paperSheet;
    this.fullName = props.fullName;
    this.address = props.address;
    this.metadata = props.metadata;
  }
}

export interface SignPetitionResult {
  signatureId: string;
  /** Proves later that the signature was counted. */
  receipt: string;
  /** The request's last event: the threshold event when this signature reached it, else the signature. */
  position: string;
  /** The PetitionSigned event's chain hash: the entry of its Merkle leaf. */
  eventHash: string;
}

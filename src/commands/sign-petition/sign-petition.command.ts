import type { CommandMetadata } from '../../application/command-metadata';
import type { SignatureChannel, SignerBasis } from '../../domain/signature/signature.events';

/** A signature: online by a citizen for themself, or from a paper sheet by the agent or a clerk. */
export class SignPetitionCommand {
  static readonly commandName = 'SignPetition';
  static readonly roles = ['citizen', 'agent', 'association_rep', 'clerk', 'official'] as const;

  readonly petitionId: string;
  /** Normalised CNIE number; online, the token's attested number when absent. Never stored. */
  readonly identityNumber?: string;
  readonly basis: SignerBasis;
  readonly electoralListRegistered: boolean;
  /** Defaults to online. */
  readonly channel?: SignatureChannel;
  readonly provinceId?: string;
  readonly paperSheetRef?: string;
  readonly metadata: CommandMetadata;

  constructor(props: {
    petitionId: string;
    identityNumber?: string;
    basis: SignerBasis;
    electoralListRegistered: boolean;
    channel?: SignatureChannel;
    provinceId?: string;
    paperSheetRef?: string;
    metadata: CommandMetadata;
  }) {
    this.petitionId = props.petitionId;
    this.identityNumber = props.identityNumber;
    this.basis = props.basis;
    this.electoralListRegistered = props.electoralListRegistered;
    this.channel = props.channel;
    this.provinceId = props.provinceId;
    this.paperSheetRef = props.paperSheetRef;
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

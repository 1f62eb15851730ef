import type { CommandMetadata } from '../../application/command-metadata';
import type { SignatureChannel } from '../../domain/signature/signature.events';

/** Withdraws a signature before submission: online by the signer, paper by the agent or a clerk. */
export class WithdrawSignatureCommand {
  static readonly commandName = 'WithdrawSignature';
  static readonly roles = ['citizen', 'agent', 'association_rep', 'clerk'] as const;

  readonly petitionId: string;
  /** Normalised CNIE number; online, the token's attested number when absent. */
  readonly identityNumber?: string;
  /** Defaults to online. */
  readonly channel?: SignatureChannel;
  readonly metadata: CommandMetadata;

  constructor(props: { petitionId: string; identityNumber?: string; channel?: SignatureChannel; metadata: CommandMetadata }) {
    this.petitionId = props.petitionId;
    this.identityNumber = props.identityNumber;
    this.channel = props.channel;
    this.metadata = props.metadata;
  }
}

export interface WithdrawSignatureResult {
  signatureId: string;
  /** Global position of the SignatureWithdrawn event (decimal string). */
  position: string;
}

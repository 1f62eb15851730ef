import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';
import type { SignatureChannel } from '../../domain/signature/signature.events';

interface WithdrawSignatureProps {
  petitionId: string;
  /** Normalised CNIE number; online, the token's attested number when absent. */
  identityNumber?: string;
  /** Defaults to online. */
  channel?: SignatureChannel;
  metadata: CommandMetadata;
}

/** Withdraws a signature before submission: online by the signer, paper by the agent or a clerk. */
export class WithdrawSignatureCommand extends commandOf<WithdrawSignatureProps>() {
  static readonly commandName = 'WithdrawSignature';
  static readonly roles = ['citizen', 'agent', 'association_rep', 'clerk'] as const;
}

export interface WithdrawSignatureResult {
  signatureId: string;
  /** Global position of the SignatureWithdrawn event (decimal string). */
  position: string;
}

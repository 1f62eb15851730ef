import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';
import type { PaperSheetLine } from '../../domain/vault/signatory-data';
import type { SignatureChannel, SignerBasis } from '../../domain/signature/signature.events';

interface SignPetitionProps {
  petitionId: string;
  /** Normalised CNIE number; online, the token's attested number when absent. Never stored. */
  identityNumber?: string;
  basis: SignerBasis;
  /** Communes and provinces: declared meeting the conditions for registration on the electoral lists. */
  meetsElectoralRegistrationConditions?: boolean;
  electoralListRegistered?: boolean;
  /** Defaults to online. */
  channel?: SignatureChannel;
  provinceId?: string;
  paperSheet?: PaperSheetLine;
  /** Paper (and declared mode): the signatory's particulars; sealed by the vault, never stored in clear. */
  fullName?: string;
  address?: string;
  metadata: CommandMetadata;
}

/** A signature: online by a citizen for themself, or from a paper sheet by the agent or a clerk. */
export class SignPetitionCommand extends commandOf<SignPetitionProps>() {
  static readonly commandName = 'SignPetition';
  static readonly roles = ['citizen', 'agent', 'association_rep', 'clerk'] as const;
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

import type { CommandMetadata } from '../../application/command-metadata';

/**
 * Erasure of a signatory's personal data: by the signatory (the identity their token attests), or
 * by an admin acting on a written request (its reference recorded). On one petition, or on all.
 */
export class EraseSignatoryDataCommand {
  static readonly commandName = 'EraseSignatoryData';
  static readonly roles = ['citizen', 'admin'] as const;

  readonly petitionId?: string;
  /** Admin: the signatory's identity number, from the written request. Never stored. */
  readonly identityNumber?: string;
  readonly requestReference?: string;
  readonly metadata: CommandMetadata;

  constructor(props: { petitionId?: string; identityNumber?: string; requestReference?: string; metadata: CommandMetadata }) {
    this.petitionId = props.petitionId;
    this.identityNumber = props.identityNumber;
    this.requestReference = props.requestReference;
    this.metadata = props.metadata;
  }
}

export interface EraseSignatoryDataResult {
  /** Signatures whose particulars are now unreadable. */
  erased: number;
  petitions: string[];
  /** Global position of the last SignatoryDataErased event. */
  position: string;
}

import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface EraseSignatoryDataProps {
  petitionId?: string;
  /** Admin: the signatory's identity number, from the written request. Never stored. */
  identityNumber?: string;
  requestReference?: string;
  metadata: CommandMetadata;
}

/**
 * Erasure of a signatory's personal data: by the signatory (the identity their token attests), or
 * by an admin acting on a written request (its reference recorded). On one petition, or on all.
 */
export class EraseSignatoryDataCommand extends commandOf<EraseSignatoryDataProps>() {
  static readonly commandName = 'EraseSignatoryData';
  static readonly roles = ['citizen', 'admin'] as const;
}

export interface EraseSignatoryDataResult {
  /** Signatures whose particulars are now unreadable. */
  erased: number;
  petitions: string[];
  /** Global position of the last SignatoryDataErased event. */
  position: string;
}

import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface ReinstateSignaturesProps {
  petitionId: string;
  invalidationId: string;
  /** One of REINSTATEMENT_REASON_CODES. */
  reasonCode: string;
  /** A part of the invalidation; all of it when absent. */
  signatureIds?: string[];
  metadata: CommandMetadata;
}

/** Reverses an invalidation, whole or in part: its signatures count again. */
export class ReinstateSignaturesCommand extends commandOf<ReinstateSignaturesProps>() {
  static readonly commandName = 'ReinstateSignatures';
  static readonly roles = ['clerk', 'admin'] as const;
}

export interface ReinstateSignaturesResult {
  invalidationId: string;
  /** Signatures counted again. */
  count: number;
  /** Global position of the SignaturesReinstated event (decimal string). */
  position: string;
}

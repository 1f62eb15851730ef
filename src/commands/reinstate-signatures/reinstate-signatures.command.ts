import type { CommandMetadata } from '../../application/command-metadata';

/** Reverses an invalidation, whole or in part: its signatures count again. */
export class ReinstateSignaturesCommand {
  static readonly commandName = 'ReinstateSignatures';
  static readonly roles = ['clerk', 'admin'] as const;

  readonly petitionId: string;
  readonly invalidationId: string;
  /** One of REINSTATEMENT_REASON_CODES. */
  readonly reasonCode: string;
  /** A part of the invalidation; all of it when absent. */
  readonly signatureIds?: string[];
  readonly metadata: CommandMetadata;

  constructor(props: { petitionId: string; invalidationId: string; reasonCode: string; signatureIds?: string[]; metadata: CommandMetadata }) {
    this.petitionId = props.petitionId;
    this.invalidationId = props.invalidationId;
    this.reasonCode = props.reasonCode;
    this.signatureIds = props.signatureIds;
    this.metadata = props.metadata;
  }
}

export interface ReinstateSignaturesResult {
  invalidationId: string;
  /** Signatures counted again. */
  count: number;
  /** Global position of the SignaturesReinstated event (decimal string). */
  position: string;
}

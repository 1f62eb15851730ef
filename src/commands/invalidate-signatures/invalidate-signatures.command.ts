import type { CommandMetadata } from '../../application/command-metadata';
import type { InvalidationCriteria } from '../../domain/signature/invalidation.events';

/** Invalidates the petition's counted signatures that match every given criterion, for one reason. */
export class InvalidateSignaturesCommand {
  static readonly commandName = 'InvalidateSignatures';
  static readonly roles = ['clerk', 'admin'] as const;

  readonly petitionId: string;
  /** One of INVALIDATION_REASON_CODES. */
  readonly reasonCode: string;
  /** Instants as ISO strings in UTC. */
  readonly criteria: InvalidationCriteria;
  readonly metadata: CommandMetadata;

  constructor(props: { petitionId: string; reasonCode: string; criteria: InvalidationCriteria; metadata: CommandMetadata }) {
    this.petitionId = props.petitionId;
    this.reasonCode = props.reasonCode;
    this.criteria = props.criteria;
    this.metadata = props.metadata;
  }
}

export interface InvalidateSignaturesResult {
  invalidationId: string;
  /** Signatures invalidated by this decision. */
  count: number;
  /** Global position of the SignaturesInvalidated event (decimal string). */
  position: string;
}

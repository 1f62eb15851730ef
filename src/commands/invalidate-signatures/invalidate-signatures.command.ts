import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';
import type { InvalidationCriteria } from '../../domain/signature/invalidation.events';

interface InvalidateSignaturesProps {
  petitionId: string;
  /** One of INVALIDATION_REASON_CODES. */
  reasonCode: string;
  /** Instants as ISO strings in UTC. */
  criteria: InvalidationCriteria;
  metadata: CommandMetadata;
}

/** Invalidates the petition's counted signatures that match every given criterion, for one reason. */
export class InvalidateSignaturesCommand extends commandOf<InvalidateSignaturesProps>() {
  static readonly commandName = 'InvalidateSignatures';
  static readonly roles = ['clerk', 'admin'] as const;
}

export interface InvalidateSignaturesResult {
  invalidationId: string;
  /** Signatures invalidated by this decision. */
  count: number;
  /** Global position of the SignaturesInvalidated event (decimal string). */
  position: string;
}

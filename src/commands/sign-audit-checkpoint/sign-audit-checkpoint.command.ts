import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';

interface SignAuditCheckpointProps {
  metadata: CommandMetadata;
}

/** An admin signs a checkpoint of the Merkle log now, e.g. before handing an export to an auditor. */
export class SignAuditCheckpointCommand extends commandOf<SignAuditCheckpointProps>() {
  static readonly commandName = 'SignAuditCheckpoint';
  static readonly roles = ['admin'] as const;
}

import type { CommandMetadata } from '../../application/command-metadata';

/** An admin signs a checkpoint of the Merkle log now, e.g. before handing an export to an auditor. */
export class SignAuditCheckpointCommand {
  static readonly commandName = 'SignAuditCheckpoint';
  static readonly roles = ['admin'] as const;

  readonly metadata: CommandMetadata;

  constructor(props: { metadata: CommandMetadata }) {
    this.metadata = props.metadata;
  }
}

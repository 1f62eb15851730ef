import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';
import type { SignatoryListFormat } from '../../domain/vault/vault.events';

interface DownloadSignatoryListProps {
  petitionId: string;
  format: SignatoryListFormat;
  metadata: CommandMetadata;
}

/** The petition's signatory list, in clear, for its agent (the filing) or a clerk of its council (verification); recorded. */
export class DownloadSignatoryListCommand extends commandOf<DownloadSignatoryListProps>() {
  static readonly commandName = 'DownloadSignatoryList';
  /** The petition's owner files as an agent, a citizen or an association's representative; clerks verify. */
  static readonly roles = ['agent', 'citizen', 'association_rep', 'clerk'] as const;
}

export interface SignatoryListDocument {
  contentType: string;
  fileName: string;
  body: string;
  rows: number;
  /** Global position of the SignatoryListDownloaded event. */
  position: string;
}

import { commandOf } from '../../application/command-definition';
import type { CommandMetadata } from '../../application/command-metadata';
import type { AssociationDeclaration, AssociationDocuments, PetitionerType } from '../../domain/petition/petition.events';

/** The association's declared conditions, its membership and the documents declared attached. */
export type FiledAssociation = AssociationDeclaration & { memberCount: number; documents: AssociationDocuments };

interface FilePetitionProps {
  councilId: string;
  petitionerType: PetitionerType;
  /** An association's petition: its declared conditions. */
  association?: FiledAssociation;
  /** A citizens' petition: identity-card copies attached to the paper sheets. */
  identityCardCopies?: number;
  title: string;
  subject: string;
  requests: string;
  reasons: string;
  metadata: CommandMetadata;
}

/** Files a petition with a council; signature collection opens at once. */
export class FilePetitionCommand extends commandOf<FilePetitionProps>() {
  static readonly commandName = 'FilePetition';
  static readonly roles = ['agent', 'citizen', 'association_rep'] as const;
}

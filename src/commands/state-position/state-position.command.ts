import { commandOf } from '../../application/command-definition';
import type { Stance } from '../../domain/dialogue/dialogue.events';
import type { CommandMetadata } from '../../application/command-metadata';

interface StatePositionProps {
  petitionId: string;
  stance: Stance;
  reasons: string;
  metadata: CommandMetadata;
}

/** State (or change) an official's position on a petition */
export class StatePositionCommand extends commandOf<StatePositionProps>() {
  static readonly commandName = 'StatePosition';
  static readonly roles = ['official'] as const;
}

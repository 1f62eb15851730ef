import type { Stance } from '../../domain/dialogue/dialogue.events';
import type { CommandMetadata } from '../../application/command-metadata';

interface StatePositionProps {
  petitionId: string;
  stance: Stance;
  reasons: string;
  metadata: CommandMetadata;
}

/** State (or change) an official's position on a petition */
export class StatePositionCommand implements StatePositionProps {
  static readonly commandName = 'StatePosition';
  static readonly roles = ['official'] as const;

  readonly petitionId: string;
  readonly stance: Stance;
  readonly reasons: string;
  readonly metadata: CommandMetadata;

  constructor(props: StatePositionProps) {
    this.petitionId = props.petitionId;
    this.stance = props.stance;
    this.reasons = props.reasons;
    this.metadata = props.metadata;
  }
}

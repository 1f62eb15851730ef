import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { StatePositionCommand } from './state-position.command';

@CommandHandler(StatePositionCommand)
export class StatePositionHandler implements ICommandHandler<StatePositionCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: StatePositionCommand): Promise<DialogueOutcome> {
    return this.dialogue.position(StatePositionCommand, { type: 'StatePosition', petitionId: c.petitionId, stance: c.stance, reasons: c.reasons }, c.metadata);
  }
}

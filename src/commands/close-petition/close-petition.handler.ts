import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { CommandOutcome } from '../../application/command-outcome';
import { PetitionCommands } from '../../application/petition-commands.service';
import { ClosePetitionCommand } from './close-petition.command';

@CommandHandler(ClosePetitionCommand)
export class ClosePetitionHandler implements ICommandHandler<ClosePetitionCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands) {}

  execute({ petitionId, note, metadata }: ClosePetitionCommand): Promise<CommandOutcome> {
    return this.petitions.run(ClosePetitionCommand, petitionId, { type: 'ClosePetition', ...(note ? { note } : {}) }, metadata);
  }
}

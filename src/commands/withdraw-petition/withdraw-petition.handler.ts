import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { CommandOutcome } from '../../application/command-outcome';
import { PetitionCommands } from '../../application/petition-commands.service';
import { WithdrawPetitionCommand } from './withdraw-petition.command';

@CommandHandler(WithdrawPetitionCommand)
export class WithdrawPetitionHandler implements ICommandHandler<WithdrawPetitionCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands) {}

  execute({ petitionId, reason, metadata }: WithdrawPetitionCommand): Promise<CommandOutcome> {
    return this.petitions.run(WithdrawPetitionCommand, petitionId, { type: 'WithdrawPetition', ...(reason ? { reason } : {}) }, metadata);
  }
}

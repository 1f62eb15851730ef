import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { CommandOutcome } from '../../application/command-outcome';
import { PetitionCommands } from '../../application/petition-commands.service';
import { SignatureTallyService } from '../../application/signature-tally.service';
import { SubmitPetitionCommand } from './submit-petition.command';

/** The count is taken from fresh state on every attempt, so a concurrent signature is never missed. */
@CommandHandler(SubmitPetitionCommand)
export class SubmitPetitionHandler implements ICommandHandler<SubmitPetitionCommand, CommandOutcome> {
  constructor(
    private readonly petitions: PetitionCommands,
    private readonly tallies: SignatureTallyService,
  ) {}

  execute({ petitionId, metadata }: SubmitPetitionCommand): Promise<CommandOutcome> {
    const submission = async () => ({ type: 'SubmitPetition' as const, tally: await this.tallies.tallyOf(petitionId) });
    return this.petitions.run(SubmitPetitionCommand, petitionId, submission, metadata);
  }
}

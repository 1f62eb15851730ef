import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome, PetitionCommands } from '../shared/petition-commands.service';
import type { RequestContext } from '../shared/request-context';
import { SignatureTallyService } from '../shared/signature-tally.service';

export class SubmitPetitionCommand {
  constructor(readonly petitionId: string, readonly request: RequestContext) {}
}

/** The agent submits to the council; the count and the position it was counted up to are recorded. */
@CommandHandler(SubmitPetitionCommand)
export class SubmitPetitionHandler implements ICommandHandler<SubmitPetitionCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands, private readonly tallies: SignatureTallyService) {}

  execute({ petitionId, request }: SubmitPetitionCommand): Promise<CommandOutcome> {
    return this.petitions.run(
      petitionId,
      async () => ({ type: 'SubmitPetition', tally: await this.tallies.tallyOf(petitionId) }),
      request,
      'SubmitPetition',
      ['agent', 'citizen', 'association_rep'],
    );
  }
}

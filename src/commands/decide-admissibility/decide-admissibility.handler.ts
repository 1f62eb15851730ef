import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { CommandOutcome } from '../../application/command-outcome';
import { PetitionCommands } from '../../application/petition-commands.service';
import { DecideAdmissibilityCommand } from './decide-admissibility.command';

@CommandHandler(DecideAdmissibilityCommand)
export class DecideAdmissibilityHandler implements ICommandHandler<DecideAdmissibilityCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands) {}

  execute(c: DecideAdmissibilityCommand): Promise<CommandOutcome> {
    return c.decision === 'admissible'
      ? this.petitions.run(
          DecideAdmissibilityCommand.admissible,
          c.petitionId,
          {
            type: 'DeclareAdmissible',
            ...(c.agendaSession ? { agendaSession: c.agendaSession } : {}),
            committee: c.committee!,
            ...(c.note ? { note: c.note } : {}),
          },
          c.metadata,
        )
      : this.petitions.run(
          DecideAdmissibilityCommand.inadmissible,
          c.petitionId,
          { type: 'DeclareInadmissible', reasonCodes: c.reasonCodes!, reasonText: c.reasonText! },
          c.metadata,
        );
  }
}

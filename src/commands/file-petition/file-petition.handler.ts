import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../../application/clock';
import type { CommandOutcome } from '../../application/command-outcome';
import { PetitionCommands } from '../../application/petition-commands.service';
import { DomainError } from '../../domain/shared/domain-error';
import { FilePetitionCommand } from './file-petition.command';

@CommandHandler(FilePetitionCommand)
export class FilePetitionHandler implements ICommandHandler<FilePetitionCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands) {}

  async execute(c: FilePetitionCommand): Promise<CommandOutcome> {
    const council = this.petitions.rules.registry.councils.find((candidate) => candidate.id === c.councilId);
    if (!council) {
      throw new DomainError('COUNCIL_NOT_FOUND', `No council ${c.councilId}; see GET /councils`, 'rule', { councilId: c.councilId });
    }
    const petitionId = newId();
    return this.petitions.run(
      FilePetitionCommand,
      petitionId,
      {
        type: 'FilePetition',
        petitionId,
        council,
        petitionerType: c.petitionerType,
        ...(c.association ? { association: { ...c.association } } : {}),
        ...(c.identityCardCopies !== undefined ? { identityCardCopies: c.identityCardCopies } : {}),
        title: c.title,
        subject: c.subject,
        requests: c.requests,
        reasons: c.reasons,
      },
      c.metadata,
    );
  }
}

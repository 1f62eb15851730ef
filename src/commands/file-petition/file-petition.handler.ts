import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '../../domain/shared/domain-error';
import { newId } from '../shared/clock';
import { CommandOutcome, PetitionCommands } from '../shared/petition-commands.service';
import type { RequestContext } from '../shared/request-context';
import type { FilePetitionDto } from './file-petition.dto';

export class FilePetitionCommand {
  constructor(readonly body: FilePetitionDto, readonly request: RequestContext) {}
}

@CommandHandler(FilePetitionCommand)
export class FilePetitionHandler implements ICommandHandler<FilePetitionCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands) {}

  async execute({ body, request }: FilePetitionCommand): Promise<CommandOutcome> {
    const council = this.petitions.rules.registry.councils.find((c) => c.id === body.councilId);
    if (!council) throw new DomainError('COUNCIL_NOT_FOUND', `No council ${body.councilId}; see GET /councils`, 'rule', { councilId: body.councilId });
    const petitionId = newId();
    return this.petitions.run(
      petitionId,
      {
        type: 'FilePetition',
        petitionId,
        council,
        petitionerType: body.petitionerType,
        ...(body.association ? { association: { ...body.association } } : {}),
        title: body.title,
        subject: body.subject,
        requests: body.requests,
        reasons: body.reasons,
      },
      request,
      'FilePetition',
      ['agent', 'citizen', 'association_rep'],
    );
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome, PetitionCommands } from '../shared/petition-commands.service';
import type { RequestContext } from '../shared/request-context';
import type { DecideAdmissibilityDto } from './decide-admissibility.dto';

export class DecideAdmissibilityCommand {
  constructor(readonly petitionId: string, readonly body: DecideAdmissibilityDto, readonly request: RequestContext) {}
}

/** The council bureau's decision, recorded by a clerk or an official of that council. */
@CommandHandler(DecideAdmissibilityCommand)
export class DecideAdmissibilityHandler implements ICommandHandler<DecideAdmissibilityCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands) {}

  execute({ petitionId, body, request }: DecideAdmissibilityCommand): Promise<CommandOutcome> {
    return body.decision === 'admissible'
      ? this.petitions.run(petitionId, { type: 'DeclareAdmissible', agendaSession: body.agendaSession!, committee: body.committee!, ...(body.note ? { note: body.note } : {}) }, request, 'DeclarePetitionAdmissible', ['clerk', 'official'])
      : this.petitions.run(petitionId, { type: 'DeclareInadmissible', reasonCodes: body.reasonCodes!, reasonText: body.reasonText! }, request, 'DeclarePetitionInadmissible', ['clerk', 'official']);
  }
}

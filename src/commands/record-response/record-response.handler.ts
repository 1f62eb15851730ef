import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandOutcome, PetitionCommands } from '../shared/petition-commands.service';
import type { RequestContext } from '../shared/request-context';
import type { RecordResponseDto } from './record-response.dto';

export class RecordResponseCommand {
  constructor(readonly petitionId: string, readonly body: RecordResponseDto, readonly request: RequestContext) {}
}

@CommandHandler(RecordResponseCommand)
export class RecordResponseHandler implements ICommandHandler<RecordResponseCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands) {}

  execute({ petitionId, body, request }: RecordResponseCommand): Promise<CommandOutcome> {
    return this.petitions.run(
      petitionId,
      {
        type: 'RecordOfficialResponse',
        decision: body.decision,
        text: body.text,
        respondingOfficial: { name: body.respondingOfficial.name, title: body.respondingOfficial.title },
        ...(body.deliberationRef ? { deliberationRef: body.deliberationRef } : {}),
      },
      request,
      'RecordOfficialResponse',
      ['clerk', 'official'],
    );
  }
}

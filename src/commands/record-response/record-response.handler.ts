import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { CommandOutcome } from '../../application/command-outcome';
import { PetitionCommands } from '../../application/petition-commands.service';
import { RecordResponseCommand } from './record-response.command';

@CommandHandler(RecordResponseCommand)
export class RecordResponseHandler implements ICommandHandler<RecordResponseCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands) {}

  execute(c: RecordResponseCommand): Promise<CommandOutcome> {
    return this.petitions.run(
      RecordResponseCommand,
      c.petitionId,
      {
        type: 'RecordOfficialResponse',
        decision: c.decision,
        text: c.text,
        respondingOfficial: { name: c.respondingOfficial.name, title: c.respondingOfficial.title },
        ...(c.deliberationRef ? { deliberationRef: c.deliberationRef } : {}),
      },
      c.metadata,
    );
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../../application/clock';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { EscalateThreadCommand } from './escalate-thread.command';

@CommandHandler(EscalateThreadCommand)
export class EscalateThreadHandler implements ICommandHandler<EscalateThreadCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: EscalateThreadCommand): Promise<DialogueOutcome> {
    return this.dialogue
      .escalate(
        EscalateThreadCommand,
        c.threadId,
        { petitionId: newId(), title: c.title, subject: c.subject, requests: c.requests, reasons: c.reasons },
        c.metadata,
      )
      .then((outcome) => ({ ...outcome, id: outcome.petitionId }));
  }
}

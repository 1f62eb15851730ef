import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { CloseThreadCommand } from './close-thread.command';

@CommandHandler(CloseThreadCommand)
export class CloseThreadHandler implements ICommandHandler<CloseThreadCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: CloseThreadCommand): Promise<DialogueOutcome> {
    return this.dialogue.thread(CloseThreadCommand, c.threadId, { type: 'CloseThread', outcome: c.outcome, reasonCode: c.reasonCode }, c.metadata);
  }
}

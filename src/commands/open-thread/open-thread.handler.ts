import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../../application/clock';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { OpenThreadCommand } from './open-thread.command';

@CommandHandler(OpenThreadCommand)
export class OpenThreadHandler implements ICommandHandler<OpenThreadCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: OpenThreadCommand): Promise<DialogueOutcome> {
    const threadId = newId();
    return this.dialogue.thread(
      OpenThreadCommand,
      threadId,
      {
        type: 'OpenThread',
        threadId,
        messageId: newId(),
        councilId: c.councilId,
        officialId: c.officialId,
        category: c.category,
        area: c.area,
        subject: c.subject,
        text: c.text,
        displayName: c.displayName,
      },
      c.metadata,
    );
  }
}

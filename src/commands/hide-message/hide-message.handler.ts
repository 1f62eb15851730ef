import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { HideMessageCommand } from './hide-message.command';

@CommandHandler(HideMessageCommand)
export class HideMessageHandler implements ICommandHandler<HideMessageCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: HideMessageCommand): Promise<DialogueOutcome> {
    return this.dialogue.thread(HideMessageCommand, c.threadId, { type: 'HideMessage', messageId: c.messageId, reasonCode: c.reasonCode }, c.metadata);
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { RestoreMessageCommand } from './restore-message.command';

@CommandHandler(RestoreMessageCommand)
export class RestoreMessageHandler implements ICommandHandler<RestoreMessageCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: RestoreMessageCommand): Promise<DialogueOutcome> {
    return this.dialogue.thread(RestoreMessageCommand, c.threadId, { type: 'RestoreMessage', messageId: c.messageId }, c.metadata);
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../../application/clock';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { PostMessageCommand } from './post-message.command';

@CommandHandler(PostMessageCommand)
export class PostMessageHandler implements ICommandHandler<PostMessageCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: PostMessageCommand): Promise<DialogueOutcome> {
    const messageId = newId();
    return this.dialogue
      .thread(
        PostMessageCommand,
        c.threadId,
        { type: 'PostMessage', messageId, text: c.text, ...(c.displayName ? { displayName: c.displayName } : {}), asCouncilAnswer: c.asCouncilAnswer },
        c.metadata,
      )
      .then((outcome) => ({ ...outcome, id: messageId }));
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { MarkCouncilAnswerCommand } from './mark-council-answer.command';

@CommandHandler(MarkCouncilAnswerCommand)
export class MarkCouncilAnswerHandler implements ICommandHandler<MarkCouncilAnswerCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: MarkCouncilAnswerCommand): Promise<DialogueOutcome> {
    return this.dialogue.thread(MarkCouncilAnswerCommand, c.threadId, { type: 'MarkCouncilAnswer', messageId: c.messageId }, c.metadata);
  }
}

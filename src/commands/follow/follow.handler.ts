import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { FollowCommand } from './follow.command';

@CommandHandler(FollowCommand)
export class FollowHandler implements ICommandHandler<FollowCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: FollowCommand): Promise<DialogueOutcome> {
    return this.dialogue.follow(FollowCommand, 'Follow', { kind: c.kind, id: c.targetId }, c.metadata);
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { UnfollowCommand } from './unfollow.command';

@CommandHandler(UnfollowCommand)
export class UnfollowHandler implements ICommandHandler<UnfollowCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: UnfollowCommand): Promise<DialogueOutcome> {
    return this.dialogue.follow(UnfollowCommand, 'Unfollow', { kind: c.kind, id: c.targetId }, c.metadata);
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../../application/clock';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { MakeCommitmentCommand } from './make-commitment.command';

@CommandHandler(MakeCommitmentCommand)
export class MakeCommitmentHandler implements ICommandHandler<MakeCommitmentCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: MakeCommitmentCommand): Promise<DialogueOutcome> {
    const commitmentId = newId();
    return this.dialogue
      .thread(MakeCommitmentCommand, c.threadId, { type: 'MakeCommitment', commitmentId, text: c.text, dueOn: c.dueOn }, c.metadata)
      .then((outcome) => ({ ...outcome, id: commitmentId }));
  }
}

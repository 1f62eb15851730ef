import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { KeepCommitmentCommand } from './keep-commitment.command';

@CommandHandler(KeepCommitmentCommand)
export class KeepCommitmentHandler implements ICommandHandler<KeepCommitmentCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: KeepCommitmentCommand): Promise<DialogueOutcome> {
    return this.dialogue.thread(KeepCommitmentCommand, c.threadId, { type: 'KeepCommitment', commitmentId: c.commitmentId, evidence: c.evidence }, c.metadata);
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '../../application/clock';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { RegisterOfficialCommand } from './register-official.command';

@CommandHandler(RegisterOfficialCommand)
export class RegisterOfficialHandler implements ICommandHandler<RegisterOfficialCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: RegisterOfficialCommand): Promise<DialogueOutcome> {
    const officialId = newId();
    return this.dialogue.officials(
      RegisterOfficialCommand,
      {
        type: 'RegisterOfficial',
        officialId,
        councilId: c.councilId,
        name: { ...c.name },
        role: c.role,
        committee: c.committee,
        party: c.party,
        termStart: c.termStart,
        termEnd: c.termEnd,
        accountSub: c.accountSub,
      },
      c.metadata,
    );
  }
}

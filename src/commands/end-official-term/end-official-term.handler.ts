import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DialogueCommands, DialogueOutcome } from '../../application/dialogue-commands.service';
import { EndOfficialTermCommand } from './end-official-term.command';

@CommandHandler(EndOfficialTermCommand)
export class EndOfficialTermHandler implements ICommandHandler<EndOfficialTermCommand, DialogueOutcome> {
  constructor(private readonly dialogue: DialogueCommands) {}

  execute(c: EndOfficialTermCommand): Promise<DialogueOutcome> {
    return this.dialogue.officials(
      EndOfficialTermCommand,
      { type: 'EndOfficialTerm', councilId: c.councilId, officialId: c.officialId, endedOn: c.endedOn },
      c.metadata,
    );
  }
}

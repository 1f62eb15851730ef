import { Body, Controller } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { RegisterOfficialCommand } from './register-official.command';
import { RegisterOfficialDto } from './register-official.dto';

@ApiTags('officials')
@Controller('officials')
export class RegisterOfficialController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(RegisterOfficialCommand, {
    path: '',
    status: 201,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: "Register an official in a council's registry",
    description:
      'By an admin or a clerk of that council. Links the account (sub) the official signs in with: from then on, during the term, that account acts as this official.',
    response: DialogueResponse,
  })
  async registerOfficial(@Body() body: RegisterOfficialDto, @Ctx() metadata: CommandMetadata): Promise<DialogueResponse> {
    const command = new RegisterOfficialCommand({
      councilId: body.councilId,
      name: { ar: body.name.ar, fr: body.name.fr },
      role: body.role,
      committee: body.committee ?? null,
      party: body.party ?? null,
      termStart: body.termStart,
      termEnd: body.termEnd,
      accountSub: body.accountSub,
      metadata,
    });
    const outcome = await this.commands.execute<RegisterOfficialCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { ApiDialogueErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { RegisterOfficialCommand } from './register-official.command';
import { RegisterOfficialDto } from './register-official.dto';

@ApiTags('officials')
@ApiBearerAuth()
@Controller('officials')
export class RegisterOfficialController {
  constructor(private readonly commands: CommandBus) {}

  @Post('')
  @Roles(...RegisterOfficialCommand.roles)
  @ApiOperation({
    summary: "Register an official in a council's registry",
    description:
      'By an admin or a clerk of that council. Links the account (sub) the official signs in with: from then on, during the term, that account acts as this official.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
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

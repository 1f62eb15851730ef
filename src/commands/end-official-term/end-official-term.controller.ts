import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { Ctx } from '../../infrastructure/http/request-context';
import { CouncilIdPipe, uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { EndOfficialTermCommand } from './end-official-term.command';
import { EndOfficialTermDto } from './end-official-term.dto';

@ApiTags('officials')
@Controller('officials')
export class EndOfficialTermController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(EndOfficialTermCommand, {
    path: ':councilId/:id/term-end',
    status: 200,
    rateLimit: 'posting',
    errors: 'dialogue',
    summary: "Record that an official's term ended early",
    description: 'By an admin or a clerk of that council (resignation, dismissal, death). From the day after, the account no longer acts as this official.',
    response: DialogueResponse,
  })
  async endOfficialTerm(
    @Param('councilId', new CouncilIdPipe()) councilId: string,
    @Param('id', uuidParam('id')) id: string,
    @Body() body: EndOfficialTermDto,
    @Ctx() metadata: CommandMetadata,
  ): Promise<DialogueResponse> {
    const command = new EndOfficialTermCommand({ councilId, officialId: id, endedOn: body.endedOn, metadata });
    const outcome = await this.commands.execute<EndOfficialTermCommand, DialogueOutcome>(command);
    return { id: outcome.id, position: outcome.position };
  }
}

import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { DialogueOutcome } from '../../application/dialogue-commands.service';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { DialogueResponse } from '../../infrastructure/http/dialogue-response.dto';
import { ApiDialogueErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx } from '../../infrastructure/http/request-context';
import { CouncilIdPipe, uuidParam } from '../../infrastructure/http/uuid-param.pipe';
import { EndOfficialTermCommand } from './end-official-term.command';
import { EndOfficialTermDto } from './end-official-term.dto';

@ApiTags('officials')
@ApiBearerAuth()
@Controller('officials')
export class EndOfficialTermController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':councilId/:id/term-end')
  @HttpCode(200)
  @Roles(...EndOfficialTermCommand.roles)
  @ApiOperation({
    summary: "Record that an official's term ended early",
    description: 'By an admin or a clerk of that council (resignation, dismissal, death). From the day after, the account no longer acts as this official.',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: DialogueResponse })
  @ApiDialogueErrors()
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

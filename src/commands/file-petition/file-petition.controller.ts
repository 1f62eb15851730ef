import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { Ctx, RequestContext } from '../shared/request-context';
import type { CommandOutcome } from '../shared/petition-commands.service';
import { FilePetitionDto, FilePetitionResponse } from './file-petition.dto';
import { FilePetitionCommand } from './file-petition.handler';

@ApiTags('petitions')
@ApiBearerAuth()
@Controller('petitions')
export class FilePetitionController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @Roles('agent', 'citizen', 'association_rep')
  @ApiOperation({
    summary: 'File a petition',
    description: "A citizens' petition is filed by its agent (role agent or citizen), an association's by its legal representative (association_rep) with the association's declared conditions. Signature collection opens at once.",
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: FilePetitionResponse })
  @ApiCommandErrors()
  async file(@Body() body: FilePetitionDto, @Ctx() ctx: RequestContext): Promise<FilePetitionResponse> {
    const outcome = await this.commands.execute<FilePetitionCommand, CommandOutcome>(new FilePetitionCommand(body, ctx));
    return { id: outcome.petitionId, position: outcome.position!, status: outcome.status! };
  }
}

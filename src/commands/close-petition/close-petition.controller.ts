import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { CommandOutcome } from '../../application/command-outcome';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { RateLimited } from '../../infrastructure/rate-limit/rate-limit.guard';
import { LifecycleResponse, toLifecycleResponse } from '../../infrastructure/http/lifecycle-response.dto';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { ClosePetitionCommand } from './close-petition.command';
import { ClosePetitionDto } from './close-petition.dto';

@ApiTags('council')
@ApiBearerAuth()
@Controller('petitions')
export class ClosePetitionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/closure')
  @RateLimited('posting')
  @HttpCode(200)
  @Roles(...ClosePetitionCommand.roles)
  @ApiOperation({
    summary: 'Close an answered or inadmissible petition',
    description: 'By a clerk or an official of the council, or an admin. The history stays readable.',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LifecycleResponse })
  @ApiCommandErrors()
  async close(@Param('id', PetitionIdPipe) id: string, @Body() body: ClosePetitionDto, @Ctx() metadata: CommandMetadata): Promise<LifecycleResponse> {
    const command = new ClosePetitionCommand({ petitionId: id, note: body.note, metadata });
    return toLifecycleResponse(await this.commands.execute<ClosePetitionCommand, CommandOutcome>(command));
  }
}

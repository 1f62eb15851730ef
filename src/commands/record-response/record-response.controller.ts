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
import { RecordResponseCommand } from './record-response.command';
import { RecordResponseDto } from './record-response.dto';

@ApiTags('council')
@ApiBearerAuth()
@Controller('petitions')
export class RecordResponseController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/response')
  @RateLimited('posting')
  @HttpCode(200)
  @Roles(...RecordResponseCommand.roles)
  @ApiOperation({
    summary: "Record the council's official response",
    description: 'Only after the petition was declared admissible; by a clerk or an official of that council.',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LifecycleResponse })
  @ApiCommandErrors()
  async respond(@Param('id', PetitionIdPipe) id: string, @Body() body: RecordResponseDto, @Ctx() metadata: CommandMetadata): Promise<LifecycleResponse> {
    const command = new RecordResponseCommand({
      petitionId: id,
      decision: body.decision,
      text: body.text,
      respondingOfficial: { name: body.respondingOfficial.name, title: body.respondingOfficial.title },
      deliberationRef: body.deliberationRef,
      metadata,
    });
    return toLifecycleResponse(await this.commands.execute<RecordResponseCommand, CommandOutcome>(command));
  }
}

import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { CommandOutcome } from '../../application/command-outcome';
import { LifecycleResponse, toLifecycleResponse } from '../../infrastructure/http/lifecycle-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { RecordResponseCommand } from './record-response.command';
import { RecordResponseDto } from './record-response.dto';

@ApiTags('council')
@Controller('petitions')
export class RecordResponseController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(RecordResponseCommand, {
    rateLimit: 'posting',
    path: ':id/response',
    status: 200,
    summary: "Record the council's official response",
    description: 'Only after the petition was declared admissible; by a clerk or an official of that council.',
    response: LifecycleResponse,
  })
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

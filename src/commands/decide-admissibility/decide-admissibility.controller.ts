import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import type { CommandOutcome } from '../../application/command-outcome';
import { LifecycleResponse, toLifecycleResponse } from '../../infrastructure/http/lifecycle-response.dto';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { DecideAdmissibilityCommand } from './decide-admissibility.command';
import { DecideAdmissibilityDto } from './decide-admissibility.dto';

@ApiTags('council')
@Controller('petitions')
export class DecideAdmissibilityController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(DecideAdmissibilityCommand, {
    rateLimit: 'posting',
    path: ':id/admissibility',
    status: 200,
    summary: 'Record the admissibility decision',
    description:
      'By a clerk or an official of the council addressed. Admissible: the agenda session and the standing committee. Inadmissible: reason codes and the mandatory reasoned text.',
    response: LifecycleResponse,
  })
  async decide(@Param('id', PetitionIdPipe) id: string, @Body() body: DecideAdmissibilityDto, @Ctx() metadata: CommandMetadata): Promise<LifecycleResponse> {
    const command = new DecideAdmissibilityCommand({
      petitionId: id,
      decision: body.decision,
      agendaSession: body.agendaSession,
      committee: body.committee,
      note: body.note,
      reasonCodes: body.reasonCodes && [...body.reasonCodes],
      reasonText: body.reasonText,
      metadata,
    });
    return toLifecycleResponse(await this.commands.execute<DecideAdmissibilityCommand, CommandOutcome>(command));
  }
}

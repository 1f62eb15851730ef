import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { LifecycleResponse } from '../shared/lifecycle.dto';
import type { CommandOutcome } from '../shared/petition-commands.service';
import { PetitionIdPipe } from '../shared/petition-id.pipe';
import { Ctx, RequestContext } from '../shared/request-context';
import { DecideAdmissibilityDto } from './decide-admissibility.dto';
import { DecideAdmissibilityCommand } from './decide-admissibility.handler';

@ApiTags('council')
@ApiBearerAuth()
@Controller('petitions')
export class DecideAdmissibilityController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/admissibility')
  @HttpCode(200)
  @Roles('clerk', 'official')
  @ApiOperation({
    summary: 'Record the admissibility decision',
    description: 'By a clerk or an official of the council addressed. Admissible: the agenda session and the standing committee. Inadmissible: reason codes and the mandatory reasoned text.',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LifecycleResponse })
  @ApiCommandErrors()
  async decide(@Param('id', PetitionIdPipe) id: string, @Body() body: DecideAdmissibilityDto, @Ctx() ctx: RequestContext): Promise<LifecycleResponse> {
    const o = await this.commands.execute<DecideAdmissibilityCommand, CommandOutcome>(new DecideAdmissibilityCommand(id, body, ctx));
    return { petitionId: o.petitionId, status: o.status!, position: o.position };
  }
}

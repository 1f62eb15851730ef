import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { LifecycleResponse } from '../shared/lifecycle.dto';
import type { CommandOutcome } from '../shared/petition-commands.service';
import { PetitionIdPipe } from '../shared/petition-id.pipe';
import { Ctx, RequestContext } from '../shared/request-context';
import { RecordResponseDto } from './record-response.dto';
import { RecordResponseCommand } from './record-response.handler';

@ApiTags('council')
@ApiBearerAuth()
@Controller('petitions')
export class RecordResponseController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/response')
  @HttpCode(200)
  @Roles('clerk', 'official')
  @ApiOperation({ summary: "Record the council's official response", description: 'Only after the petition was declared admissible; by a clerk or an official of that council.' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LifecycleResponse })
  @ApiCommandErrors()
  async respond(@Param('id', PetitionIdPipe) id: string, @Body() body: RecordResponseDto, @Ctx() ctx: RequestContext): Promise<LifecycleResponse> {
    const o = await this.commands.execute<RecordResponseCommand, CommandOutcome>(new RecordResponseCommand(id, body, ctx));
    return { petitionId: o.petitionId, status: o.status!, position: o.position };
  }
}

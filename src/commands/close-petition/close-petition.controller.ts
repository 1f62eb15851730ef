import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { LifecycleResponse } from '../shared/lifecycle.dto';
import { CommandOutcome, PetitionCommands } from '../shared/petition-commands.service';
import { PetitionIdPipe } from '../shared/petition-id.pipe';
import { Ctx, RequestContext } from '../shared/request-context';
import { IsCleanText } from '../../infrastructure/http/clean-text';

export class ClosePetitionDto {
  @ApiPropertyOptional({ description: 'Closing note (public)' })
  @IsOptional() @IsCleanText() @IsString() @MaxLength(2000)
  note?: string;
}

export class ClosePetitionCommand {
  constructor(readonly petitionId: string, readonly body: ClosePetitionDto, readonly request: RequestContext) {}
}

@CommandHandler(ClosePetitionCommand)
export class ClosePetitionHandler implements ICommandHandler<ClosePetitionCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands) {}

  execute({ petitionId, body, request }: ClosePetitionCommand): Promise<CommandOutcome> {
    return this.petitions.run(petitionId, { type: 'ClosePetition', ...(body.note ? { note: body.note } : {}) }, request, 'ClosePetition', ['clerk', 'official', 'admin']);
  }
}

@ApiTags('council')
@ApiBearerAuth()
@Controller('petitions')
export class ClosePetitionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/closure')
  @HttpCode(200)
  @Roles('clerk', 'official', 'admin')
  @ApiOperation({ summary: 'Close an answered or inadmissible petition', description: 'By a clerk or an official of the council, or an admin. The history stays readable.' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LifecycleResponse })
  @ApiCommandErrors()
  async close(@Param('id', PetitionIdPipe) id: string, @Body() body: ClosePetitionDto, @Ctx() ctx: RequestContext): Promise<LifecycleResponse> {
    const o = await this.commands.execute<ClosePetitionCommand, CommandOutcome>(new ClosePetitionCommand(id, body, ctx));
    return { petitionId: o.petitionId, status: o.status!, position: o.position };
  }
}

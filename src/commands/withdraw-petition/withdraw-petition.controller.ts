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

export class WithdrawPetitionDto {
  @ApiPropertyOptional({ description: 'Why the petitioners withdraw it (public)' })
  @IsOptional() @IsCleanText() @IsString() @MaxLength(2000)
  reason?: string;
}

export class WithdrawPetitionCommand {
  constructor(readonly petitionId: string, readonly body: WithdrawPetitionDto, readonly request: RequestContext) {}
}

@CommandHandler(WithdrawPetitionCommand)
export class WithdrawPetitionHandler implements ICommandHandler<WithdrawPetitionCommand, CommandOutcome> {
  constructor(private readonly petitions: PetitionCommands) {}

  execute({ petitionId, body, request }: WithdrawPetitionCommand): Promise<CommandOutcome> {
    return this.petitions.run(petitionId, { type: 'WithdrawPetition', ...(body.reason ? { reason: body.reason } : {}) }, request, 'WithdrawPetition', ['agent', 'citizen', 'association_rep']);
  }
}

@ApiTags('petitions')
@ApiBearerAuth()
@Controller('petitions')
export class WithdrawPetitionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/withdrawal')
  @HttpCode(200)
  @Roles('agent', 'citizen', 'association_rep')
  @ApiOperation({ summary: 'Withdraw the petition', description: "By its agent or the association's representative, before the council's decision." })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: LifecycleResponse })
  @ApiCommandErrors()
  async withdraw(@Param('id', PetitionIdPipe) id: string, @Body() body: WithdrawPetitionDto, @Ctx() ctx: RequestContext): Promise<LifecycleResponse> {
    const o = await this.commands.execute<WithdrawPetitionCommand, CommandOutcome>(new WithdrawPetitionCommand(id, body, ctx));
    return { petitionId: o.petitionId, status: o.status!, position: o.position };
  }
}

import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { PetitionIdPipe } from '../shared/petition-id.pipe';
import { Ctx, RequestContext } from '../shared/request-context';
import { SignPetitionDto, SignPetitionResponse } from './sign-petition.dto';
import { SignPetitionCommand } from './sign-petition.handler';

@ApiTags('signatures')
@ApiBearerAuth()
@Controller('petitions')
export class SignPetitionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/signatures')
  @Roles('citizen', 'agent', 'association_rep', 'clerk', 'official')
  @ApiOperation({
    summary: 'Sign the petition',
    description:
      'Online by a citizen for themself, or on paper entered by the agent or a clerk of the council. One signature per person per petition (matched by identity number across channels); the signer declares their link to the territory and electoral-list registration. Regional petitions: the signer’s province.',
  })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: SignPetitionResponse })
  @ApiCommandErrors()
  sign(@Param('id', PetitionIdPipe) id: string, @Body() body: SignPetitionDto, @Ctx() ctx: RequestContext): Promise<SignPetitionResponse> {
    return this.commands.execute(new SignPetitionCommand(id, body, ctx));
  }
}

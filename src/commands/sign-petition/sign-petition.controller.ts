import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { SignPetitionCommand, SignPetitionResult } from './sign-petition.command';
import { SignPetitionDto, SignPetitionResponse } from './sign-petition.dto';

@ApiTags('signatures')
@Controller('petitions')
export class SignPetitionController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(SignPetitionCommand, {
    rateLimit: 'signing',
    path: ':id/signatures',
    status: 201,
    summary: 'Sign the petition',
    description:
      'Online by a citizen for themself, or on paper entered by the agent or a clerk of the council. One signature per person per petition (matched by identity number across channels); the signer declares their link to the territory and, for communes and provinces only, that they meet the conditions for registration on the electoral lists. Regional petitions: the signer’s province.',
    response: SignPetitionResponse,
  })
  sign(@Param('id', PetitionIdPipe) id: string, @Body() body: SignPetitionDto, @Ctx() metadata: CommandMetadata): Promise<SignPetitionResponse> {
    const command = new SignPetitionCommand({
      petitionId: id,
      identityNumber: body.identityNumber,
      basis: body.basis,
      meetsElectoralRegistrationConditions: body.meetsElectoralRegistrationConditions,
      electoralListRegistered: body.electoralListRegistered,
      channel: body.channel,
      provinceId: body.provinceId,
      ...(body.paperSheet ? { paperSheet: { sheet: body.paperSheet.sheet, line: body.paperSheet.line } } : {}),
      fullName: body.fullName?.normalize('NFC'),
      address: body.address?.normalize('NFC'),
      metadata,
    });
    return this.commands.execute<SignPetitionCommand, SignPetitionResult>(command);
  }
}

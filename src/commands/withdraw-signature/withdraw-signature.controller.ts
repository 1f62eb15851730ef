import { Body, Controller, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import { CommandRoute } from '../../infrastructure/http/command-route';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { WithdrawSignatureCommand, WithdrawSignatureResult } from './withdraw-signature.command';
import { WithdrawSignatureDto, WithdrawSignatureResponse } from './withdraw-signature.dto';

@ApiTags('signatures')
@Controller('petitions')
export class WithdrawSignatureController {
  constructor(private readonly commands: CommandBus) {}

  @CommandRoute(WithdrawSignatureCommand, {
    rateLimit: 'signing',
    path: ':id/signatures/withdrawal',
    status: 200,
    summary: 'Withdraw a signature',
    description:
      'Only before the petition is submitted. Online by the signer, as the identity their token attests; for a paper signatory, by the agent or a clerk with the identity number from the sheet.',
    response: WithdrawSignatureResponse,
  })
  withdraw(@Param('id', PetitionIdPipe) id: string, @Body() body: WithdrawSignatureDto, @Ctx() metadata: CommandMetadata): Promise<WithdrawSignatureResponse> {
    const command = new WithdrawSignatureCommand({ petitionId: id, identityNumber: body.identityNumber, channel: body.channel, metadata });
    return this.commands.execute<WithdrawSignatureCommand, WithdrawSignatureResult>(command);
  }
}

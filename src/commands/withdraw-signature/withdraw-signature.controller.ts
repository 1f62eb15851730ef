import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CommandMetadata } from '../../application/command-metadata';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { RateLimited } from '../../infrastructure/rate-limit/rate-limit.guard';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { Ctx } from '../../infrastructure/http/request-context';
import { WithdrawSignatureCommand, WithdrawSignatureResult } from './withdraw-signature.command';
import { WithdrawSignatureDto, WithdrawSignatureResponse } from './withdraw-signature.dto';

@ApiTags('signatures')
@ApiBearerAuth()
@Controller('petitions')
export class WithdrawSignatureController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/signatures/withdrawal')
  @RateLimited('signing')
  @HttpCode(200)
  @Roles(...WithdrawSignatureCommand.roles)
  @ApiOperation({
    summary: 'Withdraw a signature',
    description:
      'Only before the petition is submitted. Online by the signer, as the identity their token attests; for a paper signatory, by the agent or a clerk with the identity number from the sheet.',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: WithdrawSignatureResponse })
  @ApiCommandErrors()
  withdraw(@Param('id', PetitionIdPipe) id: string, @Body() body: WithdrawSignatureDto, @Ctx() metadata: CommandMetadata): Promise<WithdrawSignatureResponse> {
    const command = new WithdrawSignatureCommand({ petitionId: id, identityNumber: body.identityNumber, channel: body.channel, metadata });
    return this.commands.execute<WithdrawSignatureCommand, WithdrawSignatureResult>(command);
  }
}

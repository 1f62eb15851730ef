import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { Roles } from '../../infrastructure/auth/auth.guard';
import { ApiCommandErrors, ApiIdempotencyKey } from '../../infrastructure/http/openapi';
import { IDENTITY_NUMBER, normaliseIdentityNumber } from '../sign-petition/sign-petition.dto';
import { PetitionIdPipe } from '../shared/petition-id.pipe';
import { Ctx, RequestContext } from '../shared/request-context';
import { SignerIdentity } from '../shared/signer-identity.service';
import { SignaturesService } from '../shared/signatures.service';
import { resolveSignerIdentity } from '../../domain/signature/signer-identity';

export class WithdrawSignatureDto {
  @ApiPropertyOptional({ description: "Paper: the signatory's identity number. Online: optional, your token's attested number is used (never stored)", example: 'JB123456' })
  @IsOptional() @Transform(normaliseIdentityNumber)
  @IsString() @Matches(IDENTITY_NUMBER, { message: 'identityNumber must be a CNIE number: one or two letters then digits' })
  identityNumber?: string;

  @ApiPropertyOptional({ enum: ['online', 'paper'], default: 'online', description: 'paper: withdrawn by the agent or a clerk for a paper signatory' })
  @IsOptional() @IsIn(['online', 'paper'])
  channel?: 'online' | 'paper';
}

export class WithdrawSignatureResponse {
  @ApiProperty({ format: 'uuid' }) signatureId!: string;
  @ApiProperty({ description: 'Global position of the SignatureWithdrawn event (decimal string)' }) position!: string;
}

export class WithdrawSignatureCommand {
  constructor(readonly petitionId: string, readonly body: WithdrawSignatureDto, readonly request: RequestContext) {}
}

@CommandHandler(WithdrawSignatureCommand)
export class WithdrawSignatureHandler implements ICommandHandler<WithdrawSignatureCommand, WithdrawSignatureResponse> {
  constructor(private readonly signatures: SignaturesService, private readonly identity: SignerIdentity) {}

  async execute({ petitionId, body, request }: WithdrawSignatureCommand): Promise<WithdrawSignatureResponse> {
    const channel = body.channel ?? 'online';
    const signerHash = this.identity.signerHash(petitionId, resolveSignerIdentity(channel, request.actor, body.identityNumber, this.identity.mode));
    const appended = await this.signatures.decideOnSignerStream(petitionId, signerHash, { type: 'WithdrawSignature', signerHash, channel }, request, 'WithdrawSignature');
    const event = appended.events[0];
    return { signatureId: event.type === 'SignatureWithdrawn' ? event.data.signatureId : '', position: appended.position! };
  }
}

@ApiTags('signatures')
@ApiBearerAuth()
@Controller('petitions')
export class WithdrawSignatureController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/signatures/withdrawal')
  @HttpCode(200)
  @Roles('citizen', 'agent', 'association_rep', 'clerk', 'official')
  @ApiOperation({ summary: 'Withdraw a signature', description: 'Only before the petition is submitted. Online by the signer, as the identity their token attests; for a paper signatory, by the agent or a clerk with the identity number from the sheet.' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: WithdrawSignatureResponse })
  @ApiCommandErrors()
  withdraw(@Param('id', PetitionIdPipe) id: string, @Body() body: WithdrawSignatureDto, @Ctx() ctx: RequestContext): Promise<WithdrawSignatureResponse> {
    return this.commands.execute(new WithdrawSignatureCommand(id, body, ctx));
  }
}

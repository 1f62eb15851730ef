import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { IDENTITY_NUMBER, normaliseIdentityNumber } from '../sign-petition/sign-petition.dto';

export class WithdrawSignatureDto {
  @ApiPropertyOptional({
    description: "Paper: the signatory's identity number. Online: optional, your token's attested number is used (never stored)",
    example: 'JB123456',
  })
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

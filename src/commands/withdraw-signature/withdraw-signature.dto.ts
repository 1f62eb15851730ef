import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsOptionalIdentityNumber } from '../../infrastructure/http/identity-number';

export class WithdrawSignatureDto {
  @ApiPropertyOptional({
    description: "Paper: the signatory's identity number. Online: optional, your token's attested number is used (never stored)",
    example: 'JB123456',
  })
  @IsOptionalIdentityNumber()
  identityNumber?: string;

  @ApiPropertyOptional({ enum: ['online', 'paper'], default: 'online', description: 'paper: withdrawn by the agent or a clerk for a paper signatory' })
  @IsOptional()
  @IsIn(['online', 'paper'])
  channel?: 'online' | 'paper';
}

export class WithdrawSignatureResponse {
  @ApiProperty({ format: 'uuid' }) signatureId!: string;
  @ApiProperty({ description: 'Global position of the SignatureWithdrawn event (decimal string)' }) position!: string;
}

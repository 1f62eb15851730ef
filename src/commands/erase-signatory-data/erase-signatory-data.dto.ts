import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, ValidateIf } from 'class-validator';
import { IsOptionalIdentityNumber } from '../../infrastructure/http/identity-number';

/**
 * A paper request's reference: letters, digits, / . _ - with at least one digit, never five letters
 * in a row (a name) nor one or two letters followed by digits (an identity number), e.g. ERA/2026/0042.
 */
const REQUEST_REFERENCE = /^(?=.*\d)(?!.*[A-Za-z]{5})(?!(?:.*[^A-Za-z])?[A-Za-z]{1,2}[-_.]?\d{3})[A-Za-z0-9][A-Za-z0-9/._-]{2,39}$/;

export class EraseSignatoryDataDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this petition; all the signatory’s petitions when absent' })
  @IsOptional()
  @IsUUID()
  petitionId?: string;

  @ApiPropertyOptional({
    description:
      'Admin (paper request): the signatory’s identity number. A signatory erasing their own data leaves it out: the number their token attests is used.',
    example: 'JB123456',
  })
  @IsOptionalIdentityNumber()
  identityNumber?: string;

  @ApiPropertyOptional({
    description:
      'Admin (required): the reference of the written request, e.g. ERA/2026/0042 — letters, digits, / . _ -, at least one digit, no words or identity numbers',
    example: 'ERA/2026/0042',
  })
  @ValidateIf((o: EraseSignatoryDataDto) => o.requestReference !== undefined)
  @IsString()
  @Matches(REQUEST_REFERENCE, { message: 'requestReference is a reference such as ERA/2026/0042: letters, digits, / . _ -, at least one digit, no words' })
  requestReference?: string;
}

export class EraseSignatoryDataResponse {
  @ApiProperty({ description: 'Signatures whose particulars are now unreadable everywhere' }) erased!: number;
  @ApiProperty({ type: [String], description: 'The petitions concerned' }) petitions!: string[];
  @ApiProperty({ description: 'Global position of the last SignatoryDataErased event (decimal string)' }) position!: string;
}

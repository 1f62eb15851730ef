import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { SIGNER_BASES } from '../../domain/signature/signature.events';
import { IsCleanText } from '../../infrastructure/http/clean-text';
import { IsOptionalIdentityNumber } from '../../infrastructure/http/identity-number';

export class SignPetitionDto {
  @ApiPropertyOptional({
    description:
      "National identity card number (CNIE). Paper: the signatory's, from the sheet. Online: optional — the number your token attests (cin claim) is used, and a different one is refused. Never stored: only a keyed hash is kept.",
    example: 'JB123456',
  })
  @IsOptionalIdentityNumber()
  identityNumber?: string;

  @ApiProperty({ enum: SIGNER_BASES, description: 'The signer’s link to the territory: residence, or an economic, commercial or professional activity there' })
  @IsIn(SIGNER_BASES)
  basis!: (typeof SIGNER_BASES)[number];

  @ApiProperty({ description: 'The signer declares being registered on the general electoral lists (required to be true)' })
  @IsBoolean()
  electoralListRegistered!: boolean;

  @ApiPropertyOptional({ enum: ['online', 'paper'], default: 'online', description: 'paper: entered from a signature sheet by the agent or a clerk' })
  @IsOptional()
  @IsIn(['online', 'paper'])
  channel?: 'online' | 'paper';

  @ApiPropertyOptional({ description: 'Regional petitions: the province or prefecture of the signer (see GET /councils/:id)', example: 'province-tan-tan' })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MaxLength(100)
  provinceId?: string;

  @ApiPropertyOptional({ description: 'Paper channel: sheet and line reference', example: 'sheet 12, line 7' })
  @ValidateIf((o: SignPetitionDto) => o.channel === 'paper')
  @IsCleanText()
  @IsString()
  @MaxLength(60)
  @Matches(/\d/, { message: 'paperSheetRef is a sheet (and line) number, e.g. "sheet 12, line 7" — never a name' })
  paperSheetRef?: string;
}

export class SignPetitionResponse {
  @ApiProperty({ format: 'uuid' }) signatureId!: string;
  @ApiProperty({ description: 'Keep it: GET /receipts/{receipt} later proves the signature was counted' }) receipt!: string;
  @ApiProperty({ description: 'Global position of the PetitionSigned event (decimal string)' }) position!: string;
  @ApiProperty({
    description:
      'The PetitionSigned event’s hash-chain link: its Merkle leaf is SHA-256(0x00 ‖ these 32 bytes); GET /receipts/{receipt}/proof proves it is in a signed checkpoint',
  })
  eventHash!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { FULL_NAME, MAX_LINE, MAX_SHEET } from '../../domain/vault/signatory-data';
import { SIGNER_BASES } from '../../domain/signature/signature.events';
import { IsCleanText } from '../../infrastructure/http/clean-text';
import { IsOptionalIdentityNumber } from '../../infrastructure/http/identity-number';

export class PaperSheetLineDto {
  @ApiProperty({ minimum: 1, maximum: MAX_SHEET, example: 12 })
  @IsInt()
  @Min(1)
  @Max(MAX_SHEET)
  sheet!: number;

  @ApiProperty({ minimum: 1, maximum: MAX_LINE, example: 7 })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE)
  line!: number;
}

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

  @ApiPropertyOptional({
    description:
      'Communes (113-14 art. 123) and prefectures/provinces (112-14 art. 114): the signer declares meeting the conditions for registration on the general electoral lists (required true there). Regions (111-14 art. 120) have no such condition: leave it out.',
  })
  @IsOptional()
  @IsBoolean()
  meetsElectoralRegistrationConditions?: boolean;

  @ApiPropertyOptional({
    description:
      'The signer declares being registered on the general electoral lists; true satisfies the communes’ and provinces’ condition (registration implies meeting its conditions).',
  })
  @IsOptional()
  @IsBoolean()
  electoralListRegistered?: boolean;

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

  @ApiPropertyOptional({ type: () => PaperSheetLineDto, description: 'Paper channel (required): the sheet and line numbers the signature was entered from' })
  @ValidateIf((o: SignPetitionDto) => o.channel === 'paper' || o.paperSheet !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => PaperSheetLineDto)
  paperSheet?: PaperSheetLineDto;

  @ApiPropertyOptional({
    description:
      'Paper (required): the signatory’s full name, as on the sheet. Online it comes from your identity provider (name claim). Stored only encrypted, readable by the petition’s agent and the council’s clerks, erasable.',
    example: 'Amina El Idrissi',
    maxLength: 120,
  })
  @ValidateIf((o: SignPetitionDto) => o.channel === 'paper' || o.fullName !== undefined)
  @IsString()
  @MaxLength(120)
  @Matches(FULL_NAME, { message: 'fullName is a name: letters, spaces, apostrophes, dots and hyphens' })
  fullName?: string;

  @ApiPropertyOptional({
    description:
      'Paper (required): the signatory’s address, as on the sheet. Online it comes from your identity provider (address claim). Stored only encrypted.',
    example: '12 rue Al Massira, Tan-Tan',
    maxLength: 200,
  })
  @ValidateIf((o: SignPetitionDto) => o.channel === 'paper' || o.address !== undefined)
  @IsCleanText()
  @IsString()
  @MaxLength(200)
  address?: string;
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

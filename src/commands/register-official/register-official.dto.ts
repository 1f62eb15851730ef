import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmptyObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { OFFICIAL_ROLES, type OfficialRole } from '../../domain/dialogue/dialogue.events';
import { IsCleanText } from '../../infrastructure/http/clean-text';

export class OfficialNameDto {
  @ApiProperty({ description: 'Name in Arabic', example: 'محمد العلوي', minLength: 2, maxLength: 120 })
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  ar!: string;

  @ApiProperty({ description: 'Name in French', example: 'Mohammed El Alaoui', minLength: 2, maxLength: 120 })
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  fr!: string;
}

/** An official of a council. */
export class RegisterOfficialDto {
  @ApiProperty({ example: 'commune-sefrou' })
  @IsString()
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  @MaxLength(100)
  councilId!: string;

  @ApiProperty({ type: OfficialNameDto })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => OfficialNameDto)
  name!: OfficialNameDto;

  @ApiProperty({ enum: OFFICIAL_ROLES })
  @IsIn(OFFICIAL_ROLES)
  role!: OfficialRole;

  @ApiPropertyOptional({
    description: 'The committee the official sits on or chairs',
    example: 'Commission des services publics',
    minLength: 2,
    maxLength: 200,
  })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  committee?: string;

  @ApiPropertyOptional({ description: 'Party or list, when the council publishes it', example: 'Liste indépendante', minLength: 2, maxLength: 120 })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  party?: string;

  @ApiProperty({ example: '2021-09-21' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'termStart must be a date (YYYY-MM-DD)' })
  termStart!: string;

  @ApiProperty({ example: '2027-09-30' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'termEnd must be a date (YYYY-MM-DD)' })
  termEnd!: string;

  @ApiProperty({ description: 'The account (token sub) the official signs in with; never shown publicly', example: 'official-karim' })
  @IsString()
  @Matches(/^[A-Za-z0-9._:@-]{1,128}$/, { message: 'accountSub must be 1–128 letters, digits or . _ : @ -' })
  accountSub!: string;
}

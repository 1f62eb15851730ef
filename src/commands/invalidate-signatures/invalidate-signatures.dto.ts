import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { INVALIDATION_REASON_CODES } from '../../domain/signature/invalidation-reasons';
import { MAX_SHEET } from '../../domain/vault/signatory-data';
import { IsCleanText } from '../../infrastructure/http/clean-text';

/** An instant, not a wall-clock time: the zone is part of it. */
const WITH_ZONE = /T.*(Z|[+-]\d{2}:\d{2})$/;

export class InvalidationCriteriaDto {
  @ApiPropertyOptional({ description: 'Signed at or after this instant (ISO 8601 with a time zone)', example: '2026-11-28T22:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(WITH_ZONE, { message: '$property must give its time zone (Z or ±hh:mm)' })
  signedFrom?: string;

  @ApiPropertyOptional({ description: 'Signed before this instant (exclusive)', example: '2026-11-28T23:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(WITH_ZONE, { message: '$property must give its time zone (Z or ±hh:mm)' })
  signedBefore?: string;

  @ApiPropertyOptional({ enum: ['online', 'paper'] })
  @IsOptional()
  @IsIn(['online', 'paper'])
  channel?: 'online' | 'paper';

  @ApiPropertyOptional({ description: 'Signers who declared this province or prefecture (regional petitions)', example: 'province-tan-tan' })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MaxLength(100)
  provinceId?: string;

  @ApiPropertyOptional({
    description:
      'Paper signatures entered from this numbered sheet (paperSheet.sheet when signed). Paper signatures recorded before sheets were numbered have none and never match.',
    minimum: 1,
    maximum: MAX_SHEET,
    example: 12,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SHEET)
  paperSheet?: number;

  @ApiPropertyOptional({ description: 'These signatures (ids from GET /petitions/:id/signatures), at most 2000', type: [String], format: 'uuid' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @IsUUID('all', { each: true })
  signatureIds?: string[];
}

export class InvalidateSignaturesDto {
  @ApiProperty({
    enum: INVALIDATION_REASON_CODES,
    description: 'Why (labels in Arabic, French and English on the petition page): a code, never free text',
  })
  @IsIn(INVALIDATION_REASON_CODES)
  reasonCode!: string;

  @ApiProperty({
    type: InvalidationCriteriaDto,
    description: 'Every given criterion must hold; at least one. Only counted signatures match (not withdrawn, not already invalidated).',
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => InvalidationCriteriaDto)
  criteria!: InvalidationCriteriaDto;
}

export class InvalidateSignaturesResponse {
  @ApiProperty({ format: 'uuid', description: 'Names this decision: a reinstatement reverses it' }) invalidationId!: string;
  @ApiProperty({ description: 'Signatures invalidated' }) count!: number;
  @ApiProperty({ description: 'Global position of the SignaturesInvalidated event (decimal string)' }) position!: string;
}

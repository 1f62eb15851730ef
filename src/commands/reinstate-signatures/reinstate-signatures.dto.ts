import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, IsUUID } from 'class-validator';
import { REINSTATEMENT_REASON_CODES } from '../../domain/signature/invalidation-reasons';

export class ReinstateSignaturesDto {
  @ApiProperty({ enum: REINSTATEMENT_REASON_CODES, description: 'Why the signatures count again: a code, never free text' })
  @IsIn(REINSTATEMENT_REASON_CODES)
  reasonCode!: string;

  @ApiPropertyOptional({ description: 'Only these signatures of the invalidation (default: all of them)', type: [String], format: 'uuid' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @IsUUID('all', { each: true })
  signatureIds?: string[];
}

export class ReinstateSignaturesResponse {
  @ApiProperty({ format: 'uuid' }) invalidationId!: string;
  @ApiProperty({ description: 'Signatures counted again' }) count!: number;
  @ApiProperty({ description: 'Global position of the SignaturesReinstated event (decimal string)' }) position!: string;
}

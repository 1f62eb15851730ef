import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCleanText } from '../../infrastructure/http/clean-text';

export class ClosePetitionDto {
  @ApiPropertyOptional({ description: 'Closing note (public)' })
  @IsOptional()
  @IsCleanText({ multiline: true })
  @IsString()
  @MaxLength(2000)
  note?: string;
}

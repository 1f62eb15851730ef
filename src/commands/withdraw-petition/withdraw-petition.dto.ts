import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCleanText } from '../../infrastructure/http/clean-text';

export class WithdrawPetitionDto {
  @ApiPropertyOptional({ description: 'Why the petitioners withdraw it (public)' })
  @IsOptional()
  @IsCleanText({ multiline: true })
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

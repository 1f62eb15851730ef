import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsCleanText } from '../../infrastructure/http/clean-text';

/** Evidence that a commitment was kept. */
export class KeepCommitmentDto {
  @ApiProperty({
    description: 'What shows it was done',
    example: 'Les 12 lampadaires ont été posés le 20 mars (procès-verbal de réception n° 14/2027).',
    minLength: 10,
    maxLength: 2000,
  })
  @IsCleanText()
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  evidence!: string;
}

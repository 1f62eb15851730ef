import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** The last day of the term. */
export class EndOfficialTermDto {
  @ApiProperty({ example: '2027-03-31', description: 'The last day in office' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'endedOn must be a date (YYYY-MM-DD)' })
  endedOn!: string;
}

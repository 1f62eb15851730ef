import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCleanText } from '../../infrastructure/http/clean-text';

/** A dated commitment. */
export class MakeCommitmentDto {
  @ApiProperty({ description: 'What will be done', example: 'Installer 12 lampadaires dans la rue principale du douar', minLength: 10, maxLength: 1000 })
  @IsCleanText()
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  text!: string;

  @ApiProperty({ example: '2027-03-31', description: "By when (a date after today, within the official's term)" })
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueOn must be a date (YYYY-MM-DD)' })
  dueOn!: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { STANCES, type Stance } from '../../domain/dialogue/dialogue.events';
import { IsCleanText } from '../../infrastructure/http/clean-text';

/** An official's stance on a petition. */
export class StatePositionDto {
  @ApiProperty({ enum: STANCES })
  @IsIn(STANCES)
  stance!: Stance;

  @ApiProperty({ description: 'Why', example: "L'éclairage du douar est une priorité du plan d'action communal.", minLength: 10, maxLength: 2000 })
  @IsCleanText()
  @IsString()
  @MinLength(10)
  @MaxLength(2000)
  reasons!: string;
}

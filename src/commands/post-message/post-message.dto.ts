import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsCleanText } from '../../infrastructure/http/clean-text';

/** A message in a thread. */
export class PostMessageDto {
  @ApiProperty({ description: 'The message', example: 'Merci, les lampadaires seront installés avant le mois de mars.', minLength: 2, maxLength: 5000 })
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(5000)
  text!: string;

  @ApiPropertyOptional({ description: 'Citizens: the name the public sees', example: 'Amina de Bni Safar', minLength: 2, maxLength: 60 })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(60)
  displayName?: string;

  @ApiPropertyOptional({ description: "Officials: this reply is the council's answer", default: false })
  @IsOptional()
  @IsBoolean()
  asCouncilAnswer?: boolean;
}

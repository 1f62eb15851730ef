import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsCleanText } from '../../infrastructure/http/clean-text';

export class DecideAdmissibilityDto {
  @ApiProperty({ enum: ['admissible', 'inadmissible'] })
  @IsIn(['admissible', 'inadmissible'])
  decision!: 'admissible' | 'inadmissible';

  @ApiPropertyOptional({
    description:
      'Admissible, optional: the session as the council names it. The service computes and records the target session itself (the next ordinary session whose agenda, sent at least 20 days before, was still open on the decision day).',
    example: 'Session ordinaire de février 2027',
  })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  agendaSession?: string;

  @ApiPropertyOptional({ description: 'Admissible: the standing committee that studies it', example: "Commission de l'urbanisme et de l'environnement" })
  @ValidateIf((o: DecideAdmissibilityDto) => o.decision === 'admissible')
  @IsCleanText()
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  committee?: string;

  @ApiPropertyOptional({ description: 'Admissible: a note for the agent' })
  @IsOptional()
  @IsCleanText({ multiline: true })
  @IsString()
  @MaxLength(2000)
  note?: string;

  @ApiPropertyOptional({ description: 'Inadmissible: reason codes from the rulebook (see GET /councils/:id)', example: ['outside_competence'], type: [String] })
  @ValidateIf((o: DecideAdmissibilityDto) => o.decision === 'inadmissible')
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Matches(/^[a-z_]{2,50}$/, { each: true })
  reasonCodes?: string[];

  @ApiPropertyOptional({ description: 'Inadmissible: the reasoned refusal, mandatory (10–10000 characters)' })
  @ValidateIf((o: DecideAdmissibilityDto) => o.decision === 'inadmissible')
  @IsCleanText({ multiline: true })
  @IsString()
  @MinLength(10)
  @MaxLength(10000)
  reasonText?: string;
}

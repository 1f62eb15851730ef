import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCleanText } from '../../infrastructure/http/clean-text';

/** Opening a thread. */
export class OpenThreadDto {
  @ApiProperty({ example: 'commune-sefrou', description: 'The council (GET /councils)' })
  @IsString()
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  @MaxLength(100)
  councilId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A named official of that council (GET /officials?council=…); omit to address the council' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'officialId must be a UUID' })
  officialId?: string;

  @ApiProperty({ example: 'lighting', description: 'roads, water, lighting, waste, transport, education, health, culture, other (GET /dialogues/categories)' })
  @IsString()
  @MaxLength(40)
  category!: string;

  @ApiProperty({ description: 'District, douar or neighbourhood', example: 'Douar Bni Abbas', minLength: 2, maxLength: 120 })
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  area!: string;

  @ApiProperty({ description: 'What the thread is about', example: 'Rue sans éclairage depuis six mois', minLength: 10, maxLength: 200 })
  @IsCleanText()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  subject!: string;

  @ApiProperty({ description: 'The opening message', example: 'La rue principale du douar est dans le noir depuis six mois.', minLength: 10, maxLength: 5000 })
  @IsCleanText()
  @IsString()
  @MinLength(10)
  @MaxLength(5000)
  text!: string;

  @ApiProperty({
    description: 'The name the public sees for you (not your legal name if you prefer; never an identity number)',
    example: 'Amina de Bni Safar',
    minLength: 2,
    maxLength: 60,
  })
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(60)
  displayName!: string;
}

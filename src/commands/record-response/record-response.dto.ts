import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmptyObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsCleanText } from '../../infrastructure/http/clean-text';

export class RespondingOfficialDto {
  @ApiProperty({ example: 'Fatima Zahra El Idrissi' })
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Présidente du conseil communal' })
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  title!: string;
}

export class RecordResponseDto {
  @ApiProperty({ enum: ['adopted', 'partially_adopted', 'rejected'], description: "The council's deliberation" })
  @IsIn(['adopted', 'partially_adopted', 'rejected'])
  decision!: 'adopted' | 'partially_adopted' | 'rejected';

  @ApiProperty({ description: 'The official response (10–10000 characters)' })
  @IsCleanText({ multiline: true })
  @IsString()
  @MinLength(10)
  @MaxLength(10000)
  text!: string;

  @ApiProperty({ type: RespondingOfficialDto })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => RespondingOfficialDto)
  respondingOfficial!: RespondingOfficialDto;

  @ApiPropertyOptional({ description: 'Reference of the deliberation', example: 'Délibération n° 12/2027' })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MaxLength(200)
  deliberationRef?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsCleanText } from '../../infrastructure/http/clean-text';

export class AssociationDocumentsDto {
  @ApiProperty({ description: 'The final receipt of declaration, or another proof of constitution, is attached' })
  @IsBoolean()
  constitutionProof!: boolean;

  @ApiProperty({ description: "The association's statutes are attached" })
  @IsBoolean()
  statutes!: boolean;

  @ApiProperty({ description: "Proof of the representative's powers is attached" })
  @IsBoolean()
  representativePowers!: boolean;
}

export class AssociationDeclarationDto {
  @ApiProperty({ example: 'Association Tan-Tan pour l’environnement' })
  @IsCleanText()
  @IsString()
  @MinLength(2)
  @MaxLength(300)
  name!: string;

  @ApiProperty({ description: 'Registration number of the declaration receipt', example: 'TT-2015-0042' })
  @IsCleanText()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  registrationNumber!: string;

  @ApiProperty({ description: 'Date of constitution (ISO 8601); the law requires more than 3 years', example: '2015-03-01' })
  @IsISO8601({ strict: true })
  constitutedOn!: string;

  @ApiProperty({ description: "Declares a seat or a branch in the council's territory" })
  @IsBoolean()
  seatOrBranchInTerritory!: boolean;

  @ApiProperty({ description: "Declares that the association's activity relates to the subject" })
  @IsBoolean()
  activityRelatedToSubject!: boolean;

  @ApiProperty({
    description: 'Number of members. A prefecture or province council requires more than 100 (organic law 112-14, art. 115)',
    example: 150,
    minimum: 1,
  })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  memberCount!: number;

  @ApiProperty({ type: AssociationDocumentsDto, description: 'The documents the form decree requires, declared attached; shown to the clerk' })
  @ValidateNested()
  @Type(() => AssociationDocumentsDto)
  documents!: AssociationDocumentsDto;
}

export class FilePetitionDto {
  @ApiProperty({ description: 'Council addressed (see GET /councils)', example: 'commune-tan-tan' })
  @IsCleanText()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  councilId!: string;

  @ApiProperty({ enum: ['citizens', 'association'], description: 'citizens: filed by the agent; association: by its legal representative' })
  @IsIn(['citizens', 'association'])
  petitionerType!: 'citizens' | 'association';

  @ApiPropertyOptional({ type: AssociationDeclarationDto, description: "Required for an association's petition" })
  @IsOptional()
  @ValidateNested()
  @Type(() => AssociationDeclarationDto)
  association?: AssociationDeclarationDto;

  @ApiPropertyOptional({
    description:
      "Citizens' petitions: the number of copies of signatories' national identity cards attached to the paper sheets (the form decree requires them)",
    example: 0,
    minimum: 0,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  identityCardCopies?: number;

  @ApiProperty({ description: 'Short title (10–200 characters)', example: 'Éclairage public du quartier El Wahda' })
  @IsCleanText()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  title!: string;

  @ApiProperty({ description: 'The subject (object) of the petition, within the council’s competence (20–2000)' })
  @IsCleanText({ multiline: true })
  @IsString()
  @MinLength(20)
  @MaxLength(2000)
  subject!: string;

  @ApiProperty({ description: 'Requests and proposals (10–5000)' })
  @IsCleanText({ multiline: true })
  @IsString()
  @MinLength(10)
  @MaxLength(5000)
  requests!: string;

  @ApiProperty({ description: 'Reasons and expected objectives (10–5000)' })
  @IsCleanText({ multiline: true })
  @IsString()
  @MinLength(10)
  @MaxLength(5000)
  reasons!: string;
}

export class FilePetitionResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Global position of the PetitionFiled event (decimal string), for read-your-writes' }) position!: string;
  @ApiProperty({ example: 'collecting' }) status!: string;
}

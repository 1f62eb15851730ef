import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsCleanText } from '../../infrastructure/http/clean-text';

/** The petition the thread becomes (the council is the thread's). */
export class EscalateThreadDto {
  @ApiProperty({ description: 'The petition title', example: 'Éclairage public du douar Bni Abbas', minLength: 10, maxLength: 200 })
  @IsCleanText()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  title!: string;

  @ApiProperty({
    description: 'Subject',
    example: "Installer l'éclairage public dans le douar Bni Abbas, dans le noir depuis six mois.",
    minLength: 20,
    maxLength: 2000,
  })
  @IsCleanText()
  @IsString()
  @MinLength(20)
  @MaxLength(2000)
  subject!: string;

  @ApiProperty({ description: 'Requests', example: 'Inscrire au budget 2027 la pose de douze lampadaires solaires.', minLength: 10, maxLength: 5000 })
  @IsCleanText()
  @IsString()
  @MinLength(10)
  @MaxLength(5000)
  requests!: string;

  @ApiProperty({ description: 'Reasons', example: 'La promesse faite dans le dialogue avec la commune n’a pas été tenue.', minLength: 10, maxLength: 5000 })
  @IsCleanText()
  @IsString()
  @MinLength(10)
  @MaxLength(5000)
  reasons!: string;
}

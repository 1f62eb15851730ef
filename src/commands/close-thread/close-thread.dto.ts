import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { CLOSE_OUTCOMES, CLOSE_REASONS, type CloseOutcome, type CloseReason } from '../../domain/dialogue/dialogue.events';

/** How a thread ends. */
export class CloseThreadDto {
  @ApiProperty({ enum: CLOSE_OUTCOMES })
  @IsIn(CLOSE_OUTCOMES)
  outcome!: CloseOutcome;

  @ApiProperty({ enum: CLOSE_REASONS })
  @IsIn(CLOSE_REASONS)
  reasonCode!: CloseReason;
}

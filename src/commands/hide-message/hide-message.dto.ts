import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { HIDE_REASONS, type HideReason } from '../../domain/dialogue/dialogue.events';

/** Why a message is hidden. */
export class HideMessageDto {
  @ApiProperty({ enum: HIDE_REASONS })
  @IsIn(HIDE_REASONS)
  reasonCode!: HideReason;
}

import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The path: the thread and the message (no body). */
export class MarkCouncilAnswerParams {
  @ApiProperty({ format: 'uuid', description: 'The thread' })
  @Matches(UUID, { message: 'id must be a UUID' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The message' })
  @Matches(UUID, { message: 'messageId must be a UUID' })
  messageId!: string;
}

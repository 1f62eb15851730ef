import { ApiProperty } from '@nestjs/swagger';

/** The answer to every dialogue command. */
export class DialogueResponse {
  @ApiProperty({ format: 'uuid', description: 'The thread, official, petition or message the command concerns' }) id!: string;
  @ApiProperty({ description: 'Global position of the last event appended (decimal string), for read-your-writes', nullable: true, type: String })
  position!: string | null;
}

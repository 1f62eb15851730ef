import { ApiProperty } from '@nestjs/swagger';
import type { CommandOutcome } from '../../application/command-outcome';

/** The answer to every lifecycle command. */
export class LifecycleResponse {
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ example: 'submitted', description: 'Status after the command' }) status!: string;
  @ApiProperty({ description: 'Global position of the last event appended (decimal string), for read-your-writes', nullable: true, type: String })
  position!: string | null;
}

/** A lifecycle command's outcome, as its route answers it. */
export function toLifecycleResponse(outcome: CommandOutcome): LifecycleResponse {
  return { petitionId: outcome.petitionId, status: outcome.status!, position: outcome.position };
}

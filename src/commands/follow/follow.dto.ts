import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';

/** What to follow. */
export class FollowDto {
  @ApiProperty({ enum: ['thread', 'petition'] })
  @IsIn(['thread', 'petition'])
  kind!: 'thread' | 'petition';

  @ApiProperty({ format: 'uuid' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'id must be a UUID' })
  id!: string;
}

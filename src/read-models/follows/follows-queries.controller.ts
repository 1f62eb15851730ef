import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/shared/actor';
import { CurrentActor, Roles } from '../../infrastructure/auth/auth.guard';
import { ApiAuthErrors, ApiQueryErrors } from '../../infrastructure/http/openapi';
import { FollowDoc, FOLLOWS } from '../../projections/dialogue.projection';
import { checkCursor, minPositionOf, PageQuery, setFreshness } from '../shared/query-params';
import { FollowPage } from '../shared/dialogue-responses';
import { ReadModels } from '../shared/read-models.service';

export class FollowsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only changes after this global position: the `lastPosition` the portal showed last time' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'after must be a position (decimal digits)' })
  after?: string;
}

/** What a citizen follows, and what changed since they last looked. */
@ApiTags('follows')
@ApiBearerAuth()
@Controller('follows')
export class FollowsQueriesController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @Roles('citizen')
  @ApiOperation({
    summary: 'My follows, each with what changed (in ar, fr, en)',
    description: 'Pass `after` = the `lastPosition` of your previous look to get only what changed since. The follower alone reads this.',
  })
  @ApiOkResponse({ type: FollowPage })
  @ApiQueryErrors()
  @ApiAuthErrors()
  async mine(@Query() query: FollowsQuery, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    checkCursor(query.cursor);
    const freshness = await this.readModels.freshness('dialogue', minPositionOf(request, query.minPosition));
    setFreshness(reply, freshness);
    const after = query.after ? BigInt(query.after) : 0n;
    const page = await this.readModels.store.find<FollowDoc>(
      await this.readModels.collection('dialogue', FOLLOWS),
      { followerId: actor.id, following: true },
      {
        limit: query.limit ?? 50,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      },
    );
    return {
      items: page.items.map((f) => {
        const changes = f.changes.filter((c) => BigInt(c.position) > after);
        return { target: f.target, since: f.since, unseen: changes.length, changes };
      }),
      lastPosition: freshness.position,
      nextCursor: page.nextCursor,
    };
  }
}

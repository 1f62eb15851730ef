import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestValidationError } from '../../infrastructure/http/problem-details';
import { decodeCursor } from '../../infrastructure/read-store/read-store.rules';
import type { Freshness } from './read-models.service';

/** Paging and read-your-writes, shared by the list queries. */
export class PageQuery {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,2000}$/, { message: 'cursor must be a nextCursor value from a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ description: '1–100, default 20', minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({
    description:
      'Wait (up to 2 s) until the read model has applied this global position — the `position` a command returned. Also accepted as the X-Min-Position header.',
  })
  @IsOptional()
  @Matches(/^\d{1,30}$/, { message: 'minPosition must be a position (decimal digits)' })
  minPosition?: string;
}

/** minPosition from the query, else from the X-Min-Position header. */
export function minPositionOf(request: FastifyRequest, query?: string): bigint | undefined {
  const raw = query ?? (request.headers['x-min-position'] as string | undefined);
  if (raw === undefined) return undefined;
  if (!/^\d{1,30}$/.test(raw))
    throw new RequestValidationError([{ field: 'X-Min-Position', messages: ['X-Min-Position must be a position (decimal digits)'] }]);
  return BigInt(raw);
}

/** Says how fresh the answer is: the position applied, and whether minPosition was reached. */
export function setFreshness(reply: FastifyReply, freshness: Freshness): void {
  void reply.header('x-read-model-position', freshness.position);
  void reply.header('x-read-model-caught-up', String(freshness.caughtUp));
}

/**
 * Cursors are opaque to callers but must decode to [sortValue, id], the sort value a string, a
 * finite number or null (what the read store accepts); anything else is a 400, not a store error.
 * The codec is the read store's own (read-store.rules.ts).
 */
export function checkCursor(cursor: string | undefined): { value: string | number | null; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [value, id] = decodeCursor(cursor, { booleans: false });
    return { value: value as string | number | null, id };
  } catch {
    throw new RequestValidationError([{ field: 'cursor', messages: ['cursor must be a nextCursor value from a previous page'] }]);
  }
}

/** Strips storage fields from a read-model document. */
export function present<T extends { _id: string; _position?: string }>(doc: T): Omit<T, '_id' | '_position'> & { id: string } {
  const { _id, _position, ...rest } = doc;
  return { id: _id, ...rest };
}

/**
 * The HTTP edge's `@Ctx()` parameter: the application's CommandMetadata built from the
 * authenticated request (actor from the auth guard, correlation and idempotency headers).
 */
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { CommandMetadata } from '../../application/command-metadata';
import type { Actor } from '../../domain/shared/actor';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * correlationId: from `X-Correlation-Id` when the caller sends a safe one, else this request's id.
 * causationId: this request's id.
 */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandMetadata => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
  if (!request.actor) throw new Error('Ctx used on a route without authentication');
  const header = request.headers['x-correlation-id'];
  const correlation = typeof header === 'string' && SAFE_ID.test(header) ? header : request.id;
  const key = request.headers['idempotency-key'];
  return {
    actor: request.actor,
    correlationId: correlation,
    causationId: request.id,
    ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
  };
});

import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/shared/actor';

/** What the HTTP edge knows about why a command happens. */
export interface RequestContext {
  actor: Actor;
  /** From `X-Correlation-Id` when the caller sends one, else this request's id. */
  correlationId: string;
  /** The request that caused the command. */
  causationId: string;
  idempotencyKey?: string;
}

const SAFE_ID = /^[A-Za-z0-9._:\-]{1,128}$/;

export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
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

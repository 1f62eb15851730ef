import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Actor, Role } from '../../domain/shared/actor';
import { forbidden } from '../../domain/shared/domain-error';
import { InvalidTokenError, JwtVerifier } from './jwt-verifier';

export const JWT_VERIFIER = Symbol('JWT_VERIFIER');
const PUBLIC = 'auth:public';
const ROLES_KEY = 'auth:roles';

/** Readable without a token (public read models, health, council rules). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Any of these roles may call the route; the domain still checks the finer rules. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
}

type AuthedRequest = FastifyRequest & { actor?: Actor };

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_VERIFIER) private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC, targets);
    const header = request.headers.authorization;
    if (!header) {
      if (isPublic) return true;
      throw new UnauthenticatedError('A bearer token is required (Authorization: Bearer <token>)');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    try {
      if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
      request.actor = await this.verifier.verify(match[1]);
    } catch (e) {
      // A public route answers everyone the same: a stale or foreign token is ignored, not refused.
      if (isPublic) return true;
      if (e instanceof UnauthenticatedError) throw e;
      throw new UnauthenticatedError(e instanceof InvalidTokenError ? e.message : 'Invalid bearer token');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !request.actor.roles.some((r) => roles.includes(r as Role))) {
      throw forbidden('ROLE_NOT_ALLOWED', `This requires one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}

/** The authenticated actor (undefined on a public route called without a token). */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor | undefined => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().actor;
});

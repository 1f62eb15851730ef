/**
 * Rate limits on the routes that write or cost (filing, signing, other commands, exports), per
 * client address and per authenticated identity, with @nestjs/throttler. Each route declares its
 * category once (@RateLimited); the limits per category come from the configuration. Counters
 * live in a storage every API instance shares (the read store's database), keyed by a keyed hash
 * of category, throttler and address or account: no IP address is stored in clear.
 *
 * Runs after the auth guard, so a signed-in caller is counted under their identity as well as
 * their address; a refused request answers 429 RATE_LIMITED with Retry-After and does nothing.
 */
import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { normalizeIp, ThrottlerGuard, ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import { createHmac } from 'node:crypto';
import type { AppConfig, RateLimitCategory } from '../../config/app-config';
import type { Actor } from '../../domain/shared/actor';
import { RateLimitedError } from '../http/problem-details';

const CATEGORY = 'rate-limit:category';

/** The rate-limit category of a route (or of every route of a controller). */
export const RateLimited = (category: RateLimitCategory) => SetMetadata(CATEGORY, category);

type ThrottlerLimitDetail = Parameters<ThrottlerGuard['throwThrottlingException']>[1];

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<{ header(name: string, value: string): unknown }>();
    const seconds = Math.max(1, detail.timeToBlockExpire);
    reply.header('retry-after', String(seconds));
    throw new RateLimitedError(`Too many requests of this kind; retry in ${seconds} s`, seconds);
  }
}

/** The throttler module's options: two throttlers (address, identity), limits by route category. */
export function rateLimitOptions(config: AppConfig, storage: ThrottlerStorage): ThrottlerModuleOptions {
  const reflector = new Reflector();
  const categoryOf = (context: ExecutionContext) =>
    reflector.getAllAndOverride<RateLimitCategory | undefined>(CATEGORY, [context.getHandler(), context.getClass()]);
  const limits = config.rateLimits;
  const actorOf = (context: ExecutionContext) => context.switchToHttp().getRequest<{ actor?: Actor }>().actor;
  const key = (context: ExecutionContext, tracker: string, throttler: string) =>
    createHmac('sha256', config.signerKey)
      .update(`rate-limit\n${categoryOf(context)}\n${throttler}\n${tracker}`)
      .digest('base64url');
  return {
    storage,
    // An IPv6 client usually holds a whole /64: count it as one address.
    ipv6SubnetPrefix: 64,
    throttlers: [
      {
        name: 'address',
        limit: (context) => limits![categoryOf(context)!].address.limit,
        ttl: (context) => limits![categoryOf(context)!].address.windowMs,
        skipIf: (context) => !limits || !categoryOf(context),
        getTracker: (request: Record<string, unknown>) => normalizeIp(String(request.ip), 64),
        generateKey: key,
      },
      {
        name: 'identity',
        limit: (context) => limits![categoryOf(context)!].identity.limit,
        ttl: (context) => limits![categoryOf(context)!].identity.windowMs,
        skipIf: (context) => !limits || !categoryOf(context) || !actorOf(context),
        getTracker: (request: Record<string, unknown>) => (request as { actor?: Actor }).actor!.id,
        generateKey: key,
      },
    ],
  };
}

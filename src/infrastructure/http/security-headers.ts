/**
 * Response headers for an API read by browsers on other origins (the portals):
 * - helmet's defaults (nosniff, HSTS, frame denial, a content security policy that also fits the
 *   API documentation page), with the resource policy opened to other origins: the read models
 *   are open data, and which browser origins may call the API is CORS's job;
 * - CORS for the portal origins the configuration lists (CORS_ORIGINS), with working preflight;
 * - Cache-Control: public read models may be cached for a few seconds (exports a minute);
 *   commands, errors, health, projection status and anything asked with a token are not stored.
 */
import fastifyCors from '@fastify/cors';
import helmet from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/app-config';

/** Seconds a shared cache may keep a public read model; exports change less often and cost more. */
export const READ_MODEL_MAX_AGE = 5;
export const EXPORT_MAX_AGE = 60;

const ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id', 'x-min-position'];
const EXPOSED_HEADERS = [
  'x-read-model-position',
  'x-read-model-caught-up',
  'idempotent-replayed',
  'retry-after',
  'x-ratelimit-limit-address',
  'x-ratelimit-remaining-address',
  'x-ratelimit-limit-identity',
  'x-ratelimit-remaining-identity',
  'x-request-id',
];

/**
 * helmet's middleware, built once. (@fastify/helmet 13 builds it again on every request, parsing the
 * content security policy each time: 4 % of a signature's CPU in the profile, for the same headers.)
 */
const securityHeaders = helmet({
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  // The JSON API has nothing to embed; the documentation page loads its own scripts and styles.
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      // The service may be reached over plain HTTP (development, behind a TLS-terminating proxy):
      // upgrading the docs page's own scripts to https would break it there.
      upgradeInsecureRequests: null,
    },
  },
});

export async function registerHttpSecurity(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
    });
  await app.register(fastifyCors, {
    // Only the listed portal origins get Access-Control-Allow-Origin; a preflight from any other
    // origin still answers 204, without it, so the browser (not a 404) tells the page it may not.
    origin: config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    // Bearer tokens, not cookies: no credentials mode needed.
    credentials: false,
    maxAge: 600,
    // An OPTIONS request that is not a preflight answers 204 too, not a plain-text 400.
    strictPreflight: false,
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!reply.hasHeader('cache-control')) void reply.header('cache-control', cacheControl(request, reply.statusCode));
      // A cached answer must not serve a read-your-writes request (X-Min-Position), which asks for a later state.
      if (String(reply.getHeader('cache-control')).startsWith('public')) void reply.header('vary', varyWith(reply.getHeader('vary'), 'X-Min-Position'));
      if (!reply.hasHeader('x-request-id')) void reply.header('x-request-id', request.id);
    });
}

/** A Vary header that also names `header` (CORS may already vary on Origin). */
function varyWith(current: unknown, header: string): string {
  const names = (Array.isArray(current) ? current.join(',') : typeof current === 'string' ? current : '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return names.some((n) => n.toLowerCase() === header.toLowerCase() || n === '*') ? names.join(', ') : [...names, header].join(', ');
}

/** What a cache may do with this answer. */
export function cacheControl(request: Pick<FastifyRequest, 'method' | 'url' | 'headers'>, status: number): string {
  if ((request.method !== 'GET' && request.method !== 'HEAD') || status !== 200) return 'no-store';
  if (request.headers.authorization) return 'private, no-store';
  const path = request.url.split('?')[0];
  if (path === '/health' || path.startsWith('/health/') || path === '/projections') return 'no-store';
  if (path.startsWith('/docs')) return 'no-cache';
  // Read-your-writes answers depend on the position asked for.
  if (request.headers['x-min-position'] !== undefined || /[?&]minPosition=/.test(request.url)) return 'no-store';
  return `public, max-age=${path.startsWith('/exports/') ? EXPORT_MAX_AGE : READ_MODEL_MAX_AGE}`;
}

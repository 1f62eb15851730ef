/**
 * The portal (dist/portal, built by scripts/build-portal.js) served at `/` by the service itself.
 * Only the files the build produced get a route (no wildcard), so the API's routes, /docs and
 * the problem document of an unknown path stay exactly as they are. The portal uses hash routes
 * (`/#/petitions/…`): it never needs a catch-all.
 */
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the built portal is: next to the compiled service (dist/portal), or under dist/ when the service runs from sources. */
export function portalDirectory(): string | null {
  const candidates = [join(__dirname, '..', '..', '..', 'portal'), join(__dirname, '..', '..', '..', 'dist', 'portal')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'main.js'))) ?? null;
}

export async function registerPortal(app: NestFastifyApplication, directory?: string): Promise<boolean> {
  const root = directory ?? portalDirectory();
  if (!root) return false;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    // The documentation page (Swagger UI) registered @fastify/static's reply decorators already.
    decorateReply: false,
    // A new build is picked up on the next load; files are small.
    cacheControl: true,
    maxAge: 0,
  });
  return true;
}

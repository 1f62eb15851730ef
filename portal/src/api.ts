/**
 * The API client, typed by the service's own OpenAPI document (generated/api.d.ts, regenerated at
 * every build): a route whose document is wrong does not compile here. It shows what a portal
 * should do with the API:
 * - commands carry an Idempotency-Key, kept while the user retries the same submission;
 * - after a command, reads ask for its `position` (X-Min-Position) so the page shows the write;
 * - lists page with the opaque `nextCursor`;
 * - errors are problem documents (application/problem+json) with a stable `code` and field errors.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './generated/api.js';

export type Schemas = components['schemas'];
export const api = createClient<paths>({ baseUrl: location.origin });
// Public reads may be cached a few seconds (Cache-Control), and the browser's cache keys on the URL
// alone: a read-your-writes request (X-Min-Position) must reach the service, not the cache.
api.use({
  onRequest({ request }) {
    return request.headers.has('X-Min-Position') ? new Request(request, { cache: 'no-store' }) : undefined;
  },
});

/** A problem document as the API answers it. */
export interface Problem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: { field: string; messages: string[] }[];
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

/** The answer's data, or a ProblemError carrying the problem document. */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined && result.response.ok) return result.data;
  const body = (result.error ?? {}) as Partial<Problem>;
  throw new ProblemError({
    status: result.response.status,
    code: body.code ?? 'HTTP_' + result.response.status,
    title: body.title ?? result.response.statusText,
    ...body,
  });
}

/** Read-your-writes: the read model waits (up to 2 s) until it has applied this position. */
export const fresh = (position: string | null | undefined): Record<string, string> => (position ? { 'X-Min-Position': position } : {});

/** One key per intended command: the same form submitted twice is one petition, one signature. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

const TOKEN = 'portal.devToken';
export interface Session {
  token: string;
  sub: string;
  roles: string[];
  council: string | null;
}

export function session(): Session | null {
  const raw = sessionStorage.getItem(TOKEN);
  return raw ? (JSON.parse(raw) as Session) : null;
}

export function setSession(s: Session | null): void {
  if (s) sessionStorage.setItem(TOKEN, JSON.stringify(s));
  else sessionStorage.removeItem(TOKEN);
}

export const bearer = (s: Session): Record<string, string> => ({ Authorization: `Bearer ${s.token}` });

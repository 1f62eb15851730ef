/**
 * End-to-end harness: the real application (Nest + Fastify) on the real embedded SQLite store in
 * a fresh temporary DATA_DIR, driven in-process through Fastify's `inject` (no network), with a
 * clock the test moves by hand. Nothing of ours is mocked.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT } from 'jose';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import type { Role } from '../../src/domain/shared/actor';
import { signDevToken } from '../../src/infrastructure/auth/jwt-verifier';
import { openStores, type Stores } from '../../src/infrastructure/stores';
import { TestClock } from '../support/test-clock';

export { DAY, HOUR, MINUTE, START, TestClock } from '../support/test-clock';

export interface HttpResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** Parsed JSON when the answer is JSON (including problem+json), else the raw text. */
  body: T;
  text: string;
  contentType: string;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
}

export interface SignOptions {
  /** Identity numbers are `${idPrefix}${100000 + i}`; default AB. */
  idPrefix?: string;
  /** Index of the first signer (so several calls give distinct signers). */
  offset?: number;
  /** Citizen subs are `${subPrefix}-${i}`; default `citizen`. */
  subPrefix?: string;
  /** Regional petitions: the province of signer i. */
  province?: (i: number) => string;
  /** How many requests run at once. */
  batch?: number;
}

export interface Signed {
  index: number;
  identityNumber: string;
  sub: string;
  token: string;
  signatureId: string;
  receipt: string;
  position: string;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const POSITION = /^[1-9][0-9]*$/;

export interface HistoryEvent {
  position: string;
  streamId: string;
  revision: string;
  id: string;
  type: string;
  data: any;
  metadata: {
    actor: { id: string; role: string; councilId?: string };
    correlationId: string;
    causationId: string;
    command: string;
    occurredAt: string;
    idempotencyKey?: string;
    chain: { previousHash: string | null; hash: string };
  };
}

export interface History {
  petitionId: string;
  lifecycleIntegrity: { verified: boolean; brokenAt?: unknown };
  pageIntegrity: { verified: boolean; brokenAt?: unknown };
  events: HistoryEvent[];
  next: string | null;
}

export interface Harness {
  app: NestFastifyApplication;
  config: AppConfig;
  clock: TestClock;
  dataDir: string;
  /** Every answer with status >= 500 (a test file asserts it stays empty). */
  serverErrors: { method: string; url: string; status: number; body: string }[];
  /** A dev token (HS256, expires in 12 h); `cin`: the identity number the identity provider attests. */
  token(sub: string, roles: Role[], council?: string, cin?: string): Promise<string>;
  request<T = any>(
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    options?: RequestOptions & { rawBody?: string; contentType?: string },
  ): Promise<HttpResponse<T>>;
  get<T = any>(url: string, token?: string, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  post<T = any>(url: string, body: unknown, token?: string, headers?: Record<string, string>): Promise<HttpResponse<T>>;
  headPosition(): Promise<bigint>;
  /**
   * GET /petitions/:id, read-your-writes: asks for the read model at the store's current head
   * (X-Min-Position), and asserts a 200 that says it is caught up.
   */
  petition(petitionId: string): Promise<HttpResponse>;
  /**
   * GET `url` (optionally with a token) at the store's current head (X-Min-Position), asking again
   * until the answer is a 200 that says the read model caught up, or `timeoutMs` passed (then throws).
   */
  readAtHead<T = any>(url: string, options?: { token?: string; timeoutMs?: number }): Promise<HttpResponse<T>>;
  /** GET /petitions/:id/events as an auditor (one page of up to 1000 events); asserts a 200. */
  history(petitionId: string): Promise<History>;
  /**
   * Signs the petition with `count` distinct citizens, online, in parallel batches; every answer
   * must be 201. Each citizen's token attests their own identity number (cin claim).
   */
  signMany(petitionId: string, count: number, options?: SignOptions): Promise<Signed[]>;
  close(): Promise<void>;
}

/** A body that passes validation for a citizens' petition to `councilId`. */
export function citizensPetition(councilId: string, title = 'Éclairage public du quartier El Wahda') {
  return {
    councilId,
    petitionerType: 'citizens',
    title,
    subject: "Installer l'éclairage public dans les rues du quartier El Wahda, restées sans lumière depuis 2024.",
    requests: 'Inscrire au budget 2027 la pose de quarante lampadaires solaires.',
    reasons: 'La sécurité des habitants, des élèves et des commerçants le soir.',
  };
}

export function associationPetition(councilId: string, constitutedOn = '2015-03-01') {
  return {
    ...citizensPetition(councilId, 'Protection de la plage El Ouatia'),
    petitionerType: 'association',
    association: {
      name: 'Association Tan-Tan pour l’environnement',
      registrationNumber: 'TT-2015-0042',
      constitutedOn,
      seatOrBranchInTerritory: true,
      activityRelatedToSubject: true,
      memberCount: 150,
      documents: { constitutionProof: true, statutes: true, representativePowers: true },
    },
  };
}

export function signBody(identityNumber: string, extra: Record<string, unknown> = {}) {
  return { identityNumber, basis: 'residence', meetsElectoralRegistrationConditions: true, ...extra };
}

export const identityNumber = (i: number, prefix = 'AB') => `${prefix}${100000 + i}`;

export interface StartOptions {
  /** Extra environment for loadConfig, e.g. `{ SIGNER_IDENTITY: 'declared' }` (DATA_DIR is always the fresh temporary one). */
  env?: Record<string, string>;
  /** The app runs on what this returns from the stores the configuration opens (e.g. a read store with latency). */
  wrapStores?: (stores: Stores) => Stores;
  /** The instant the test clock starts at (default START). */
  start?: string;
  /** The built portal to serve at `/` (default: none). */
  portal?: string;
  /** Start on this existing DATA_DIR (a restart) instead of a fresh one; close() then leaves it in place. */
  dataDir?: string;
}

export async function startApp(options: StartOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'petitions-e2e-'));
  // Rate limits are off unless a test turns them on (RATE_LIMITS=on): tests sign hundreds of times from one address.
  // Checkpoints only where a test asks for them: a background append would move other tests' positions.
  const config = loadConfig({
    RATE_LIMITS: 'off',
    AUDIT_CHECKPOINT_EVERY: '100000000',
    AUDIT_CHECKPOINT_INTERVAL_MS: '3153600000000',
    ...(options.env ?? {}),
    DATA_DIR: dataDir,
  });
  const clock = new TestClock(options.start);
  const stores = options.wrapStores ? options.wrapStores(await openStores(config)) : undefined;
  const app = await createApp({ config, clock, logger: false, portal: options.portal ?? false, ...(stores ? { stores } : {}) });
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const serverErrors: Harness['serverErrors'] = [];
  const tokens = new Map<string, Promise<string>>();

  const token = (sub: string, roles: Role[], council?: string, cin?: string): Promise<string> => {
    const cacheKey = `${sub}|${roles.join(',')}|${council ?? ''}|${cin ?? ''}`;
    let t = tokens.get(cacheKey);
    if (!t) {
      // A citizen whose identity number is attested also has their name and address attested (claims name, address).
      const attested = cin ? { name: `Citoyen ${sub}`, address: `Quartier ${sub}, Tan-Tan` } : {};
      t = signDevToken(config.jwt.secret!, { sub, roles, ...(council ? { council } : {}), ...(cin ? { cin } : {}), ...attested });
      tokens.set(cacheKey, t);
    }
    return t;
  };

  const request: Harness['request'] = async (method, url, body, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.rawBody !== undefined) {
      payload = options.rawBody;
      headers['content-type'] = options.contentType ?? 'application/json';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const res = await fastify.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    const contentType = String(res.headers['content-type'] ?? '');
    let parsed: unknown = res.body;
    if (/json(?!l)/.test(contentType) && res.body.length) parsed = JSON.parse(res.body);
    if (res.statusCode >= 500) serverErrors.push({ method, url, status: res.statusCode, body: res.body });
    return { status: res.statusCode, headers: res.headers, body: parsed as any, text: res.body, contentType };
  };

  const harness: Harness = {
    app,
    config,
    clock,
    dataDir,
    serverErrors,
    token,
    request,
    get: (url, t, headers) => request('GET', url, undefined, { token: t, headers }),
    post: (url, body, t, headers) => request('POST', url, body, { token: t, headers }),
    async headPosition() {
      const res = await request('GET', '/health');
      if (res.status !== 200) throw new Error(`GET /health answered ${res.status}: ${res.text}`);
      return BigInt(res.body.eventStore.headPosition);
    },
    async petition(petitionId) {
      const head = await harness.headPosition();
      const res = await request('GET', `/petitions/${petitionId}`, undefined, { headers: { 'x-min-position': head.toString() } });
      if (res.status !== 200) throw new Error(`GET /petitions/${petitionId} answered ${res.status}: ${res.text}`);
      if (res.headers['x-read-model-caught-up'] !== undefined && res.headers['x-read-model-caught-up'] !== 'true') {
        throw new Error(`GET /petitions/${petitionId}: the read model did not reach position ${head}`);
      }
      return res;
    },
    async readAtHead(url, { token: t, timeoutMs = 20_000 } = {}) {
      let last: HttpResponse | undefined;
      await waitUntil(
        async () => {
          const head = await harness.headPosition();
          last = await request('GET', url, undefined, { token: t, headers: { 'x-min-position': head.toString() } });
          return last.status === 200 && last.headers['x-read-model-caught-up'] === 'true';
        },
        { timeoutMs, what: () => `GET ${url} caught up with the store's head (last answer: ${last?.status} ${last?.headers['x-read-model-caught-up']})` },
      );
      return last!;
    },
    async history(petitionId) {
      const res = await request('GET', `/petitions/${petitionId}/events?limit=1000`, undefined, { token: await token('auditor-1', ['auditor']) });
      if (res.status !== 200) throw new Error(`GET events answered ${res.status}: ${res.text}`);
      return res.body as History;
    },
    async signMany(petitionId, count, options = {}) {
      const { idPrefix = 'AB', offset = 0, subPrefix = 'citizen', province, batch = 50 } = options;
      const results: Signed[] = [];
      for (let start = 0; start < count; start += batch) {
        const indexes = Array.from({ length: Math.min(batch, count - start) }, (_, k) => offset + start + k);
        const done = await Promise.all(
          indexes.map(async (i) => {
            const sub = `${subPrefix}-${i}`;
            const id = identityNumber(i, idPrefix);
            const t = await token(sub, ['citizen'], undefined, id);
            const res = await request('POST', `/petitions/${petitionId}/signatures`, signBody(id, province ? { provinceId: province(i) } : {}), { token: t });
            if (res.status !== 201) throw new Error(`Signature ${i} answered ${res.status}: ${res.text}`);
            return { index: i, identityNumber: id, sub, token: t, ...(res.body as { signatureId: string; receipt: string; position: string }) };
          }),
        );
        results.push(...done);
      }
      return results;
    },
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * One app for the test file (or the describe block) it is called in: started in beforeAll, closed in
 * afterAll, and after each test no answer may have been a 5xx (the list is emptied, so a failure is
 * not reported again by every later test). Returns the harness, usable inside hooks and tests.
 */
export function useApp(options: StartOptions = {}): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startApp(options);
  });
  afterEach(() => {
    if (started) expect(started.serverErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    await started?.close();
  });
  return new Proxy({} as Harness, {
    get(_, property) {
      if (!started) throw new Error('The app starts in beforeAll: use the harness in hooks and tests');
      return Reflect.get(started, property);
    },
  });
}

/**
 * Asks `condition` again (every `intervalMs`) until it holds; throws after `timeoutMs`. For readiness
 * (a projector caught up, a switch done): a deadline, never a fixed sleep.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 20_000, intervalMs = 10, what = () => 'the condition' }: { timeoutMs?: number; intervalMs?: number; what?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs} ms for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A token that expired a minute ago, signed with the right key. */
export async function expiredToken(config: AppConfig, sub: string, roles: Role[]): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(now - 3600)
    .setExpirationTime(now - 60)
    .sign(new TextEncoder().encode(config.jwt.secret));
}

/** Asserts an application/problem+json answer with this status and stable code; returns its body. */
export function expectProblem(res: HttpResponse, status: number, code: string): any {
  const context = `${res.status} ${res.text}`;
  expect({ status: res.status, code: res.body?.code, context }).toEqual({ status, code, context });
  expect(res.contentType).toMatch(/^application\/problem\+json/);
  expect(res.body.status).toBe(status);
  expect(typeof res.body.type).toBe('string');
  expect(typeof res.body.title).toBe('string');
  return res.body;
}

/** Calendar months after an instant in UTC, the day clamped to the month's end (test-side copy of the rule). */
export function plusMonths(iso: string, months: number): string {
  const d = new Date(iso);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()),
  ).toISOString();
}

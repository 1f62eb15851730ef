/**
 * HTTP hardening, through the real application: bounded bodies and error documents, strict UTF-8,
 * clean permanent text, token rules, public routes that ignore a stale token, the paper-signature
 * roles, security headers, Cache-Control and CORS, and the rate limits (with small limits set
 * through the configuration, as an operator would). Every refusal appends nothing.
 */
import { SignJWT } from 'jose';
import { citizensPetition, expectProblem, expiredToken, Harness, HttpResponse, signBody, startApp, useApp } from './harness';

const h = useApp({ env: { CORS_ORIGINS: 'https://portail.tan-tan.ma,https://petitions.region-guelmim.ma' } });

const tok = { agent: '', citizen: '', clerk: '', official: '' };
let petition: string;

beforeAll(async () => {
  tok.agent = await h.token('agent-h', ['agent']);
  tok.citizen = await h.token('citizen-h', ['citizen'], undefined, 'HH100001');
  tok.clerk = await h.token('clerk-h', ['clerk'], 'commune-tan-tan');
  tok.official = await h.token('official-h', ['official'], 'commune-tan-tan');
  const res = await h.post('/petitions', citizensPetition('commune-tan-tan'), tok.agent);
  expect(res.status).toBe(201);
  petition = res.body.id;
});

async function refused(app: Harness, send: () => Promise<HttpResponse>, status: number, code: string): Promise<any> {
  const before = await app.headPosition();
  const res = await send();
  const problem = expectProblem(res, status, code);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(await app.headPosition()).toBe(before);
  return problem;
}

const file =
  (body: unknown, token = tok.agent) =>
  () =>
    h.post('/petitions', body, token);
const raw = (payload: string | Buffer) => () =>
  h.app
    .getHttpAdapter()
    .getInstance()
    .inject({ method: 'POST', url: '/petitions', headers: { authorization: `Bearer ${tok.agent}`, 'content-type': 'application/json' }, payload })
    .then((r) => ({ status: r.statusCode, headers: r.headers, body: JSON.parse(r.body), text: r.body, contentType: String(r.headers['content-type']) }));

describe('bounded bodies and error documents', () => {
  it('50,000 unknown keys: 400 BODY_TOO_COMPLEX before validation, a small document', async () => {
    const body: Record<string, string> = { ...citizensPetition('commune-tan-tan') };
    for (let i = 0; i < 20_000; i++) body[`k${i}`] = 'x';
    const res = await h.post('/petitions', body, tok.agent);
    expectProblem(res, 400, 'BODY_TOO_COMPLEX');
    expect(res.text.length).toBeLessThan(1000);
  });

  it('over the body size limit (256 KB): 413 PAYLOAD_TOO_LARGE', async () => {
    const body: Record<string, string> = { ...citizensPetition('commune-tan-tan') };
    for (let i = 0; i < 50_000; i++) body[`k${i}`] = 'x';
    await refused(h, file(body), 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['nested 9 deep', JSON.stringify({ ...citizensPetition('commune-tan-tan'), association: JSON.parse('{"a":'.repeat(8) + '1' + '}'.repeat(8)) })],
    ['nested 17 deep', JSON.stringify({ ...citizensPetition('commune-tan-tan'), association: JSON.parse('{"a":'.repeat(17) + '1' + '}'.repeat(17)) })],
    ['an array of 65 items', JSON.stringify({ ...citizensPetition('commune-tan-tan'), title: Array.from({ length: 65 }, () => 'x') })],
    ['an array of 300 items', JSON.stringify({ ...citizensPetition('commune-tan-tan'), title: Array.from({ length: 300 }, () => 1) })],
    [
      '513 values in all',
      JSON.stringify({ ...citizensPetition('commune-tan-tan'), association: Array.from({ length: 20 }, () => Array.from({ length: 30 }, () => 0)) }),
    ],
    ['a string of 20,001 characters', JSON.stringify({ ...citizensPetition('commune-tan-tan'), subject: 'x'.repeat(20_001) })],
  ])('%s: 400 BODY_TOO_COMPLEX', async (_, payload) => {
    await refused(h, raw(payload), 400, 'BODY_TOO_COMPLEX');
  });

  it('many invalid fields: the first ten listed, all counted', async () => {
    const body: Record<string, string> = { ...citizensPetition('commune-tan-tan') };
    for (let i = 0; i < 25; i++) body[`unknown${i}`] = 'x';
    const problem = await refused(h, file(body), 400, 'VALIDATION_FAILED');
    expect(problem.errors).toHaveLength(10);
    expect(problem.errorCount).toBe(25);
    expect(problem.detail).toMatch(/and 15 more$/);
  });

  it('invalid UTF-8 with a Content-Length: 400 MALFORMED_JSON (not a size mismatch)', async () => {
    const bytes = Buffer.concat([Buffer.from('{"councilId":"commune-tan-tan","title":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    const problem = await refused(h, raw(bytes), 400, 'MALFORMED_JSON');
    expect(problem.detail).toMatch(/UTF-8/);
  });
});

describe('permanent text', () => {
  const withTitle = (title: string) => ({ ...citizensPetition('commune-tan-tan'), title });
  const withSubject = (subject: string) => ({ ...citizensPetition('commune-tan-tan'), subject });
  const fields = (problem: any) => problem.errors.map((e: { field: string }) => e.field);

  it.each([
    ['a right-to-left override', 'Éclairage public \u202Eabahw le reitrauq'],
    ['a left-to-right embedding', '\u202AÉclairage public du quartier'],
    ['a first-strong isolate', 'Éclairage \u2068public\u2069 du quartier'],
    ['a C1 control', 'Éclairage public\u0085du quartier'],
    ['a line separator in a one-line field', 'Éclairage public\u2028du quartier'],
    ['a line break in a one-line field', 'Éclairage public\ndu quartier'],
    ['only zero-width characters', '\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B'],
    ['only combining marks', '\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301'],
  ])('refuses a title with %s', async (_, title) => {
    const problem = await refused(h, file(withTitle(title)), 400, 'VALIDATION_FAILED');
    expect(fields(problem)).toEqual(['title']);
  });

  it('refuses bidi controls in a multi-line field too', async () => {
    const problem = await refused(h, file(withSubject('Installer un éclairage public \u2067dans les rues du quartier El Wahda')), 400, 'VALIDATION_FAILED');
    expect(fields(problem)).toEqual(['subject']);
  });

  it('keeps line breaks and the Arabic letter and right-to-left marks, and stores text in NFC', async () => {
    const decomposed = 'E\u0301clairage public du quartier El Wahda';
    const subject = 'إنارة الأزقة في حي الوحدة\u200F (40 lampadaires)\nLigne deux du sujet de la pétition.\u2029Fin.';
    const res = await h.post('/petitions', { ...citizensPetition('commune-tan-tan'), title: decomposed, subject }, tok.agent);
    expect(res.status).toBe(201);
    const page = await h.petition(res.body.id);
    expect(page.body.title).toBe('Éclairage public du quartier El Wahda');
    expect(page.body.title).toBe(decomposed.normalize('NFC'));
    expect(page.body.subject).toBe(subject);
  });
});

describe('tokens and roles', () => {
  const at = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;
  const signed = (claims: { iat?: number; exp?: number }) => {
    let jwt = new SignJWT({ roles: ['agent'] }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('agent-h');
    if (claims.iat !== undefined) jwt = jwt.setIssuedAt(claims.iat);
    if (claims.exp !== undefined) jwt = jwt.setExpirationTime(claims.exp);
    return jwt.sign(new TextEncoder().encode(h.config.jwt.secret));
  };

  it.each([
    ['expiring in the year 3000', { iat: at(0), exp: Math.floor(Date.parse('3000-01-01') / 1000) }, /longer than the longest lifetime/],
    ['valid for 25 hours', { iat: at(0), exp: at(25 * 3600) }, /longer than the longest lifetime/],
    ['issued in the future', { iat: at(600), exp: at(3600) }, /future/],
    ['without iat', { exp: at(3600) }, /iat/],
  ])('401 UNAUTHENTICATED for a token %s', async (_, claims, detail) => {
    const problem = await refused(h, file(citizensPetition('commune-tan-tan'), await signed(claims)), 401, 'UNAUTHENTICATED');
    expect(problem.detail).toMatch(detail);
  });

  it('accepts a token issued a little in the future (clock skew under 30 s)', async () => {
    expect((await h.post('/petitions', citizensPetition('commune-tan-tan'), await signed({ iat: at(10), exp: at(3600) }))).status).toBe(201);
  });

  it('public routes ignore an expired, forged or malformed token', async () => {
    const expired = await expiredToken(h.config, 'agent-h', ['agent']);
    for (const authorization of [`Bearer ${expired}`, 'Bearer not-a-token', 'Basic abc']) {
      for (const url of ['/health', '/health/live', `/petitions/${petition}`, '/councils/commune-tan-tan']) {
        const res = await h.app.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers: { authorization } });
        expect({ url, authorization, status: res.statusCode }).toEqual({ url, authorization, status: 200 });
      }
    }
  });

  it('an expired token on a protected route is still a 401', async () => {
    await refused(h, file(citizensPetition('commune-tan-tan'), await expiredToken(h.config, 'agent-h', ['agent'])), 401, 'UNAUTHENTICATED');
  });

  it('paper signatures: an official of the council is refused (ROLE_NOT_ALLOWED); the agent and a clerk enter them', async () => {
    const paper = (n: number) =>
      signBody(`PP${100000 + n}`, { channel: 'paper', paperSheet: { sheet: 1, line: n }, fullName: 'Amina Lahlou', address: `${n} rue Al Qods, Tan-Tan` });
    await refused(h, () => h.post(`/petitions/${petition}/signatures`, paper(1), tok.official), 403, 'ROLE_NOT_ALLOWED');
    await refused(
      h,
      () => h.post(`/petitions/${petition}/signatures/withdrawal`, { identityNumber: 'PP100002', channel: 'paper' }, tok.official),
      403,
      'ROLE_NOT_ALLOWED',
    );
    expect((await h.post(`/petitions/${petition}/signatures`, paper(3), tok.agent)).status).toBe(201);
    expect((await h.post(`/petitions/${petition}/signatures`, paper(4), tok.clerk)).status).toBe(201);
  });

  it('signatures of a petition nobody filed: 404 PETITION_NOT_FOUND, not an empty list', async () => {
    expectProblem(await h.get('/petitions/00000000-0000-4000-8000-000000000000/signatures'), 404, 'PETITION_NOT_FOUND');
    const fresh = await h.post('/petitions', citizensPetition('commune-tan-tan'), tok.agent);
    const res = await h.readAtHead(`/petitions/${fresh.body.id}/signatures`);
    expect(res.body.items).toEqual([]);
  });
});

describe('headers', () => {
  it('security headers on every answer', async () => {
    for (const res of [await h.get('/health/live'), await h.post('/petitions', {}, tok.agent)]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(String(res.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    // The documentation page loads its own scripts, over whatever scheme it was reached by.
    const docs = await h.get('/docs');
    expect(docs.status).toBe(200);
    expect(String(docs.headers['content-security-policy'])).toMatch(/script-src 'self'/);
    expect(String(docs.headers['content-security-policy'])).not.toMatch(/upgrade-insecure-requests/);
  });

  it('Cache-Control: public read models briefly, exports a minute; no-store for commands, health, reads at a position, token holders', async () => {
    expect((await h.get(`/petitions/${petition}`)).headers['cache-control']).toBe('public, max-age=5');
    // A browser's cached copy never answers a read-your-writes request.
    expect(String((await h.get(`/petitions/${petition}`)).headers['vary'])).toMatch(/X-Min-Position/);
    expect((await h.get('/exports/councils.json')).headers['cache-control']).toBe('public, max-age=60');
    expect((await h.get('/health/live')).headers['cache-control']).toBe('no-store');
    expect((await h.get(`/petitions/${petition}`, undefined, { 'x-min-position': '1' })).headers['cache-control']).toBe('no-store');
    expect((await h.get(`/petitions/${petition}/events`, tok.clerk)).headers['cache-control']).toBe('private, no-store');
    expect((await h.post('/petitions', citizensPetition('commune-tan-tan'), tok.agent)).headers['cache-control']).toBe('no-store');
  });

  it('CORS preflight from a listed portal origin: 204 with the allowed method and headers', async () => {
    const res = await h.app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'OPTIONS',
        url: `/petitions/${petition}/signatures`,
        headers: {
          origin: 'https://portail.tan-tan.ma',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,idempotency-key',
        },
      });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://portail.tan-tan.ma');
    expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('idempotency-key');
  });

  it('CORS preflight from an origin not listed: 204 without Access-Control-Allow-Origin', async () => {
    const res = await h.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'OPTIONS', url: '/petitions', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('CORS: a listed origin reads the API and sees the freshness headers; another origin gets no CORS header', async () => {
    const listed = await h.get(`/petitions/${petition}`, undefined, { origin: 'https://petitions.region-guelmim.ma' });
    expect(listed.headers['access-control-allow-origin']).toBe('https://petitions.region-guelmim.ma');
    expect(String(listed.headers['access-control-expose-headers'])).toContain('x-read-model-position');
    const other = await h.get(`/petitions/${petition}`, undefined, { origin: 'https://evil.example' });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limits (RATE_LIMITS on, small limits from the configuration)', () => {
  const limited = useApp({
    env: {
      RATE_LIMITS: 'on',
      RATE_LIMIT_FILING_PER_IDENTITY: '2/1h',
      RATE_LIMIT_FILING_PER_ADDRESS: '5/1h',
      RATE_LIMIT_SIGNING_PER_IDENTITY: '3/1m',
      RATE_LIMIT_EXPORTS_PER_ADDRESS: '2/1m',
    },
  });

  it('one citizen files twice, then 429 RATE_LIMITED with Retry-After, appending nothing', async () => {
    const citizen = await limited.token('citizen-rl', ['citizen']);
    for (let i = 0; i < 2; i++) expect((await limited.post('/petitions', citizensPetition('commune-tan-tan'), citizen)).status).toBe(201);
    const before = await limited.headPosition();
    const res = await limited.post('/petitions', citizensPetition('commune-tan-tan'), citizen);
    const problem = expectProblem(res, 429, 'RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(3500);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(problem.retryAfterSeconds).toBe(Number(res.headers['retry-after']));
    expect(await limited.headPosition()).toBe(before);
  });

  it('per address: other accounts from the same address are limited too; X-Forwarded-For from an untrusted client changes nothing', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const agent = await limited.token(`agent-rl-${i}`, ['agent']);
      statuses.push((await limited.post('/petitions', citizensPetition('commune-tan-tan'), agent, { 'x-forwarded-for': `203.0.113.${i}` })).status);
    }
    // citizen-rl's 3 attempts above count against this address too (the refused one included), so
    // 2 more reach its limit of 5, whatever address the client claims to forward.
    expect(statuses).toEqual([201, 201, 429, 429]);
  });

  it('signing: per account, refused hits are not counted against other accounts', async () => {
    const agent = await limited.token('agent-sign', ['agent']);
    const res = await limited.post('/petitions', citizensPetition('commune-tan-tan'), await limited.token('agent-sign-owner', ['agent']));
    expect([201, 429]).toContain(res.status);
    const clerk = await limited.token('clerk-rl', ['clerk'], 'commune-tan-tan');
    const id = '00000000-0000-4000-8000-000000000001';
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await limited.post(
        `/petitions/${id}/signatures`,
        signBody(`RL${100000 + i}`, { channel: 'paper', paperSheet: { sheet: 1, line: i + 1 }, fullName: 'Driss Benjelloun', address: '5 rue Atlas, Tan-Tan' }),
        clerk,
      );
      codes.push(r.body.code);
    }
    expect(codes).toEqual(['PETITION_NOT_FOUND', 'PETITION_NOT_FOUND', 'PETITION_NOT_FOUND', 'RATE_LIMITED']);
    const other = await limited.post(
      `/petitions/${id}/signatures`,
      signBody('RL200000', { channel: 'paper', paperSheet: { sheet: 2, line: 1 }, fullName: 'Driss Benjelloun', address: '5 rue Atlas, Tan-Tan' }),
      agent,
    );
    expect(other.body.code).toBe('PETITION_NOT_FOUND');
  });

  it('exports: per address, anonymous', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await limited.get('/exports/councils.csv')).status);
    expect(statuses).toEqual([200, 200, 429]);
    // Reads that are not exports are not limited.
    for (let i = 0; i < 10; i++) expect((await limited.get('/councils')).status).toBe(200);
  });
});

describe('trusted proxies (TRUST_PROXY)', () => {
  it('counts the address a trusted proxy forwards', async () => {
    const app = await startApp({ env: { RATE_LIMITS: 'on', TRUST_PROXY: 'loopback', RATE_LIMIT_EXPORTS_PER_ADDRESS: '1/1m' } });
    try {
      const get = (address: string) => app.get('/exports/councils.json', undefined, { 'x-forwarded-for': address });
      expect((await get('198.51.100.1')).status).toBe(200);
      expect((await get('198.51.100.1')).status).toBe(429);
      expect((await get('198.51.100.2')).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

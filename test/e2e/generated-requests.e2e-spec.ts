/**
 * Property-based: thousands of generated and malformed requests across every route of the API —
 * bodies of any shape and near-valid bodies with one field broken, junk path parameters and query
 * strings, wrong content types, malformed JSON and invalid UTF-8, missing, forged and valid tokens
 * of every role, idempotency keys. Whatever arrives: never a 5xx, every refusal is a problem
 * document with a stable code, and a refused request appends nothing to the event log.
 */
import fc from 'fast-check';
import { SignJWT } from 'jose';
import type { Role } from '../../src/domain/shared/actor';
import { associationPetition, citizensPetition, signBody, useApp } from './harness';

const h = useApp();

const RUNS = 2_000;
const COUNCIL = 'commune-tan-tan';
const ROLES: Role[] = ['citizen', 'agent', 'association_rep', 'clerk', 'official', 'auditor', 'admin'];

interface Route {
  method: 'GET' | 'POST';
  /** OpenAPI path, e.g. /petitions/{id}/signatures. */
  path: string;
}

/** Near-valid bodies per command route, to get past the first checks and reach the deeper ones. */
const VALID_BODIES: Record<string, () => Record<string, unknown>> = {
  '/petitions': () => citizensPetition(COUNCIL),
  '/petitions/{id}/signatures': () => signBody('AB123456'),
  '/petitions/{id}/signatures/withdrawal': () => ({ identityNumber: 'AB123456', channel: 'online' }),
  '/petitions/{id}/submission': () => ({}),
  '/petitions/{id}/admissibility': () => ({ decision: 'admissible', agendaSession: 'Session de février', committee: 'Commission des services' }),
  '/petitions/{id}/response': () => ({
    decision: 'adopted',
    text: 'Le conseil a adopté la demande.',
    respondingOfficial: { name: 'Président', title: 'Président' },
  }),
  '/petitions/{id}/withdrawal': () => ({ reason: 'Le quartier a obtenu satisfaction.' }),
  '/petitions/{id}/closure': () => ({}),
};

/** Text an attacker would try in a field: controls, bidi overrides, zero-width, huge, numbers-as-strings. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u202Etxet desrever', '\u2066isolate\u2069', '\u200B\u200B', '\u0301\u0301', 'a\u2028b', '\u0085', '\0', '<script>', '${7*7}', 'AB123456'),
  fc.integer({ min: 2_000, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 0, -1, 1e308, [], {}, [[[]]], { $gt: '' }, { __proto__: { admin: true } }) },
);

/** A body for `path`: valid, one field replaced / removed / added, or anything at all. */
function bodyFor(path: string): fc.Arbitrary<unknown> {
  const valid = VALID_BODIES[path];
  const anything = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }));
  if (!valid) return anything;
  const keys = Object.keys(valid());
  const mutated = fc.oneof(
    fc.constant(valid()),
    keys.length ? fc.tuple(fc.constantFrom(...keys), anyValue).map(([k, v]) => ({ ...valid(), [k]: v })) : fc.constant(valid()),
    keys.length
      ? fc.constantFrom(...keys).map((k) => {
          const b = valid();
          delete b[k];
          return b;
        })
      : fc.constant({}),
    fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), anyValue).map(([k, v]) => ({ ...valid(), [k]: v })),
    fc.integer({ min: 33, max: 200 }).map((depth) => ({ ...valid(), nested: JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown })),
  );
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: anything });
}

/** The raw payload: well-formed JSON of the body, or bytes that are not. */
interface Payload {
  payload?: string | Buffer;
  contentType?: string;
}

const NO_PAYLOAD: Payload = {};

function payloadFor(path: string): fc.Arbitrary<Payload> {
  const json = bodyFor(path).map((b) => JSON.stringify(b));
  const malformed = fc.oneof(
    json.chain((s) => fc.integer({ min: 0, max: Math.max(0, s.length - 1) }).map((n) => s.slice(0, n))),
    fc.string({ maxLength: 60 }),
    fc.constantFrom('{', '{"a":}', '[1,2', 'null', '"text"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\uFEFF{}'),
    // Invalid UTF-8 inside a JSON string.
    fc.constant(Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')])),
  );
  const contentType = fc.oneof(
    { weight: 6, arbitrary: fc.constant('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/xml',
      ),
    },
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(NO_PAYLOAD) },
    { weight: 6, arbitrary: fc.record({ payload: json, contentType }) },
    { weight: 3, arbitrary: fc.record({ payload: malformed, contentType }) },
  );
}

describe('generated and malformed requests', () => {
  let routes: Route[] = [];
  let petitionIds: string[] = [];
  let receipt = '';
  let tokens: string[] = [];

  beforeAll(async () => {
    const doc = (await h.get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => ({ method: m.toUpperCase() as Route['method'], path })));
    const agent = await h.token('agent-fuzz', ['agent']);
    const rep = await h.token('rep-fuzz', ['association_rep']);
    const a = await h.post('/petitions', citizensPetition(COUNCIL), agent);
    const b = await h.post('/petitions', associationPetition(COUNCIL), rep);
    petitionIds = [a.body.id, b.body.id];
    const signed = await h.post(`/petitions/${a.body.id}/signatures`, signBody('AB123456'), await h.token('citizen-fuzz', ['citizen'], undefined, 'AB123456'));
    receipt = signed.body.receipt;
    tokens = [
      agent,
      rep,
      ...(await Promise.all(
        ROLES.map((r) => h.token(`${r}-fuzz`, [r], r === 'clerk' || r === 'official' ? COUNCIL : undefined, r === 'citizen' ? 'CD654321' : undefined)),
      )),
      await new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('forger')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('another key, long enough for HS256 to accept it')),
    ];
  });

  it(`answers ${RUNS} of them without a 5xx, with problem documents, appending nothing when refusing`, async () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const perRoute = new Map<string, number>();
    let refused = 0;

    const param = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...petitionIds) },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
      { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '..%2F..%2Fetc', 'x'.repeat(2000), '%00', COUNCIL, 'commune-inconnue', receipt) },
    );
    const query = fc.oneof(
      { weight: 3, arbitrary: fc.constant('') },
      {
        weight: 2,
        arbitrary: fc
          .array(
            fc.tuple(
              fc.constantFrom('limit', 'cursor', 'minPosition', 'lang', 'sort', 'status', 'council', 'level', 'q', 'from', 'format', 'x'),
              fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('-1', '0', '101', '1e9', 'ar', 'fr', 'zz', 'signatures', '99999999999999999999999')),
            ),
            { maxLength: 4 },
          )
          .map((pairs) => '?' + pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')),
      },
    );
    const authorization = fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 5, arbitrary: fc.integer({ min: 0, max: 100 }).map((i) => `Bearer ${tokens[i % tokens.length]}`) },
      {
        weight: 1,
        arbitrary: fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46YWRtaW4=', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZXMiOlsiYWRtaW4iXX0.'),
        ),
      },
    );

    const requestTo = (route: Route) =>
      fc.record({
        route: fc.constant(route),
        params: fc.array(param, { minLength: 3, maxLength: 3 }),
        query,
        authorization,
        idempotencyKey: fc.option(fc.string({ minLength: 1, maxLength: 80 }), { nil: undefined }),
        body: route.method === 'POST' ? payloadFor(route.path) : fc.constant(NO_PAYLOAD),
      });

    const fastify = h.app.getHttpAdapter().getInstance();
    // The route is picked first, every route in turn: each gets its share of the runs (a uniform draw
    // over ~60 routes leaves some with too few), and a failure shrinks within its route.
    const runsPerRoute = Math.ceil(RUNS / routes.length);
    for (const target of routes) {
      await fc.assert(
        fc.asyncProperty(requestTo(target), async ({ route, params, query: q, authorization: auth, idempotencyKey, body }) => {
          let n = 0;
          const url = route.path.replace(/\{[^}]+\}/g, () => params[n++]) + q;
          const headers: Record<string, string> = {};
          if (auth !== undefined) headers.authorization = auth;
          if (idempotencyKey !== undefined && route.method === 'POST') headers['idempotency-key'] = idempotencyKey;
          if (body.contentType && body.payload !== undefined) headers['content-type'] = body.contentType;
          const before = await h.headPosition();
          const res = await fastify.inject({ method: route.method, url, headers, ...(body.payload !== undefined ? { payload: body.payload } : {}) });
          perRoute.set(`${route.method} ${route.path}`, (perRoute.get(`${route.method} ${route.path}`) ?? 0) + 1);
          const what = `${route.method} ${url.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          if (res.statusCode >= 500) throw new Error(`Server error: ${what}`);
          if (res.statusCode >= 400) {
            refused += 1;
            if (!String(res.headers['content-type']).startsWith('application/problem+json')) throw new Error(`Not a problem document: ${what}`);
            const problem = JSON.parse(res.body) as { code?: unknown; status?: unknown };
            if (typeof problem.code !== 'string' || problem.status !== res.statusCode) throw new Error(`No stable code: ${what}`);
            const after = await h.headPosition();
            if (after !== before) throw new Error(`A refused request appended ${after - before} event(s): ${what}`);
          }
        }),
        { numRuns: runsPerRoute },
      );
    }

    // Every route was exercised, and mostly refused (the generators aim at the edges).
    expect(routes.map((r) => `${r.method} ${r.path}`).filter((r) => (perRoute.get(r) ?? 0) < 20)).toEqual([]);
    expect(refused).toBeGreaterThan(RUNS / 2);
  });
});

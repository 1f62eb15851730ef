/**
 * Every route × every kind of caller, as the README's API table says. Routes come from the running
 * app's OpenAPI document: a route missing from the table fails this file, so a new route must say
 * who may call it. Each cell runs on a fresh petition in the state its request needs; a refused
 * request must append nothing.
 *
 * Callers: no token, an expired token, a token signed with another key, a citizen (their token
 * attests their identity number), another citizen, an agent who does not own the petition, the
 * petition's owner (an association's representative who filed it), another association's
 * representative, a clerk and an official of the petition's council, a clerk of another council,
 * an auditor, an admin.
 *
 * Cells marked `// 12a` state the intended behaviour that the HTTP-hardening change brings (paper
 * signatures by the agent or a clerk only, not an official; public routes ignore an invalid token).
 */
import { SignJWT } from 'jose';
import type { Role } from '../../src/domain/shared/actor';
import { associationPetition, citizensPetition, expiredToken, HttpResponse, useApp } from './harness';

const h = useApp();

const COUNCIL = 'commune-tan-tan';
const OTHER_COUNCIL = 'province-guelmim';
const CITIZEN_CIN = 'AB123456';
const OTHER_CITIZEN_CIN = 'CD654321';
const PAPER_CIN = 'JB100777';

const CALLERS = [
  'anonymous',
  'expired',
  'forged',
  'citizen',
  'otherCitizen',
  'agent',
  'owner',
  'otherRep',
  'clerk',
  'official',
  'otherClerk',
  'auditor',
  'admin',
] as const;
type Caller = (typeof CALLERS)[number];

/** 'ok': a 2xx answer; otherwise the status and stable code of the problem document. */
type Expect = 'ok' | [401, 'UNAUTHENTICATED'] | [403, string];
const OK = 'ok' as const;
const UNAUTH: Expect = [401, 'UNAUTHENTICATED'];
const ROLE: Expect = [403, 'ROLE_NOT_ALLOWED'];
const STAFF: Expect = [403, 'NOT_COUNCIL_STAFF'];
const OWNER: Expect = [403, 'NOT_PETITION_OWNER'];
/** Online signing (and withdrawing) needs a citizen's token attesting an identity number. */
const ATTESTED: Expect = [403, 'IDENTITY_NOT_ATTESTED'];

/** The state a cell's petition is put in before the request. */
type Fixture = 'none' | 'collecting' | 'signedOnline' | 'signedPaper' | 'invalidated' | 'submitted' | 'admissible' | 'answered';

interface Row {
  name: string;
  method: 'get' | 'post';
  /** The OpenAPI path. */
  path: string;
  fixture: Fixture;
  url: (f: Fixtured) => string;
  body?: (caller: Caller) => unknown;
  expect: Record<Caller, Expect>;
}

interface Fixtured {
  petitionId: string;
  receipt?: string;
  invalidationId?: string;
}

/** Public: everyone, and an invalid token is ignored (12a). */
const PUBLIC: Record<Caller, Expect> = {
  anonymous: OK,
  expired: OK, // 12a
  forged: OK, // 12a
  citizen: OK,
  otherCitizen: OK,
  agent: OK,
  owner: OK,
  otherRep: OK,
  clerk: OK,
  official: OK,
  otherClerk: OK,
  auditor: OK,
  admin: OK,
};

const publicRead = (path: string, url: (f: Fixtured) => string = () => path, fixture: Fixture = 'collecting'): Row => ({
  name: `GET ${path}`,
  method: 'get',
  path,
  fixture,
  url,
  expect: PUBLIC,
});

/** The petition's agent / representative only. */
const ownerOnly: Record<Caller, Expect> = {
  anonymous: UNAUTH,
  expired: UNAUTH,
  forged: UNAUTH,
  citizen: OWNER,
  otherCitizen: OWNER,
  agent: OWNER,
  owner: OK,
  otherRep: OWNER,
  clerk: ROLE,
  official: ROLE,
  otherClerk: ROLE,
  auditor: ROLE,
  admin: ROLE,
};

/** A clerk or an official of the petition's council. */
const councilStaff: Record<Caller, Expect> = {
  anonymous: UNAUTH,
  expired: UNAUTH,
  forged: UNAUTH,
  citizen: ROLE,
  otherCitizen: ROLE,
  agent: ROLE,
  owner: ROLE,
  otherRep: ROLE,
  clerk: OK,
  official: OK,
  otherClerk: STAFF,
  auditor: ROLE,
  admin: ROLE,
};

/** Fraud checks: a clerk of the petition's council, or an admin. */
const fraudCheck: Record<Caller, Expect> = { ...councilStaff, official: ROLE, admin: OK };

/** Paper signatures: entered and withdrawn by the petition's agent / representative or a clerk of the council. */
const paperEntry: Record<Caller, Expect> = {
  ...councilStaff,
  owner: OK,
  official: ROLE, // 12a
};

const paperBody = { identityNumber: PAPER_CIN, basis: 'residence', electoralListRegistered: true, channel: 'paper', paperSheetRef: 'feuille 3, ligne 12' };

const ROWS: Row[] = [
  {
    name: 'file a petition',
    method: 'post',
    path: '/petitions',
    fixture: 'none',
    url: () => '/petitions',
    // An association's representative files for the association; the others, a citizens' petition.
    body: (caller) => (caller === 'owner' || caller === 'otherRep' ? associationPetition(COUNCIL) : citizensPetition(COUNCIL)),
    expect: {
      anonymous: UNAUTH,
      expired: UNAUTH,
      forged: UNAUTH,
      citizen: OK,
      otherCitizen: OK,
      agent: OK,
      owner: OK,
      otherRep: OK,
      clerk: ROLE,
      official: ROLE,
      otherClerk: ROLE,
      auditor: ROLE,
      admin: ROLE,
    },
  },
  {
    name: 'sign online (as the identity the token attests)',
    method: 'post',
    path: '/petitions/{id}/signatures',
    fixture: 'collecting',
    url: (f) => `/petitions/${f.petitionId}/signatures`,
    body: (caller) => ({ identityNumber: caller === 'otherCitizen' ? OTHER_CITIZEN_CIN : CITIZEN_CIN, basis: 'residence', electoralListRegistered: true }),
    expect: {
      ...councilStaff,
      agent: ATTESTED,
      owner: ATTESTED,
      otherRep: ATTESTED,
      clerk: ATTESTED,
      official: ROLE,
      otherClerk: ATTESTED,
      citizen: OK,
      otherCitizen: OK,
    },
  },
  {
    name: 'enter a paper signature',
    method: 'post',
    path: '/petitions/{id}/signatures',
    fixture: 'collecting',
    url: (f) => `/petitions/${f.petitionId}/signatures`,
    body: () => paperBody,
    expect: paperEntry,
  },
  {
    name: 'withdraw an online signature (the citizen who signed)',
    method: 'post',
    path: '/petitions/{id}/signatures/withdrawal',
    fixture: 'signedOnline',
    url: (f) => `/petitions/${f.petitionId}/signatures/withdrawal`,
    body: () => ({ identityNumber: CITIZEN_CIN, channel: 'online' }),
    expect: {
      ...councilStaff,
      agent: ATTESTED,
      owner: ATTESTED,
      otherRep: ATTESTED,
      clerk: ATTESTED,
      official: ROLE,
      otherClerk: ATTESTED,
      citizen: OK,
      otherCitizen: [403, 'IDENTITY_MISMATCH'],
    },
  },
  {
    name: 'withdraw a paper signature',
    method: 'post',
    path: '/petitions/{id}/signatures/withdrawal',
    fixture: 'signedPaper',
    url: (f) => `/petitions/${f.petitionId}/signatures/withdrawal`,
    body: () => ({ identityNumber: PAPER_CIN, channel: 'paper' }),
    expect: paperEntry,
  },
  {
    name: 'invalidate signatures by criteria',
    method: 'post',
    path: '/petitions/{id}/signatures/invalidations',
    fixture: 'signedPaper',
    url: (f) => `/petitions/${f.petitionId}/signatures/invalidations`,
    body: () => ({ reasonCode: 'automated_or_forged', criteria: { channel: 'paper' } }),
    expect: fraudCheck,
  },
  {
    name: 'reinstate invalidated signatures',
    method: 'post',
    path: '/petitions/{id}/signatures/invalidations/{invalidationId}/reinstatement',
    fixture: 'invalidated',
    url: (f) => `/petitions/${f.petitionId}/signatures/invalidations/${f.invalidationId}/reinstatement`,
    body: () => ({ reasonCode: 'verified_valid' }),
    expect: fraudCheck,
  },
  {
    name: 'submit to the council',
    method: 'post',
    path: '/petitions/{id}/submission',
    fixture: 'collecting',
    url: (f) => `/petitions/${f.petitionId}/submission`,
    expect: ownerOnly,
  },
  {
    name: 'withdraw the petition',
    method: 'post',
    path: '/petitions/{id}/withdrawal',
    fixture: 'collecting',
    url: (f) => `/petitions/${f.petitionId}/withdrawal`,
    body: () => ({}),
    expect: ownerOnly,
  },
  {
    name: 'decide admissibility',
    method: 'post',
    path: '/petitions/{id}/admissibility',
    fixture: 'submitted',
    url: (f) => `/petitions/${f.petitionId}/admissibility`,
    body: () => ({ decision: 'admissible', agendaSession: 'Session ordinaire de février 2027', committee: 'Commission des services publics' }),
    expect: councilStaff,
  },
  {
    name: "record the council's response",
    method: 'post',
    path: '/petitions/{id}/response',
    fixture: 'admissible',
    url: (f) => `/petitions/${f.petitionId}/response`,
    body: () => ({
      decision: 'adopted',
      text: 'Le conseil a inscrit le projet au budget 2027.',
      respondingOfficial: { name: 'Président du conseil communal', title: 'Président' },
    }),
    expect: councilStaff,
  },
  {
    name: 'close the petition',
    method: 'post',
    path: '/petitions/{id}/closure',
    fixture: 'answered',
    url: (f) => `/petitions/${f.petitionId}/closure`,
    body: () => ({}),
    expect: { ...councilStaff, admin: OK },
  },
  {
    name: 'read the full event history',
    method: 'get',
    path: '/petitions/{id}/events',
    fixture: 'collecting',
    url: (f) => `/petitions/${f.petitionId}/events`,
    expect: { ...councilStaff, auditor: OK, admin: OK },
  },
  publicRead('/petitions'),
  publicRead('/petitions/{id}', (f) => `/petitions/${f.petitionId}`),
  publicRead('/petitions/{id}/history', (f) => `/petitions/${f.petitionId}/history?lang=ar`),
  publicRead('/petitions/{id}/signatures', (f) => `/petitions/${f.petitionId}/signatures`),
  publicRead('/petitions/{id}/signatures/daily', (f) => `/petitions/${f.petitionId}/signatures/daily`),
  publicRead('/receipts/{receipt}', (f) => `/receipts/${encodeURIComponent(f.receipt!)}`, 'signedOnline'),
  publicRead('/councils'),
  publicRead('/councils/{id}', () => `/councils/${COUNCIL}`),
  publicRead('/councils/{id}/dashboard', () => `/councils/${COUNCIL}/dashboard`),
  publicRead('/overdue'),
  publicRead('/exports/petitions.{format}', () => '/exports/petitions.csv'),
  publicRead('/exports/councils.{format}', () => '/exports/councils.json'),
  publicRead('/projections'),
  publicRead('/health'),
  publicRead('/health/live'),
  publicRead('/health/ready'),
  // The development login exists only on the embedded development secret (as here): open to anyone there.
  {
    name: 'development login',
    method: 'post',
    path: '/dev/token',
    fixture: 'none',
    url: () => '/dev/token',
    body: () => ({ role: 'citizen', cin: 'JB123456' }),
    expect: PUBLIC,
  },
];

const tokens = new Map<Caller, string | undefined>();

async function tokenOf(caller: Caller): Promise<string | undefined> {
  if (tokens.has(caller)) return tokens.get(caller);
  const t = async (sub: string, roles: Role[], council?: string, cin?: string) => h.token(sub, roles, council, cin);
  const make: Record<Caller, () => Promise<string | undefined>> = {
    anonymous: async () => undefined,
    expired: () => expiredToken(h.config, 'agent-expired', ['agent']),
    forged: () =>
      new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject('forger')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not the service key, but long enough for HS256 at least')),
    citizen: () => t('citizen-matrix', ['citizen'], undefined, CITIZEN_CIN),
    otherCitizen: () => t('citizen-other', ['citizen'], undefined, OTHER_CITIZEN_CIN),
    agent: () => t('agent-not-owner', ['agent']),
    owner: () => t('rep-owner', ['association_rep']),
    otherRep: () => t('rep-other', ['association_rep']),
    clerk: () => t('clerk-tan-tan', ['clerk'], COUNCIL),
    official: () => t('official-tan-tan', ['official'], COUNCIL),
    otherClerk: () => t('clerk-guelmim', ['clerk'], OTHER_COUNCIL),
    auditor: () => t('auditor-1', ['auditor']),
    admin: () => t('admin-1', ['admin']),
  };
  const token = await make[caller]();
  tokens.set(caller, token);
  return token;
}

function must(res: HttpResponse, what: string): HttpResponse {
  if (res.status >= 300) throw new Error(`Fixture step "${what}" answered ${res.status}: ${res.text}`);
  return res;
}

/** A fresh association petition, owned by `owner`, put in the state the row needs. */
async function fixture(state: Fixture): Promise<Fixtured> {
  if (state === 'none') return { petitionId: '' };
  const owner = await tokenOf('owner');
  const clerk = await tokenOf('clerk');
  const filed = must(await h.post('/petitions', associationPetition(COUNCIL), owner), 'file');
  const petitionId = filed.body.id as string;
  const result: Fixtured = { petitionId };
  if (state === 'signedOnline') {
    const signed = must(
      await h.post(
        `/petitions/${petitionId}/signatures`,
        { identityNumber: CITIZEN_CIN, basis: 'residence', electoralListRegistered: true },
        await tokenOf('citizen'),
      ),
      'sign online',
    );
    result.receipt = signed.body.receipt as string;
  }
  if (state === 'signedPaper' || state === 'invalidated') must(await h.post(`/petitions/${petitionId}/signatures`, paperBody, owner), 'sign on paper');
  if (state === 'invalidated') {
    const body = { reasonCode: 'automated_or_forged', criteria: { channel: 'paper' } };
    const invalidated = must(await h.post(`/petitions/${petitionId}/signatures/invalidations`, body, clerk), 'invalidate');
    result.invalidationId = invalidated.body.invalidationId as string;
  }
  if (state === 'submitted' || state === 'admissible' || state === 'answered') {
    must(await h.post(`/petitions/${petitionId}/submission`, undefined, owner), 'submit');
  }
  if (state === 'admissible' || state === 'answered') {
    must(
      await h.post(
        `/petitions/${petitionId}/admissibility`,
        { decision: 'admissible', agendaSession: 'Session de février', committee: 'Commission des services' },
        clerk,
      ),
      'admissible',
    );
  }
  if (state === 'answered') {
    must(
      await h.post(
        `/petitions/${petitionId}/response`,
        { decision: 'adopted', text: 'Le conseil a adopté la demande.', respondingOfficial: { name: 'Président du conseil', title: 'Président' } },
        clerk,
      ),
      'answer',
    );
  }
  return result;
}

describe('the authorisation table covers every route of the API', () => {
  it('has a row for every route in the OpenAPI document, and no row for a route that does not exist', async () => {
    const doc = (await h.get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    const tabled = [...new Set(ROWS.map((r) => `${r.method.toUpperCase()} ${r.path}`))].sort();
    expect({ missingFromTable: documented.filter((r) => !tabled.includes(r)), notInApi: tabled.filter((r) => !documented.includes(r)) }).toEqual({
      missingFromTable: [],
      notInApi: [],
    });
  });
});

describe.each(ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
  it.each(CALLERS.map((c) => [c, row.expect[c]] as const))('%s → %j', async (caller, expected) => {
    const f = await fixture(row.fixture);
    const before = await h.headPosition();
    const body = row.body?.(caller);
    // Reads wait for their read model to have the fixture (read-your-writes).
    const headers: Record<string, string> = row.method === 'get' ? { 'x-min-position': before.toString() } : {};
    const res = await h.request(row.method.toUpperCase() as 'GET' | 'POST', row.url(f), body, { token: await tokenOf(caller), headers });
    const context = res.text.slice(0, 300);
    if (expected === 'ok') {
      expect({ status: res.status, ok: res.status >= 200 && res.status < 300, context }).toEqual({ status: res.status, ok: true, context });
    } else {
      expect({ status: res.status, code: res.body?.code, context }).toEqual({ status: expected[0], code: expected[1], context });
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      // A refused request appends nothing.
      expect(await h.headPosition()).toBe(before);
    }
  });
});

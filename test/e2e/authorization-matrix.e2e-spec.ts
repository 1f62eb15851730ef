/**
 * Every route × every kind of caller, as the README's API table says. Routes come from the running
 * app's OpenAPI document: a route missing from the table fails this file, so a new route must say
 * who may call it. Each cell runs on a fresh petition in the state its request needs; a refused
 * request must append nothing.
 *
 * Callers: no token, an expired token, a token signed with another key, a citizen (their token
 * attests their identity number), another citizen, an agent who does not own the petition, the
 * petition's owner (an association's representative who filed it), another association's
 * representative, a clerk and an official of the petition's council (the official registered in the
 * council's officials registry for the current term), an official of the council whose account is
 * not in the registry, an official and a clerk of another council, an auditor, a moderator, an admin.
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
  'unlisted',
  'otherOfficial',
  'otherClerk',
  'auditor',
  'moderator',
  'admin',
] as const;
type Caller = (typeof CALLERS)[number];

/** 'ok': a 2xx answer; otherwise the status and stable code of the problem document. */
type Expect = 'ok' | [401, 'UNAUTHENTICATED'] | [403 | 409, string];
const OK = 'ok' as const;
const UNAUTH: Expect = [401, 'UNAUTHENTICATED'];
const ROLE: Expect = [403, 'ROLE_NOT_ALLOWED'];
const STAFF: Expect = [403, 'NOT_COUNCIL_STAFF'];
const OWNER: Expect = [403, 'NOT_PETITION_OWNER'];
/** Online signing (and withdrawing) needs a citizen's token attesting an identity number. */
const ATTESTED: Expect = [403, 'IDENTITY_NOT_ATTESTED'];
/** An official token of the council whose account the officials registry does not link to an official in office. */
const UNLISTED: Expect = [403, 'NOT_REGISTERED_OFFICIAL'];
const OTHER_COUNCIL_OFFICIAL: Expect = [403, 'NOT_COUNCIL_OFFICIAL'];

/** The state a cell's petition is put in before the request. */
type Fixture =
  | 'none'
  | 'collecting'
  | 'signedOnline'
  | 'signedPaper'
  | 'invalidated'
  | 'submitted'
  | 'admissible'
  | 'answered'
  /** A citizen's petition, the signature covered by a signed checkpoint of the Merkle log. */
  | 'checkpointed'
  /** A collecting petition the citizen follows. */
  | 'followed'
  /** A freshly registered official of the council. */
  | 'registered'
  /** A thread the citizen opened in the council. */
  | 'thread'
  /** … with another citizen's message in it. */
  | 'message'
  /** … that a moderator hid. */
  | 'hidden'
  /** … with a reply by the council's official. */
  | 'officialReply'
  /** … with a commitment of the official. */
  | 'commitment';

interface Row {
  name: string;
  method: 'get' | 'post';
  /** The OpenAPI path. */
  path: string;
  fixture: Fixture;
  url: (f: Fixtured) => string;
  body?: (caller: Caller, f: Fixtured) => unknown;
  expect: Record<Caller, Expect>;
}

interface Fixtured {
  petitionId: string;
  receipt?: string;
  invalidationId?: string;
  threadId?: string;
  messageId?: string;
  commitmentId?: string;
  officialId?: string;
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
  unlisted: OK,
  otherOfficial: OK,
  otherClerk: OK,
  auditor: OK,
  moderator: OK,
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
  unlisted: ROLE,
  otherOfficial: ROLE,
  otherClerk: ROLE,
  auditor: ROLE,
  moderator: ROLE,
  admin: ROLE,
};

/** A clerk or an official of the petition's council (petition commands do not consult the officials registry). */
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
  unlisted: OK,
  otherOfficial: STAFF,
  otherClerk: STAFF,
  auditor: ROLE,
  moderator: ROLE,
  admin: ROLE,
};

/** Fraud checks: a clerk of the petition's council, or an admin. */
const fraudCheck: Record<Caller, Expect> = { ...councilStaff, official: ROLE, unlisted: ROLE, otherOfficial: ROLE, admin: OK };

/** Paper signatures: entered and withdrawn by the petition's agent / representative or a clerk of the council. */
const paperEntry: Record<Caller, Expect> = {
  ...councilStaff,
  owner: OK,
  official: ROLE, // 12a
  unlisted: ROLE, // 12a
  otherOfficial: ROLE, // 12a
};

/** Signed in, none of the roles the route names. */
const onlyRoles = (allowed: Partial<Record<Caller, Expect>>) =>
  Object.fromEntries(CALLERS.map((c) => [c, allowed[c] ?? (c === 'anonymous' || c === 'expired' || c === 'forged' ? UNAUTH : ROLE)])) as Record<Caller, Expect>;

/** Citizens open threads, post, follow. */
const citizens = onlyRoles({ citizen: OK, otherCitizen: OK });
/** The official of the thread's (or petition's) council, in office and in the registry. */
const registeredOfficial = onlyRoles({ official: OK, unlisted: UNLISTED, otherOfficial: OTHER_COUNCIL_OFFICIAL });
/** Moderators hide and restore messages. */
const moderators = onlyRoles({ moderator: OK });
/** The council's officials registry: an admin or a clerk of that council. */
const registrars = onlyRoles({ clerk: OK, otherClerk: STAFF, admin: OK });

const threadBody = () => ({
  councilId: COUNCIL,
  category: 'lighting',
  area: 'Quartier Al Massira',
  subject: 'La rue principale sans éclairage',
  text: 'La rue principale du quartier est dans le noir depuis six mois, les enfants rentrent de l’école dans le noir.',
  displayName: 'Fatima du quartier',
});

let registrations = 0;
const officialBody = () => ({
  councilId: COUNCIL,
  name: { ar: 'سعاد العلمي', fr: 'Souad El Alami' },
  role: 'councillor',
  termStart: '2021-09-21',
  termEnd: '2027-09-30',
  accountSub: `official-matrix-${++registrations}`,
});

const paperBody = {
  identityNumber: PAPER_CIN,
  basis: 'residence',
  electoralListRegistered: true,
  channel: 'paper',
  paperSheet: { sheet: 3, line: 12 },
  fullName: 'Jamila Berrada',
  address: '7 rue Oued Draa, Tan-Tan',
};

/** The signatory list: the petition's agent / representative and clerks of its council; other allowed roles are refused by the vault's rule. */
const signatoryList: Record<Caller, Expect> = {
  ...councilStaff,
  citizen: [403, 'SIGNATORY_LIST_NOT_ALLOWED'],
  otherCitizen: [403, 'SIGNATORY_LIST_NOT_ALLOWED'],
  agent: [403, 'SIGNATORY_LIST_NOT_ALLOWED'],
  owner: OK,
  otherRep: [403, 'SIGNATORY_LIST_NOT_ALLOWED'],
  official: ROLE,
  unlisted: ROLE,
  otherOfficial: ROLE,
};

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
      unlisted: ROLE,
      otherOfficial: ROLE,
      otherClerk: ROLE,
      auditor: ROLE,
      moderator: ROLE,
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
      unlisted: ROLE,
      otherOfficial: ROLE,
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
      unlisted: ROLE,
      otherOfficial: ROLE,
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
    name: 'download the signatory list',
    method: 'get',
    path: '/petitions/{id}/signatories',
    fixture: 'signedPaper',
    url: (f) => `/petitions/${f.petitionId}/signatories?format=csv`,
    expect: signatoryList,
  },
  {
    // The signatory erases their own data (the cin their token attests); an admin acts on a written
    // request. Everyone else asks, as on a written request, to erase the signatory's data.
    name: "erase a signatory's personal data",
    method: 'post',
    path: '/signers/erasure',
    fixture: 'signedOnline',
    url: () => '/signers/erasure',
    body: (caller, f) =>
      caller === 'citizen' ? { petitionId: f.petitionId } : { petitionId: f.petitionId, identityNumber: CITIZEN_CIN, requestReference: 'ERA/2026/0042' },
    expect: {
      ...councilStaff,
      citizen: OK,
      otherCitizen: ROLE,
      clerk: ROLE,
      official: ROLE,
      otherClerk: ROLE,
      unlisted: ROLE,
      otherOfficial: ROLE,
      admin: OK,
    },
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

  // The dialogue: threads between citizens and the officials of their council.
  {
    name: 'open a thread',
    method: 'post',
    path: '/dialogues',
    fixture: 'none',
    url: () => '/dialogues',
    body: () => threadBody(),
    expect: citizens,
  },
  publicRead('/dialogues'),
  publicRead('/dialogues/categories'),
  publicRead('/dialogues/{id}', (f) => `/dialogues/${f.threadId}`, 'hidden'),
  publicRead('/dialogues/{id}/history', (f) => `/dialogues/${f.threadId}/history?lang=ar`, 'thread'),
  {
    name: "read a thread's moderation log (hidden content included)",
    method: 'get',
    path: '/dialogues/{id}/moderation',
    fixture: 'hidden',
    url: (f) => `/dialogues/${f.threadId}/moderation`,
    expect: onlyRoles({ auditor: OK, moderator: OK, admin: OK }),
  },
  {
    name: "read a thread's full event history",
    method: 'get',
    path: '/dialogues/{id}/events',
    fixture: 'hidden',
    url: (f) => `/dialogues/${f.threadId}/events`,
    expect: onlyRoles({ auditor: OK, admin: OK }),
  },
  {
    name: 'post a message',
    method: 'post',
    path: '/dialogues/{id}/messages',
    fixture: 'thread',
    url: (f) => `/dialogues/${f.threadId}/messages`,
    // A citizen posts under a display name; an official under their registered name.
    body: (caller) =>
      caller === 'official' || caller === 'unlisted' || caller === 'otherOfficial'
        ? { text: 'La commune a programmé des lampadaires pour votre rue.' }
        : { text: 'Même chose dans notre rue, merci de relayer.', displayName: 'Amal' },
    expect: { ...citizens, official: OK, unlisted: UNLISTED, otherOfficial: OTHER_COUNCIL_OFFICIAL },
  },
  {
    name: "mark an official's reply as the council's answer",
    method: 'post',
    path: '/dialogues/{id}/messages/{messageId}/council-answer',
    fixture: 'officialReply',
    url: (f) => `/dialogues/${f.threadId}/messages/${f.messageId}/council-answer`,
    expect: registeredOfficial,
  },
  {
    name: 'make a commitment',
    method: 'post',
    path: '/dialogues/{id}/commitments',
    fixture: 'thread',
    url: (f) => `/dialogues/${f.threadId}/commitments`,
    body: () => ({ text: 'Installer 12 lampadaires dans la rue principale', dueOn: '2027-03-15' }),
    expect: registeredOfficial,
  },
  {
    name: 'mark a commitment kept',
    method: 'post',
    path: '/dialogues/{id}/commitments/{commitmentId}/kept',
    fixture: 'commitment',
    url: (f) => `/dialogues/${f.threadId}/commitments/${f.commitmentId}/kept`,
    body: () => ({ evidence: 'Les lampadaires ont été posés le 2 mars.' }),
    expect: registeredOfficial,
  },
  {
    name: 'hide a message',
    method: 'post',
    path: '/dialogues/{id}/messages/{messageId}/hidden',
    fixture: 'message',
    url: (f) => `/dialogues/${f.threadId}/messages/${f.messageId}/hidden`,
    body: () => ({ reasonCode: 'abuse' }),
    expect: moderators,
  },
  {
    name: 'restore a hidden message',
    method: 'post',
    path: '/dialogues/{id}/messages/{messageId}/restoration',
    fixture: 'hidden',
    url: (f) => `/dialogues/${f.threadId}/messages/${f.messageId}/restoration`,
    expect: moderators,
  },
  {
    name: 'close a thread (its opener, an official of the council, an admin)',
    method: 'post',
    path: '/dialogues/{id}/closure',
    fixture: 'thread',
    url: (f) => `/dialogues/${f.threadId}/closure`,
    body: () => ({ outcome: 'resolved', reasonCode: 'answered' }),
    // Another citizen is asked to be the council's official: the role check of the decider.
    expect: { ...registeredOfficial, citizen: OK, admin: OK },
  },
  {
    name: 'escalate a thread into a petition (its opener)',
    method: 'post',
    path: '/dialogues/{id}/escalation',
    fixture: 'thread',
    url: (f) => `/dialogues/${f.threadId}/escalation`,
    body: () => ({
      title: 'Éclairage public du quartier Al Massira',
      subject: "Installer l'éclairage public dans la rue principale, dans le noir depuis six mois.",
      requests: 'Inscrire au budget 2027 la pose de douze lampadaires solaires.',
      reasons: 'La promesse faite dans la discussion avec la commune n’a pas été tenue.',
    }),
    expect: { ...citizens, otherCitizen: [403, 'NOT_THREAD_OPENER'] },
  },
  {
    name: 'register an official',
    method: 'post',
    path: '/officials',
    fixture: 'none',
    url: () => '/officials',
    body: () => officialBody(),
    expect: registrars,
  },
  publicRead('/officials', () => `/officials?council=${COUNCIL}`),
  publicRead('/officials/{id}', (f) => `/officials/${f.officialId}`, 'registered'),
  {
    name: "end an official's term",
    method: 'post',
    path: '/officials/{councilId}/{id}/term-end',
    fixture: 'registered',
    url: (f) => `/officials/${COUNCIL}/${f.officialId}/term-end`,
    body: () => ({ endedOn: '2027-01-10' }),
    expect: registrars,
  },
  {
    name: "state an official's position on a petition",
    method: 'post',
    path: '/petitions/{id}/positions',
    fixture: 'collecting',
    url: (f) => `/petitions/${f.petitionId}/positions`,
    body: () => ({ stance: 'support', reasons: "L'éclairage du quartier est une priorité du conseil." }),
    expect: registeredOfficial,
  },
  publicRead('/petitions/{id}/positions', (f) => `/petitions/${f.petitionId}/positions`),
  publicRead('/exports/officials.{format}', () => '/exports/officials.json'),
  {
    name: 'follow a petition',
    method: 'post',
    path: '/follows',
    fixture: 'collecting',
    url: () => '/follows',
    body: (_, f) => ({ kind: 'petition', id: f.petitionId }),
    expect: citizens,
  },
  {
    name: 'stop following a petition (the citizen who follows it)',
    method: 'post',
    path: '/follows/withdrawal',
    fixture: 'followed',
    url: () => '/follows/withdrawal',
    body: (_, f) => ({ kind: 'petition', id: f.petitionId }),
    expect: { ...citizens, otherCitizen: [409, 'NOT_FOLLOWING'] },
  },
  {
    name: "a citizen's follows",
    method: 'get',
    path: '/follows',
    fixture: 'followed',
    url: () => '/follows',
    expect: citizens,
  },

  // The verifiable history: the Merkle log, its signed checkpoints and proofs.
  publicRead('/audit/public-key'),
  publicRead('/audit/checkpoints', undefined, 'checkpointed'),
  publicRead('/audit/proofs/inclusion', () => '/audit/proofs/inclusion?position=1', 'checkpointed'),
  publicRead('/audit/proofs/consistency', () => '/audit/proofs/consistency?from=1&to=1', 'checkpointed'),
  publicRead('/receipts/{receipt}/proof', (f) => `/receipts/${encodeURIComponent(f.receipt!)}/proof`, 'checkpointed'),
  {
    name: 'sign a checkpoint of the log',
    method: 'post',
    path: '/audit/checkpoints',
    fixture: 'collecting',
    url: () => '/audit/checkpoints',
    expect: onlyRoles({ admin: OK }),
  },
  {
    name: "export a petition's audit trail",
    method: 'get',
    path: '/petitions/{id}/audit',
    fixture: 'checkpointed',
    url: (f) => `/petitions/${f.petitionId}/audit`,
    expect: onlyRoles({ clerk: OK, official: OK, unlisted: OK, otherOfficial: STAFF, otherClerk: STAFF, auditor: OK, admin: OK }),
  },
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
    unlisted: () => t('official-unlisted', ['official'], COUNCIL),
    otherOfficial: () => t('official-guelmim', ['official'], OTHER_COUNCIL),
    otherClerk: () => t('clerk-guelmim', ['clerk'], OTHER_COUNCIL),
    auditor: () => t('auditor-1', ['auditor']),
    moderator: () => t('moderator-1', ['moderator']),
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

let officialInRegistry: Promise<unknown> | undefined;

/** The `official` caller's account, linked once to an official of the council in office. */
async function registerOfficial(): Promise<void> {
  officialInRegistry ??= (async () =>
    must(await h.post('/officials', { ...officialBody(), accountSub: 'official-tan-tan' }, await tokenOf('clerk')), 'register the official'))();
  await officialInRegistry;
}

const DIALOGUE: Fixture[] = ['thread', 'message', 'hidden', 'officialReply', 'commitment'];

/** A fresh thread opened by `citizen`, put in the state the row needs. */
async function dialogueFixture(state: Fixture): Promise<Fixtured> {
  const official = await tokenOf('official');
  const opened = must(await h.post('/dialogues', threadBody(), await tokenOf('citizen')), 'open a thread');
  const result: Fixtured = { petitionId: '', threadId: opened.body.id as string };
  const url = `/dialogues/${result.threadId}`;
  if (state === 'message' || state === 'hidden') {
    const posted = must(
      await h.post(`${url}/messages`, { text: 'Vous êtes tous des voleurs !', displayName: 'Youssef' }, await tokenOf('otherCitizen')),
      'post',
    );
    result.messageId = posted.body.id as string;
  }
  if (state === 'hidden') must(await h.post(`${url}/messages/${result.messageId}/hidden`, { reasonCode: 'abuse' }, await tokenOf('moderator')), 'hide');
  if (state === 'officialReply') {
    const reply = must(await h.post(`${url}/messages`, { text: 'La commune a programmé des lampadaires.' }, official), 'reply');
    result.messageId = reply.body.id as string;
  }
  if (state === 'commitment') {
    const made = must(await h.post(`${url}/commitments`, { text: 'Installer 12 lampadaires', dueOn: '2027-03-15' }, official), 'commit');
    result.commitmentId = made.body.id as string;
  }
  return result;
}

/** A fresh association petition, owned by `owner`, put in the state the row needs (or a thread, or an official). */
async function fixture(state: Fixture): Promise<Fixtured> {
  if (state === 'none') return { petitionId: '' };
  await registerOfficial();
  if (DIALOGUE.includes(state)) return dialogueFixture(state);
  const owner = await tokenOf('owner');
  const clerk = await tokenOf('clerk');
  if (state === 'registered') {
    const registered = must(await h.post('/officials', officialBody(), clerk), 'register an official');
    return { petitionId: '', officialId: registered.body.id as string };
  }
  const filed = must(await h.post('/petitions', associationPetition(COUNCIL), owner), 'file');
  const petitionId = filed.body.id as string;
  const result: Fixtured = { petitionId };
  if (state === 'signedOnline' || state === 'checkpointed') {
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
  if (state === 'checkpointed') must(await h.post('/audit/checkpoints', undefined, await tokenOf('admin')), 'sign a checkpoint');
  if (state === 'followed') must(await h.post('/follows', { kind: 'petition', id: petitionId }, await tokenOf('citizen')), 'follow');
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
    const body = row.body?.(caller, f);
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

/**
 * Whose signature a request is. Online, a citizen signs (and withdraws) as the person their token
 * attests (`cin` claim): a token without it, or a body naming someone else, is refused. Paper
 * signatures, entered by the agent or a clerk, name the signatory in the body. Duplicates are
 * matched across channels. Online signature events record a per-petition pseudonym of the
 * account, never the account id nor any identity number, and refusals do not reveal whether
 * someone signed. `SIGNER_IDENTITY=declared` takes the number from the body, as before.
 */
import { SignJWT } from 'jose';
import { citizensPetition, expectProblem, Harness, HistoryEvent, HttpResponse, signBody, useApp } from './harness';

const PSEUDONYM = /^citizen:[0-9a-f]{32}$/;

const h = useApp();
let agent: string;
let clerk: string;

beforeAll(async () => {
  agent = await h.token('agent-identity', ['agent']);
  clerk = await h.token('clerk-identity', ['clerk'], 'commune-tan-tan');
});

/** A citizen whose identity provider attests this identity number. */
const citizen = (sub: string, cin?: string) => h.token(sub, ['citizen'], undefined, cin);

async function file(title: string, councilId = 'commune-tan-tan', app: Harness = h, token = agent): Promise<string> {
  const res = await app.post('/petitions', citizensPetition(councilId, title), token);
  expect(res.status).toBe(201);
  return res.body.id;
}

/** Runs the request, checks the problem document, and that nothing was appended; returns the answer. */
async function refused(send: () => Promise<HttpResponse>, status: number, code: string, app: Harness = h): Promise<HttpResponse> {
  const before = await app.headPosition();
  const res = await send();
  expectProblem(res, status, code);
  expect(await app.headPosition()).toBe(before);
  return res;
}

const sign = (petitionId: string, body: unknown, token: string, app: Harness = h) => app.post(`/petitions/${petitionId}/signatures`, body, token);
const withdraw = (petitionId: string, body: unknown, token: string, app: Harness = h) =>
  app.post(`/petitions/${petitionId}/signatures/withdrawal`, body, token);
const paper = (identityNumber: string | undefined, line: number, extra: Record<string, unknown> = {}) => ({
  ...(identityNumber ? { identityNumber } : {}),
  basis: 'residence',
  meetsElectoralRegistrationConditions: true,
  channel: 'paper',
  paperSheet: { sheet: 1, line },
  fullName: 'Fatima Zahra Benali',
  address: '7 derb Lalla Meryem, Tan-Tan',
  ...extra,
});
/** An online signature body without identityNumber: the token says who signs. */
const online = (extra: Record<string, unknown> = {}) => ({ basis: 'residence', meetsElectoralRegistrationConditions: true, ...extra });

/** The one signing (or withdrawal) event of this signature in a history. */
const eventOf = (events: HistoryEvent[], signatureId: string, type = 'PetitionSigned.v2') => {
  const found = events.filter((e) => e.type === type && e.data.signatureId === signatureId);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('online: the token attests who signs', () => {
  let id: string;

  beforeAll(async () => {
    id = await file('Éclairage de la corniche de Tan-Tan Plage');
  });

  it('the default mode is attested', () => {
    expect(h.config.signerIdentity).toBe('attested');
  });

  it('403 IDENTITY_NOT_ATTESTED: a citizen token without cin, to sign or to withdraw', async () => {
    const unattested = await citizen('citizen-no-cin');
    await refused(() => sign(id, signBody('IA100001'), unattested), 403, 'IDENTITY_NOT_ATTESTED');
    await refused(() => sign(id, online(), unattested), 403, 'IDENTITY_NOT_ATTESTED');
    await refused(() => withdraw(id, { identityNumber: 'IA100001' }, unattested), 403, 'IDENTITY_NOT_ATTESTED');
  });

  it('403 IDENTITY_MISMATCH: a body naming someone other than the token attests, to sign or to withdraw', async () => {
    const token = await citizen('citizen-mismatch', 'IA100002');
    await refused(() => sign(id, signBody('IA100003'), token), 403, 'IDENTITY_MISMATCH');
    await refused(() => withdraw(id, { identityNumber: 'IA100003' }, token), 403, 'IDENTITY_MISMATCH');
    // The number the body names was not signed for either.
    expect((await sign(id, signBody('IA100003'), await citizen('citizen-mismatch-victim', 'IA100003'))).status).toBe(201);
  });

  it('signs with no identityNumber in the body; the same number in the body, however written, is the same person', async () => {
    const before = (await h.petition(id)).body.signatureCount;
    const token = await citizen('citizen-no-body-number', 'IA100004');
    const res = await sign(id, online(), token);
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['eventHash', 'position', 'receipt', 'signatureId']);
    expect((await h.petition(id)).body.signatureCount).toBe(before + 1);
    expect((await h.get(`/receipts/${encodeURIComponent(res.body.receipt)}`)).body).toMatchObject({
      valid: true,
      signatureId: res.body.signatureId,
      status: 'signed',
    });

    // Written differently in the body, it is still the attested number: no mismatch, a duplicate.
    await refused(() => sign(id, signBody('ia 100-004'), token), 409, 'ALREADY_SIGNED');
  });

  it('409 ALREADY_SIGNED: a second signature by the same attested person', async () => {
    const token = await citizen('citizen-twice', 'IA100005');
    expect((await sign(id, signBody('IA100005'), token)).status).toBe(201);
    await refused(() => sign(id, signBody('IA100005'), token), 409, 'ALREADY_SIGNED');
    await refused(() => sign(id, online(), token), 409, 'ALREADY_SIGNED');
  });

  it('the signer withdraws as themself, without naming their number', async () => {
    const token = await citizen('citizen-withdraws', 'IA100006');
    const signed = await sign(id, online(), token);
    expect(signed.status).toBe(201);
    const before = (await h.petition(id)).body.signatureCount;
    const res = await withdraw(id, {}, token);
    expect(res.status).toBe(200);
    expect(res.body.signatureId).toBe(signed.body.signatureId);
    expect((await h.petition(id)).body.signatureCount).toBe(before - 1);

    // Both events carry the same pseudonym: the account that signed is the one that withdrew.
    const events = (await h.history(id)).events;
    const signedEvent = eventOf(events, signed.body.signatureId);
    const withdrawnEvent = eventOf(events, signed.body.signatureId, 'SignatureWithdrawn.v1');
    expect(withdrawnEvent.position).toBe(res.body.position);
    expect(signedEvent.metadata.actor.id).toMatch(PSEUDONYM);
    expect(withdrawnEvent.metadata.actor.id).toBe(signedEvent.metadata.actor.id);
  });

  it('401 for a token without exp, even if everything else is right', async () => {
    const noExp = await new SignJWT({ roles: ['citizen'], cin: 'IA100007' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('citizen-no-exp')
      .setIssuedAt()
      .sign(new TextEncoder().encode(h.config.jwt.secret));
    await refused(() => sign(id, signBody('IA100007'), noExp), 401, 'UNAUTHENTICATED');
    await refused(() => h.post('/petitions', citizensPetition('commune-tan-tan'), noExp), 401, 'UNAUTHENTICATED');
    // The same claims with an expiry sign.
    expect((await sign(id, signBody('IA100007'), await citizen('citizen-no-exp', 'IA100007'))).status).toBe(201);
  });

  it('401 for a cin claim that is not a CNIE number', async () => {
    const badCin = await new SignJWT({ roles: ['citizen'], cin: '12-34' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('citizen-bad-cin')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(h.config.jwt.secret));
    await refused(() => sign(id, online(), badCin), 401, 'UNAUTHENTICATED');
  });
});

describe('paper signatures name the signatory in the body', () => {
  let id: string;

  beforeAll(async () => {
    id = await file('Aménagement du souk hebdomadaire');
  });

  it('422 IDENTITY_NUMBER_REQUIRED without identityNumber, by the agent or a clerk', async () => {
    await refused(() => sign(id, paper(undefined, 1), agent), 422, 'IDENTITY_NUMBER_REQUIRED');
    await refused(() => sign(id, paper(undefined, 2), clerk), 422, 'IDENTITY_NUMBER_REQUIRED');
    // Even if the staff member's token attests their own number: paper is the signatory's.
    const agentWithCin = await h.token('agent-identity', ['agent'], undefined, 'PA999999');
    await refused(() => sign(id, paper(undefined, 3), agentWithCin), 422, 'IDENTITY_NUMBER_REQUIRED');
  });

  it('are recorded by the agent or clerk who entered them, under their own id', async () => {
    const byAgent = await sign(id, paper('PA100001', 4), agent);
    const byClerk = await sign(id, paper('PA100002', 5), clerk);
    expect(byAgent.status).toBe(201);
    expect(byClerk.status).toBe(201);
    const events = (await h.history(id)).events;
    expect(eventOf(events, byAgent.body.signatureId).metadata.actor).toMatchObject({ id: 'agent-identity', role: 'agent' });
    expect(eventOf(events, byClerk.body.signatureId).metadata.actor).toMatchObject({ id: 'clerk-identity', role: 'clerk', councilId: 'commune-tan-tan' });
  });

  it('paper then online for the same number: the online one is 409 ALREADY_SIGNED', async () => {
    expect((await sign(id, paper('PA100003', 6), agent)).status).toBe(201);
    await refused(async () => sign(id, online(), await citizen('citizen-paper-first', 'PA100003')), 409, 'ALREADY_SIGNED');
  });

  it('online then paper for the same number: the paper one is 409 ALREADY_SIGNED', async () => {
    expect((await sign(id, online(), await citizen('citizen-online-first', 'PA100004'))).status).toBe(201);
    await refused(() => sign(id, paper('pa-100004', 7), agent), 409, 'ALREADY_SIGNED');
    await refused(() => sign(id, paper('PA100004', 8), clerk), 409, 'ALREADY_SIGNED');
  });
});

describe('the audit history holds no account id and no identity number', () => {
  const people = [
    { sub: 'citizen-account-7f3a-amina', cin: 'HX100001', withBody: true },
    { sub: 'citizen-account-7f3a-youssef', cin: 'HX100002', withBody: false },
    { sub: 'citizen-account-7f3a-khadija', cin: 'HX100003', withBody: true },
  ];
  const paperNumbers = ['HX200001', 'HX200002'];
  let id: string;
  /** The online signatures, and the one of them withdrawn. */
  let signatureIds: string[];
  let withdrawnId: string;

  beforeAll(async () => {
    id = await file('Réouverture de la bibliothèque municipale');
    signatureIds = [];
    for (const p of people) {
      const res = await sign(id, p.withBody ? signBody(p.cin) : online(), await citizen(p.sub, p.cin));
      expect(res.status).toBe(201);
      signatureIds.push(res.body.signatureId);
    }
    for (const [i, n] of paperNumbers.entries()) expect((await sign(id, paper(n, 20 + i), agent)).status).toBe(201);
    // One of them withdraws online: that event too is by the pseudonym.
    const withdrawn = await withdraw(id, {}, await citizen(people[2].sub, people[2].cin));
    expect(withdrawn.status).toBe(200);
    withdrawnId = withdrawn.body.signatureId;
    expect(withdrawnId).toBe(signatureIds[2]);
  });

  it('online signature events carry a per-petition pseudonym in metadata.actor.id', async () => {
    const history = await h.history(id);
    expect(history.lifecycleIntegrity.verified).toBe(true);
    const byCitizens = history.events.filter(
      (e) => (e.type === 'PetitionSigned.v2' || e.type === 'SignatureWithdrawn.v1') && e.metadata.actor.role === 'citizen',
    );
    expect(byCitizens.map((e) => `${e.type} ${e.data.signatureId}`).sort()).toEqual(
      [...signatureIds.map((s) => `PetitionSigned.v2 ${s}`), `SignatureWithdrawn.v1 ${withdrawnId}`].sort(),
    );
    for (const e of byCitizens) expect(e.metadata.actor.id).toMatch(PSEUDONYM);
    const signedOnline = byCitizens.filter((e) => e.type === 'PetitionSigned.v2');
    expect(signedOnline.filter((e) => e.data.channel === 'online')).toHaveLength(people.length);
    // One pseudonym per account.
    expect(new Set(signedOnline.map((e) => e.metadata.actor.id)).size).toBe(people.length);
  });

  it('the JSON of the whole history contains no account id (sub) and no identity number', async () => {
    const json = JSON.stringify(await h.history(id));
    for (const p of people) {
      expect(json).not.toContain(p.sub);
      expect(json).not.toContain(p.cin);
    }
    for (const n of paperNumbers) expect(json).not.toContain(n);
    expect(json).not.toContain('7f3a');
  });

  it('the same citizen signing two petitions gets two different pseudonyms', async () => {
    const token = await citizen('citizen-two-petitions', 'HX300001');
    const first = await file('Piscine municipale couverte');
    const second = await file('Navette vers la plage El Ouatia');
    const a = await sign(first, online(), token);
    const b = await sign(second, online(), token);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    const ea = eventOf((await h.history(first)).events, a.body.signatureId);
    const eb = eventOf((await h.history(second)).events, b.body.signatureId);
    expect(ea.metadata.actor.id).toMatch(PSEUDONYM);
    expect(eb.metadata.actor.id).toMatch(PSEUDONYM);
    expect(ea.metadata.actor.id).not.toBe(eb.metadata.actor.id);
    // And the signer hashes are unlinkable too.
    expect(ea.data.signerHash).not.toBe(eb.data.signerHash);
  });
});

describe('refusals do not reveal whether someone signed', () => {
  let id: string;
  let region: string;
  const signedOnline = 'PR100001';
  const signedOnPaper = 'PR100002';
  const neverSigned = 'PR100003';

  beforeAll(async () => {
    id = await file('Réfection du stade municipal');
    expect((await sign(id, online(), await citizen('citizen-probe-signed', signedOnline))).status).toBe(201);
    expect((await sign(id, paper(signedOnPaper, 30), agent)).status).toBe(201);
    region = await file('Route régionale Guelmim – Tan-Tan', 'region-guelmim-oued-noun');
    expect((await sign(region, online({ provinceId: 'province-tan-tan' }), await citizen('citizen-probe-signed', signedOnline))).status).toBe(201);
  });

  /** The refusals must be the same document, word for word, and append nothing. */
  async function sameRefusal(sends: (() => Promise<HttpResponse>)[], status: number, code: string) {
    const answers: HttpResponse[] = [];
    for (const send of sends) answers.push(await refused(send, status, code));
    for (const a of answers.slice(1)) expect(a.body).toEqual(answers[0].body);
  }

  it('meetsElectoralRegistrationConditions: false is the same 422 online for a person who signed and one who did not', async () => {
    const history = (await h.history(id)).events.length;
    await sameRefusal(
      [
        async () => sign(id, signBody(signedOnline, { meetsElectoralRegistrationConditions: false }), await citizen('citizen-probe-signed', signedOnline)),
        async () => sign(id, signBody(neverSigned, { meetsElectoralRegistrationConditions: false }), await citizen('citizen-probe-never', neverSigned)),
        async () => sign(id, online({ meetsElectoralRegistrationConditions: false }), await citizen('citizen-probe-signed', signedOnline)),
      ],
      422,
      'SIGNER_ELECTORAL_CONDITIONS_UNMET',
    );
    expect((await h.history(id)).events).toHaveLength(history);
  });

  it('the same on paper, whatever channel the person signed on, or if they never did', async () => {
    await sameRefusal(
      [signedOnline, signedOnPaper, neverSigned].map((n) => () => sign(id, paper(n, 31, { meetsElectoralRegistrationConditions: false }), agent)),
      422,
      'SIGNER_ELECTORAL_CONDITIONS_UNMET',
    );
    // A missing sheet reference likewise.
    await sameRefusal(
      [signedOnline, signedOnPaper, neverSigned].map(
        (n) => () => sign(id, { identityNumber: n, basis: 'residence', meetsElectoralRegistrationConditions: true, channel: 'paper' }, agent),
      ),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('a regional petition: PROVINCE_REQUIRED and PROVINCE_NOT_IN_REGION alike for a signer and a non-signer', async () => {
    const signer = await citizen('citizen-probe-signed', signedOnline);
    const other = await citizen('citizen-probe-never', neverSigned);
    await sameRefusal([() => sign(region, online(), signer), () => sign(region, online(), other)], 422, 'PROVINCE_REQUIRED');
    await sameRefusal(
      [() => sign(region, online({ provinceId: 'prefecture-fes' }), signer), () => sign(region, online({ provinceId: 'prefecture-fes' }), other)],
      422,
      'PROVINCE_NOT_IN_REGION',
    );
  });
});

describe('SIGNER_IDENTITY=declared: online signatures take the number from the body', () => {
  const d = useApp({ env: { SIGNER_IDENTITY: 'declared' } });
  // Declared mode: the particulars are typed in the request too.
  const declared = { fullName: 'Youssef Bennani', address: '9 rue de Fès, Tan-Tan' };
  let id: string;

  beforeAll(async () => {
    id = await file('Centre culturel de quartier', 'commune-tan-tan', d, await d.token('agent-declared', ['agent']));
  });

  it('is the configured mode', () => {
    expect(d.config.signerIdentity).toBe('declared');
  });

  it('accepts the body number from a token without cin', async () => {
    const res = await sign(id, signBody('DE100001', declared), await d.token('citizen-declared-1', ['citizen']), d);
    expect(res.status).toBe(201);
    // Online signatures are still recorded under the account's pseudonym.
    expect(eventOf((await d.history(id)).events, res.body.signatureId).metadata.actor.id).toMatch(PSEUDONYM);
  });

  it('the body number decides, not the token’s cin', async () => {
    // Token attests DE100002, body declares DE100003: signed as DE100003.
    const res = await sign(id, signBody('DE100003', declared), await d.token('citizen-declared-3', ['citizen'], undefined, 'DE100002'), d);
    expect(res.status).toBe(201);
    const agentToken = await d.token('agent-declared', ['agent']);
    await refused(() => sign(id, paper('DE100003', 40), agentToken, d), 409, 'ALREADY_SIGNED', d);
    // DE100002 is still free.
    expect((await sign(id, paper('DE100002', 41), agentToken, d)).status).toBe(201);
  });

  it('a duplicate declared number is 409 ALREADY_SIGNED, whoever declares it', async () => {
    const other = await d.token('citizen-declared-4', ['citizen']);
    await refused(() => sign(id, signBody('de 100001', declared), other, d), 409, 'ALREADY_SIGNED', d);
  });

  it('422 IDENTITY_NUMBER_REQUIRED without a body number, even with a cin in the token', async () => {
    await refused(
      async () => sign(id, online(), await d.token('citizen-declared-5', ['citizen'], undefined, 'DE100005'), d),
      422,
      'IDENTITY_NUMBER_REQUIRED',
      d,
    );
    await refused(async () => sign(id, online(), await d.token('citizen-declared-6', ['citizen']), d), 422, 'IDENTITY_NUMBER_REQUIRED', d);
  });
});

it('answered no request with a 5xx', () => {
  expect(h.serverErrors).toEqual([]);
});

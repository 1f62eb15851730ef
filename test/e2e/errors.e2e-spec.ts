/**
 * Every refusal is application/problem+json with the right status and a stable `code`, and
 * appends nothing: the store's head position is the same before and after. No answer is a 5xx.
 */
import { SignJWT } from 'jose';
import { associationPetition, citizensPetition, DAY, expectProblem, expiredToken, HttpResponse, identityNumber, signBody, useApp } from './harness';

const h = useApp();
/** Tan-Tan commune, citizens, collecting, filed by agent-1. */
let collecting: string;
/** Tan-Tan commune, association, signed once by citizen-x then submitted. */
let submitted: string;

/**
 * The identity numbers the identity provider attests for each citizen (cin claim): online, a
 * citizen signs and withdraws only as themself.
 */
const CIN = {
  a: 'AB200001',
  b: identityNumber(5, 'CD'),
  x: 'XX900001',
};

const tok = {
  agent1: '',
  agent2: '',
  rep: '',
  citizenA: '',
  citizenB: '',
  citizenX: '',
  clerkTanTan: '',
  officialTanTan: '',
  clerkTanger: '',
  auditor: '',
};

beforeAll(async () => {
  tok.agent1 = await h.token('agent-1', ['agent']);
  tok.agent2 = await h.token('agent-2', ['agent']);
  tok.rep = await h.token('rep-1', ['association_rep']);
  tok.citizenA = await h.token('citizen-a', ['citizen'], undefined, CIN.a);
  tok.citizenB = await h.token('citizen-b', ['citizen'], undefined, CIN.b);
  tok.citizenX = await h.token('citizen-x', ['citizen'], undefined, CIN.x);
  tok.clerkTanTan = await h.token('clerk-tt', ['clerk'], 'commune-tan-tan');
  tok.officialTanTan = await h.token('official-tt', ['official'], 'commune-tan-tan');
  tok.clerkTanger = await h.token('clerk-tanger', ['clerk'], 'commune-tanger');
  tok.auditor = await h.token('auditor-1', ['auditor']);

  const p = await h.post('/petitions', citizensPetition('commune-tan-tan'), tok.agent1);
  expect(p.status).toBe(201);
  collecting = p.body.id;

  const a = await h.post('/petitions', associationPetition('commune-tan-tan'), tok.rep);
  expect(a.status).toBe(201);
  submitted = a.body.id;
  expect((await h.post(`/petitions/${submitted}/signatures`, signBody(CIN.x), tok.citizenX)).status).toBe(201);
  expect((await h.post(`/petitions/${submitted}/submission`, undefined, tok.rep)).status).toBe(200);
  h.clock.advance(DAY);
});

/** Runs the request, checks the problem document, and that nothing was appended; returns the problem. */
async function refused(send: () => Promise<HttpResponse>, status: number, code: string): Promise<any> {
  const before = await h.headPosition();
  const problem = expectProblem(await send(), status, code);
  expect(await h.headPosition()).toBe(before);
  return problem;
}

const fields = (problem: any): string[] => problem.errors.map((e: { field: string }) => e.field);

describe('400 VALIDATION_FAILED names the field', () => {
  const file = (body: unknown) => () => h.post('/petitions', body, tok.agent1);

  it('a missing field', async () => {
    const { title: _title, ...body } = citizensPetition('commune-tan-tan');
    const problem = await refused(file(body), 400, 'VALIDATION_FAILED');
    expect(fields(problem)).toEqual(['title']);
    expect(problem.errors[0].messages.length).toBeGreaterThan(0);
    expect(problem.detail).toContain('title');
  });

  it('an unknown property', async () => {
    const problem = await refused(file({ ...citizensPetition('commune-tan-tan'), ownerId: 'someone-else' }), 400, 'VALIDATION_FAILED');
    expect(fields(problem)).toEqual(['ownerId']);
  });

  it('a wrong type', async () => {
    const problem = await refused(file({ ...citizensPetition('commune-tan-tan'), title: 1234567890123 }), 400, 'VALIDATION_FAILED');
    expect(fields(problem)).toEqual(['title']);
  });

  it('a value outside the enum', async () => {
    const problem = await refused(file({ ...citizensPetition('commune-tan-tan'), petitionerType: 'company' }), 400, 'VALIDATION_FAILED');
    expect(fields(problem)).toEqual(['petitionerType']);
  });

  it('a nested field of the association declaration', async () => {
    const body = associationPetition('commune-tan-tan');
    body.association.constitutedOn = 'long ago';
    const problem = await refused(() => h.post('/petitions', body, tok.rep), 400, 'VALIDATION_FAILED');
    expect(fields(problem)).toEqual(['association.constitutedOn']);
  });

  it('a bad identity number', async () => {
    const problem = await refused(() => h.post(`/petitions/${collecting}/signatures`, signBody('123456'), tok.citizenA), 400, 'VALIDATION_FAILED');
    expect(fields(problem)).toEqual(['identityNumber']);
  });

  it('a missing admissibility detail', async () => {
    const problem = await refused(
      () => h.post(`/petitions/${submitted}/admissibility`, { decision: 'admissible', agendaSession: 'Session de mai' }, tok.clerkTanTan),
      400,
      'VALIDATION_FAILED',
    );
    expect(fields(problem)).toEqual(['committee']);
  });

  it('a path id that is not a UUID (commands and reads)', async () => {
    const problem = await refused(() => h.post('/petitions/not-a-uuid/signatures', signBody('AB100001'), tok.citizenA), 400, 'VALIDATION_FAILED');
    expect(fields(problem)).toEqual(['id']);
    expect(fields(await refused(() => h.get('/petitions/42'), 400, 'VALIDATION_FAILED'))).toEqual(['id']);
    expect(fields(await refused(() => h.post('/petitions/42/submission', undefined, tok.agent1), 400, 'VALIDATION_FAILED'))).toEqual(['id']);
  });
});

describe('unreadable bodies', () => {
  it('400 MALFORMED_JSON', async () => {
    await refused(() => h.request('POST', '/petitions', undefined, { token: tok.agent1, rawBody: '{"councilId": "commune-tan-tan",' }), 400, 'MALFORMED_JSON');
  });

  it('415 for text/plain', async () => {
    const problem = await refused(
      () =>
        h.request('POST', '/petitions', undefined, {
          token: tok.agent1,
          rawBody: JSON.stringify(citizensPetition('commune-tan-tan')),
          contentType: 'text/plain',
        }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(problem.status).toBe(415);
  });
});

describe('requests refused before routing or by the read side', () => {
  it('a query position beyond the store’s range: 400 naming `after`', async () => {
    const problem = await refused(() => h.get(`/petitions/${collecting}/events?after=999999999999999999999999999999`, tok.auditor), 400, 'VALIDATION_FAILED');
    expect(fields(problem)).toEqual(['after']);
    expect(fields(await refused(() => h.get(`/petitions/${collecting}/events?limit=0`, tok.auditor), 400, 'VALIDATION_FAILED'))).toEqual(['limit']);
  });

  it('an overlong path parameter: 414 URI_TOO_LONG', async () => {
    await refused(() => h.get(`/receipts/${'a'.repeat(3000)}.${'b'.repeat(43)}`), 414, 'URI_TOO_LONG');
  });

  it('a bad percent-encoding in the path: 400', async () => {
    await refused(() => h.get('/petitions/%E0%A4%A'), 400, 'BAD_REQUEST');
  });

  it('a body over the size limit: 413', async () => {
    await refused(() => h.post('/petitions', { ...citizensPetition('commune-tan-tan'), subject: 'x'.repeat(1_100_000) }, tok.agent1), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('an unknown level filter on GET /councils', async () => {
    expect(fields(await refused(() => h.get('/councils?level=planet'), 400, 'VALIDATION_FAILED'))).toEqual(['level']);
  });
});

describe('401 UNAUTHENTICATED', () => {
  const body = citizensPetition('commune-tan-tan');

  it('without a token', async () => {
    await refused(() => h.post('/petitions', body), 401, 'UNAUTHENTICATED');
  });

  it('with a token signed by another key', async () => {
    const forged = await new SignJWT({ roles: ['agent'] })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('agent-1')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-of-at-least-thirty-two-bytes!!'));
    await refused(() => h.post('/petitions', body, forged), 401, 'UNAUTHENTICATED');
  });

  it('with a tampered signature', async () => {
    const [header, payload, signature] = tok.agent1.split('.');
    const flipped = `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await refused(() => h.post('/petitions', body, flipped), 401, 'UNAUTHENTICATED');
  });

  it('with an expired token', async () => {
    const problem = await refused(async () => h.post('/petitions', body, await expiredToken(h.config, 'agent-1', ['agent'])), 401, 'UNAUTHENTICATED');
    expect(problem.detail).toMatch(/expired/);
  });

  it('with a header that is not Bearer', async () => {
    await refused(() => h.post('/petitions', body, undefined, { authorization: 'Basic YWdlbnQ6c2VjcmV0' }), 401, 'UNAUTHENTICATED');
  });

  it('on the auditor history without a token', async () => {
    await refused(() => h.get(`/petitions/${collecting}/events`), 401, 'UNAUTHENTICATED');
  });
});

describe('403', () => {
  it('ROLE_NOT_ALLOWED: a citizen declaring admissibility', async () => {
    await refused(
      () =>
        h.post(
          `/petitions/${submitted}/admissibility`,
          { decision: 'admissible', agendaSession: 'Session de mai', committee: 'Commission des finances' },
          tok.citizenA,
        ),
      403,
      'ROLE_NOT_ALLOWED',
    );
  });

  it('ROLE_NOT_ALLOWED: an agent signing online for someone else', async () => {
    // Even with an attested identity, the online channel is for citizens, signing as themselves.
    const agentWithCin = await h.token('agent-1', ['agent'], undefined, 'AB555555');
    await refused(() => h.post(`/petitions/${collecting}/signatures`, signBody('AB555555'), agentWithCin), 403, 'ROLE_NOT_ALLOWED');
    // For someone else: the body's number differs from the one the token attests.
    await refused(() => h.post(`/petitions/${collecting}/signatures`, signBody('AB555556'), agentWithCin), 403, 'IDENTITY_MISMATCH');
    // Without an attested identity at all, nobody signs online.
    await refused(() => h.post(`/petitions/${collecting}/signatures`, signBody('AB555555'), tok.agent1), 403, 'IDENTITY_NOT_ATTESTED');
  });

  it('ROLE_NOT_ALLOWED: a citizen reading the audit history', async () => {
    await refused(() => h.get(`/petitions/${collecting}/events`, tok.citizenA), 403, 'ROLE_NOT_ALLOWED');
  });

  it('NOT_COUNCIL_STAFF: the clerk of Tanger deciding on a Tan-Tan petition', async () => {
    await refused(
      () =>
        h.post(
          `/petitions/${submitted}/admissibility`,
          { decision: 'admissible', agendaSession: 'Session de mai', committee: 'Commission des finances' },
          tok.clerkTanger,
        ),
      403,
      'NOT_COUNCIL_STAFF',
    );
    await refused(() => h.get(`/petitions/${submitted}/events`, tok.clerkTanger), 403, 'NOT_COUNCIL_STAFF');
  });

  it('NOT_PETITION_OWNER: another agent submitting', async () => {
    await refused(() => h.post(`/petitions/${collecting}/submission`, undefined, tok.agent2), 403, 'NOT_PETITION_OWNER');
  });
});

describe('404', () => {
  const unknown = '01900000-0000-7000-8000-000000000000';

  it('PETITION_NOT_FOUND on reads and commands', async () => {
    await refused(() => h.get(`/petitions/${unknown}`), 404, 'PETITION_NOT_FOUND');
    await refused(() => h.get(`/petitions/${unknown}/events`, tok.auditor), 404, 'PETITION_NOT_FOUND');
    await refused(() => h.post(`/petitions/${unknown}/signatures`, signBody(CIN.a), tok.citizenA), 404, 'PETITION_NOT_FOUND');
    await refused(() => h.post(`/petitions/${unknown}/submission`, undefined, tok.agent1), 404, 'PETITION_NOT_FOUND');
    await refused(() => h.post(`/petitions/${unknown}/closure`, {}, tok.clerkTanTan), 404, 'PETITION_NOT_FOUND');
  });

  it('COUNCIL_NOT_FOUND on GET /councils/x', async () => {
    await refused(() => h.get('/councils/x'), 404, 'COUNCIL_NOT_FOUND');
  });

  it('an unknown route', async () => {
    await refused(() => h.get('/nowhere'), 404, 'NOT_FOUND');
  });
});

describe('422 refused by a rule', () => {
  it('COUNCIL_NOT_FOUND when filing to an unknown council', async () => {
    const problem = await refused(() => h.post('/petitions', citizensPetition('commune-atlantis'), tok.agent1), 422, 'COUNCIL_NOT_FOUND');
    expect(problem.details).toEqual({ councilId: 'commune-atlantis' });
  });

  it('THRESHOLD_NOT_MET', async () => {
    const problem = await refused(() => h.post(`/petitions/${collecting}/submission`, undefined, tok.agent1), 422, 'THRESHOLD_NOT_MET');
    expect(problem.details).toMatchObject({ required: 200, provincesBelowShare: [] });
  });

  it('SIGNER_ELECTORAL_CONDITIONS_UNMET', async () => {
    const citizen = await h.token('citizen-e', ['citizen'], undefined, 'AB777777');
    await refused(
      () => h.post(`/petitions/${collecting}/signatures`, signBody('AB777777', { meetsElectoralRegistrationConditions: false }), citizen),
      422,
      'SIGNER_ELECTORAL_CONDITIONS_UNMET',
    );
  });

  it('ASSOCIATION_TOO_RECENT', async () => {
    const oneYearAgo = new Date(Date.parse(h.clock.iso()) - 365 * DAY).toISOString().slice(0, 10);
    const problem = await refused(() => h.post('/petitions', associationPetition('commune-tan-tan', oneYearAgo), tok.rep), 422, 'ASSOCIATION_TOO_RECENT');
    expect(problem.details).toEqual({ constitutedOn: oneYearAgo });
  });

  it('UNKNOWN_REASON_CODE', async () => {
    await refused(
      () =>
        h.post(
          `/petitions/${submitted}/admissibility`,
          { decision: 'inadmissible', reasonCodes: ['not_a_reason'], reasonText: 'Motif inconnu du règlement.' },
          tok.clerkTanTan,
        ),
      422,
      'UNKNOWN_REASON_CODE',
    );
  });

  it('UNKNOWN_REASON_CODE for "other", a ground without legal basis', async () => {
    await refused(
      () =>
        h.post(
          `/petitions/${submitted}/admissibility`,
          { decision: 'inadmissible', reasonCodes: ['other'], reasonText: 'Motif sans fondement légal.' },
          tok.clerkTanTan,
        ),
      422,
      'UNKNOWN_REASON_CODE',
    );
  });

  it('PROVINCE_REQUIRED and PROVINCE_NOT_IN_REGION on a regional petition', async () => {
    const region = await h.post('/petitions', citizensPetition('region-guelmim-oued-noun'), tok.agent1);
    expect(region.status).toBe(201);
    await refused(() => h.post(`/petitions/${region.body.id}/signatures`, signBody(CIN.a), tok.citizenA), 422, 'PROVINCE_REQUIRED');
    await refused(
      () => h.post(`/petitions/${region.body.id}/signatures`, signBody(CIN.a, { provinceId: 'prefecture-fes' }), tok.citizenA),
      422,
      'PROVINCE_NOT_IN_REGION',
    );
  });
});

describe('409 conflicts with the current state', () => {
  it('ALREADY_SIGNED, online twice and then on paper with the same identity number', async () => {
    const first = await h.post(`/petitions/${collecting}/signatures`, signBody(CIN.a), tok.citizenA);
    expect(first.status).toBe(201);
    await refused(() => h.post(`/petitions/${collecting}/signatures`, signBody(CIN.a), tok.citizenA), 409, 'ALREADY_SIGNED');
    // Normalised: the same number written with a space and in lower case is the same person,
    // in the body as in the token's cin claim (here another account attested with that number).
    await refused(() => h.post(`/petitions/${collecting}/signatures`, signBody('ab 200001'), tok.citizenA), 409, 'ALREADY_SIGNED');
    const sameCardOtherAccount = await h.token('citizen-a-bis', ['citizen'], undefined, 'ab-200001');
    await refused(() => h.post(`/petitions/${collecting}/signatures`, signBody('ab 200001'), sameCardOtherAccount), 409, 'ALREADY_SIGNED');
    await refused(
      () =>
        h.post(
          `/petitions/${collecting}/signatures`,
          signBody('AB200001', { channel: 'paper', paperSheet: { sheet: 1, line: 1 }, fullName: 'Samira Idrissi', address: '5 avenue Hassan II, Tan-Tan' }),
          tok.agent1,
        ),
      409,
      'ALREADY_SIGNED',
    );
  });

  it('PETITION_NOT_COLLECTING: signing after submission', async () => {
    await refused(() => h.post(`/petitions/${submitted}/signatures`, signBody(CIN.a), tok.citizenA), 409, 'PETITION_NOT_COLLECTING');
  });

  it('PETITION_NOT_SUBMITTED: admissibility before submission', async () => {
    await refused(
      () =>
        h.post(
          `/petitions/${collecting}/admissibility`,
          { decision: 'admissible', agendaSession: 'Session de mai', committee: 'Commission des finances' },
          tok.clerkTanTan,
        ),
      409,
      'PETITION_NOT_SUBMITTED',
    );
  });

  it('PETITION_NOT_ADMISSIBLE: a response before admissibility', async () => {
    await refused(
      () =>
        h.post(
          `/petitions/${submitted}/response`,
          { decision: 'adopted', text: 'Le conseil adopte la demande.', respondingOfficial: { name: 'Ahmed Bennani', title: 'Président' } },
          tok.officialTanTan,
        ),
      409,
      'PETITION_NOT_ADMISSIBLE',
    );
  });

  it('PETITION_NOT_CLOSABLE: closing a petition that has not been answered', async () => {
    await refused(() => h.post(`/petitions/${submitted}/closure`, {}, tok.clerkTanTan), 409, 'PETITION_NOT_CLOSABLE');
  });

  it('SIGNATURE_NOT_FOUND: withdrawing a signature that was never given', async () => {
    const neverSigned = await h.token('citizen-z', ['citizen'], undefined, 'ZZ999999');
    await refused(() => h.post(`/petitions/${collecting}/signatures/withdrawal`, { identityNumber: 'ZZ999999' }, neverSigned), 409, 'SIGNATURE_NOT_FOUND');
    await refused(() => h.post(`/petitions/${collecting}/signatures/withdrawal`, {}, neverSigned), 409, 'SIGNATURE_NOT_FOUND');
  });
});

describe('signature withdrawal', () => {
  it('another citizen cannot withdraw an online signature: they act only on their own identity', async () => {
    const signer = await h.token('citizen-d', ['citizen'], undefined, 'AB400001');
    const other = await h.token('citizen-o', ['citizen'], undefined, 'AB400002');
    expect((await h.post(`/petitions/${collecting}/signatures`, signBody('AB400001'), signer)).status).toBe(201);
    const count = (await h.petition(collecting)).body.signatureCount;
    // Naming the signer's number: refused, it is not the one their token attests.
    await refused(() => h.post(`/petitions/${collecting}/signatures/withdrawal`, { identityNumber: 'AB400001' }, other), 403, 'IDENTITY_MISMATCH');
    // As themselves: they have no signature to withdraw.
    await refused(() => h.post(`/petitions/${collecting}/signatures/withdrawal`, {}, other), 409, 'SIGNATURE_NOT_FOUND');
    await refused(() => h.post(`/petitions/${collecting}/signatures/withdrawal`, { identityNumber: 'AB400002' }, other), 409, 'SIGNATURE_NOT_FOUND');
    // NOT_THE_SIGNER: another account attested with the same number is still not the account that signed.
    const sameCardOtherAccount = await h.token('citizen-d-bis', ['citizen'], undefined, 'AB400001');
    await refused(() => h.post(`/petitions/${collecting}/signatures/withdrawal`, {}, sameCardOtherAccount), 403, 'NOT_THE_SIGNER');
    // Nor the agent, by calling it a paper signature.
    await refused(
      () => h.post(`/petitions/${collecting}/signatures/withdrawal`, { identityNumber: 'AB400001', channel: 'paper' }, tok.agent1),
      403,
      'NOT_THE_SIGNER',
    );
    expect((await h.petition(collecting)).body.signatureCount).toBe(count);
  });

  it('works for the signer before submission: the count drops', async () => {
    const before = (await h.petition(collecting)).body.signatureCount;
    const signed = await h.post(`/petitions/${collecting}/signatures`, signBody(CIN.b), tok.citizenB);
    expect(signed.status).toBe(201);
    expect((await h.petition(collecting)).body.signatureCount).toBe(before + 1);

    const head = await h.headPosition();
    const res = await h.post(`/petitions/${collecting}/signatures/withdrawal`, { identityNumber: CIN.b }, tok.citizenB);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ signatureId: signed.body.signatureId, position: (head + 1n).toString() });
    expect((await h.petition(collecting)).body.signatureCount).toBe(before);

    const receipt = await h.get(`/receipts/${encodeURIComponent(signed.body.receipt)}`);
    expect(receipt.body).toMatchObject({ status: 'withdrawn', includedInSubmission: null });
    // Withdrawn twice: nothing left to withdraw.
    await refused(() => h.post(`/petitions/${collecting}/signatures/withdrawal`, { identityNumber: CIN.b }, tok.citizenB), 409, 'SIGNATURE_NOT_FOUND');
  });

  it('is refused after submission: 409 PETITION_NOT_COLLECTING, the count stays', async () => {
    await refused(() => h.post(`/petitions/${submitted}/signatures/withdrawal`, { identityNumber: CIN.x }, tok.citizenX), 409, 'PETITION_NOT_COLLECTING');
    expect((await h.petition(submitted)).body.signatureCount).toBe(1);
  });
});

it('answered no request with a 5xx', () => {
  expect(h.serverErrors).toEqual([]);
});

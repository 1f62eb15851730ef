/**
 * Signature receipts: a signer proves, without revealing who they are, that their signature is on
 * record and was counted in the submission; anything altered is refused.
 */
import { SignerIdentity } from '../../src/application/signer-identity.service';
import { citizensPetition, expectProblem, HOUR, Signed, useApp } from './harness';

const h = useApp();
let id: string;
let signed: Signed[];
let signedAt: string;
const agentId = 'agent-receipts';

beforeAll(async () => {
  const filed = await h.post('/petitions', citizensPetition('commune-tan-tan', 'Réhabilitation de la médina de Tan-Tan'), await h.token(agentId, ['agent']));
  expect(filed.status).toBe(201);
  id = filed.body.id;
  h.clock.advance(HOUR);
  signedAt = h.clock.iso();
  signed = await h.signMany(id, 201, { subPrefix: 'citizen-receipt' });
});

const verify = (receipt: string) => h.get(`/receipts/${encodeURIComponent(receipt)}`);

it('says signed, not yet submitted, before submission', async () => {
  const res = await verify(signed[0].receipt);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    valid: true,
    petitionId: id,
    signatureId: signed[0].signatureId,
    signedAt,
    position: signed[0].position,
    eventHash: (signed[0] as Signed & { eventHash: string }).eventHash,
    status: 'signed',
    includedInSubmission: null,
  });
});

it('says withdrawn after the signer withdraws', async () => {
  h.clock.advance(HOUR);
  const last = signed[200];
  const res = await h.post(`/petitions/${id}/signatures/withdrawal`, { identityNumber: last.identityNumber }, last.token);
  expect(res.status).toBe(200);
  expect((await verify(last.receipt)).body).toMatchObject({ status: 'withdrawn', withdrawnAt: h.clock.iso(), includedInSubmission: null });
});

it('says includedInSubmission: true after submission (false for the withdrawn one)', async () => {
  const submission = await h.post(`/petitions/${id}/submission`, undefined, await h.token(agentId, ['agent']));
  expect(submission.status).toBe(200);
  for (const s of [signed[0], signed[99], signed[199]]) {
    const res = await verify(s.receipt);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: true, signatureId: s.signatureId, status: 'signed', includedInSubmission: true });
  }
  expect((await verify(signed[200].receipt)).body).toMatchObject({ status: 'withdrawn', includedInSubmission: false });
});

describe('a receipt that was not issued as it is: 404 RECEIPT_INVALID', () => {
  it('a tampered MAC', async () => {
    const receipt = signed[1].receipt;
    const last = receipt.slice(-1);
    expectProblem(await verify(receipt.slice(0, -1) + (last === 'A' ? 'B' : 'A')), 404, 'RECEIPT_INVALID');
  });

  it('a tampered body under a genuine MAC', async () => {
    const [body, mac] = signed[1].receipt.split('.');
    const content = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as string[];
    content[1] = signed[2].signatureId;
    const forged = `${Buffer.from(JSON.stringify(content)).toString('base64url')}.${mac}`;
    expectProblem(await verify(forged), 404, 'RECEIPT_INVALID');
  });

  it('two receipts spliced together', async () => {
    const [body] = signed[1].receipt.split('.');
    const [, mac] = signed[2].receipt.split('.');
    expectProblem(await verify(`${body}.${mac}`), 404, 'RECEIPT_INVALID');
  });

  it('a correctly keyed receipt for a signature that does not exist', async () => {
    const identity = new SignerIdentity(h.config);
    const fake = identity.receipt({ petitionId: id, signatureId: '01900000-0000-7000-8000-000000000000', signerHash: 'f'.repeat(64), position: '1' });
    expectProblem(await verify(fake), 404, 'RECEIPT_INVALID');
  });

  it('garbage', async () => {
    expectProblem(await verify('not-a-receipt'), 404, 'RECEIPT_INVALID');
    expectProblem(await verify('a.b.c'), 404, 'RECEIPT_INVALID');
  });
});

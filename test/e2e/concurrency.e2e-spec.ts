/**
 * Concurrent requests on one petition: one signature per person whatever the race, no lost
 * signature among distinct signers, and the threshold recorded exactly once.
 */
import { citizensPetition, expectProblem, HttpResponse, identityNumber, signBody, useApp } from './harness';

const h = useApp();
let agent: string;

beforeAll(async () => {
  agent = await h.token('agent-race', ['agent']);
});

async function file(councilId: string, title: string): Promise<string> {
  const res = await h.post('/petitions', citizensPetition(councilId, title), agent);
  expect(res.status).toBe(201);
  return res.body.id;
}

const statuses = (answers: HttpResponse[]) => answers.reduce<Record<number, number>>((acc, a) => ({ ...acc, [a.status]: (acc[a.status] ?? 0) + 1 }), {});

it('200 concurrent signatures by the same person: exactly one 201, 199 × 409, a count of 1', async () => {
  const id = await file('commune-tan-tan', 'Eau potable au quartier Ennahda');
  // One account, one attested identity number: the token's cin is the one the body repeats.
  const citizen = await h.token('citizen-same', ['citizen'], undefined, 'JB777777');
  const head = await h.headPosition();
  const answers = await Promise.all(Array.from({ length: 200 }, () => h.post(`/petitions/${id}/signatures`, signBody('JB777777'), citizen)));

  expect(statuses(answers)).toEqual({ 201: 1, 409: 199 });
  for (const a of answers.filter((x) => x.status === 409)) {
    expect(['ALREADY_SIGNED', 'CONCURRENT_CHANGE']).toContain(a.body.code);
    expect(a.contentType).toMatch(/^application\/problem\+json/);
  }
  expect(await h.headPosition()).toBe(head + 1n);
  expect((await h.petition(id)).body.signatureCount).toBe(1);
  expect((await h.history(id)).events.filter((e) => e.type === 'PetitionSigned.v2')).toHaveLength(1);
});

it('the same person online and on paper at once: still one signature', async () => {
  const id = await file('commune-tan-tan', 'Marché hebdomadaire couvert');
  const citizen = await h.token('citizen-both', ['citizen'], undefined, 'JB888888');
  const answers = await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? h.post(`/petitions/${id}/signatures`, signBody('JB888888'), citizen)
        : h.post(
            `/petitions/${id}/signatures`,
            signBody('jb-888888', { channel: 'paper', paperSheet: { sheet: 3, line: i + 1 }, fullName: 'Karim Alaoui', address: '3 rue Atlas, Tan-Tan' }),
            agent,
          ),
    ),
  );
  expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
  for (const a of answers.filter((x) => x.status !== 201)) expect(['ALREADY_SIGNED', 'CONCURRENT_CHANGE']).toContain(expectProblem(a, 409, a.body.code).code);
  expect((await h.petition(id)).body.signatureCount).toBe(1);
});

it('200 concurrent distinct signers: 200 × 201, a count of 200, the threshold recorded once', async () => {
  const id = await file('commune-tan-tan', 'Terrain de sport de proximité');
  const tokens = await Promise.all(Array.from({ length: 200 }, (_, i) => h.token(`citizen-distinct-${i}`, ['citizen'], undefined, identityNumber(i))));
  const head = await h.headPosition();
  const answers = await Promise.all(tokens.map((t, i) => h.post(`/petitions/${id}/signatures`, signBody(identityNumber(i)), t)));

  expect(statuses(answers)).toEqual({ 201: 200 });
  expect(new Set(answers.map((a) => a.body.signatureId)).size).toBe(200);
  const page = await h.petition(id);
  expect(page.body.signatureCount).toBe(200);
  expect(page.body.thresholdReached).toBe(true);

  const history = await h.history(id);
  expect(history.events.filter((e) => e.type === 'PetitionSigned.v2')).toHaveLength(200);
  const reached = history.events.filter((e) => e.type === 'SignatureThresholdReached.v1');
  expect(reached).toHaveLength(1);
  expect(reached[0].data).toMatchObject({ required: 200, count: 200 });
  expect(history.lifecycleIntegrity.verified).toBe(true);
  // 200 signatures and one threshold event, nothing else.
  expect(await h.headPosition()).toBe(head + 201n);

  // And the petition can be submitted with exactly those 200.
  const submitted = await h.post(`/petitions/${id}/submission`, undefined, agent);
  expect(submitted.status).toBe(200);
  expect((await h.history(id)).events.find((e) => e.type === 'PetitionSubmittedToCouncil.v1')!.data.signatureCount).toBe(200);
});

it('concurrent signatures crossing the threshold record SignatureThresholdReached exactly once', async () => {
  const id = await file('province-tan-tan', 'Ligne de bus Tan-Tan – El Ouatia');
  await h.signMany(id, 280, { subPrefix: 'citizen-cross' });
  let page = await h.petition(id);
  expect(page.body).toMatchObject({ signatureCount: 280, thresholdReached: false });

  // 40 at once: the 300th lands somewhere in the middle of the burst.
  const burst = await h.signMany(id, 40, { offset: 280, subPrefix: 'citizen-cross', batch: 40 });
  expect(burst).toHaveLength(40);
  page = await h.petition(id);
  expect(page.body).toMatchObject({ signatureCount: 320, thresholdReached: true });

  const history = await h.history(id);
  const reached = history.events.filter((e) => e.type === 'SignatureThresholdReached.v1');
  expect(reached).toHaveLength(1);
  expect(reached[0].data.required).toBe(300);
  expect(reached[0].data.count).toBeGreaterThanOrEqual(300);
  expect(reached[0].data.count).toBeLessThanOrEqual(320);
  // The count it records is the number of signatures at or before the position it was counted up to.
  const countedUpTo = BigInt(reached[0].data.countedUpToPosition);
  expect(history.events.filter((e) => e.type === 'PetitionSigned.v2' && BigInt(e.position) <= countedUpTo)).toHaveLength(reached[0].data.count);
});

it('concurrent submissions by the agent: one submission, the others refused', async () => {
  const rep = await h.token('rep-race', ['association_rep']);
  const filed = await h.post(
    '/petitions',
    {
      ...citizensPetition('commune-tan-tan', 'Maison des associations'),
      petitionerType: 'association',
      association: {
        name: 'Association Al Amal',
        registrationNumber: 'TT-2012-0007',
        constitutedOn: '2012-05-01',
        seatOrBranchInTerritory: true,
        activityRelatedToSubject: true,
        memberCount: 150,
        documents: { constitutionProof: true, statutes: true, representativePowers: true },
      },
    },
    rep,
  );
  const id = filed.body.id;
  const answers = await Promise.all(Array.from({ length: 30 }, () => h.post(`/petitions/${id}/submission`, undefined, rep)));
  expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
  for (const a of answers.filter((x) => x.status !== 200))
    expect(['PETITION_NOT_COLLECTING', 'CONCURRENT_CHANGE']).toContain(expectProblem(a, 409, a.body.code).code);
  expect((await h.history(id)).events.filter((e) => e.type === 'PetitionSubmittedToCouncil.v1')).toHaveLength(1);
});

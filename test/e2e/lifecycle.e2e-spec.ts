/**
 * One full lifecycle per council level, over HTTP on the real app and the embedded store:
 * file → sign to the threshold → submit → admissible → official response → close, then the
 * auditor's view of the whole history. Plus an association's petition and an inadmissible one.
 */
import {
  associationPetition,
  citizensPetition,
  DAY,
  expectProblem,
  History,
  HistoryEvent,
  HOUR,
  MINUTE,
  plusMonths,
  POSITION,
  Signed,
  useApp,
  UUID,
} from './harness';
import { SignerIdentity } from '../../src/application/signer-identity.service';

const h = useApp();

const GUELMIM_PROVINCES = ['province-guelmim', 'province-assa-zag', 'province-tan-tan', 'province-sidi-ifni'];
const lifecycleTypes = (history: History, id: string) => history.events.filter((e) => e.streamId === `petition-${id}`).map((e) => e.type);

interface Level {
  name: string;
  councilId: string;
  threshold: number;
  months: number;
  /** Regions: the province of signer i. */
  province?: (i: number) => string;
}

const LEVELS: Level[] = [
  { name: 'commune of Tan-Tan', councilId: 'commune-tan-tan', threshold: 200, months: 3 },
  { name: 'province of Tan-Tan', councilId: 'province-tan-tan', threshold: 300, months: 2 },
  // 75 signers in each of the region's four provinces (the 5 % share is 15).
  { name: 'region of Guelmim-Oued Noun', councilId: 'region-guelmim-oued-noun', threshold: 300, months: 2, province: (i) => GUELMIM_PROVINCES[i % 4] },
];

describe.each(LEVELS)('a citizens’ petition to the $name', (level) => {
  const agentId = `agent-${level.councilId}`;
  const clerkId = `clerk-${level.councilId}`;
  const officialId = `official-${level.councilId}`;
  const times: Record<string, string> = {};
  let id: string;
  let signed: Signed[];
  let history: History;

  it('is filed by its agent: 201 with id, position and status collecting', async () => {
    h.clock.advance(DAY);
    times.filed = h.clock.iso();
    const res = await h.post('/petitions', citizensPetition(level.councilId), await h.token(agentId, ['agent']), {
      'x-correlation-id': `file-${level.councilId}`,
    });
    expect(res.status).toBe(201);
    expect(res.contentType).toMatch(/^application\/json/);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'position', 'status']);
    expect(res.body.id).toMatch(UUID);
    expect(res.body.position).toMatch(POSITION);
    expect(res.body.status).toBe('collecting');
    id = res.body.id;

    const page = await h.petition(id);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ id, councilId: level.councilId, status: 'collecting', signatureCount: 0, thresholdReached: false, filedAt: times.filed });
  });

  it(`is signed by ${level.threshold} distinct citizens (201 with signatureId, receipt, position each)`, async () => {
    h.clock.advance(HOUR);
    signed = await h.signMany(id, level.threshold, { province: level.province, subPrefix: `citizen-${level.councilId}` });
    expect(signed).toHaveLength(level.threshold);
    for (const s of signed) {
      expect(s.signatureId).toMatch(UUID);
      expect(s.position).toMatch(POSITION);
      expect(typeof s.receipt).toBe('string');
    }
    expect(new Set(signed.map((s) => s.signatureId)).size).toBe(level.threshold);
    expect(new Set(signed.map((s) => s.position)).size).toBe(level.threshold);

    const page = await h.petition(id);
    expect(page.status).toBe(200);
    expect(page.body.signatureCount).toBe(level.threshold);
    expect(page.body.thresholdReached).toBe(true);
    expect(page.body.status).toBe('collecting');
    if (level.province) {
      expect(page.body.provinceCounts).toEqual(Object.fromEntries(GUELMIM_PROVINCES.map((p) => [p, level.threshold / 4])));
    }
    // The public page shows no signer data.
    expect(page.text).not.toContain(signed[0].identityNumber);
    expect(page.text).not.toContain(signed[0].sub);
  });

  it('is submitted by its agent once the threshold is met', async () => {
    h.clock.advance(DAY);
    times.submitted = h.clock.iso();
    const res = await h.post(`/petitions/${id}/submission`, undefined, await h.token(agentId, ['agent']), { 'x-correlation-id': `submit-${level.councilId}` });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ petitionId: id, status: 'submitted', position: expect.stringMatching(POSITION) });

    const page = await h.petition(id);
    expect(page.body).toMatchObject({
      status: 'submitted',
      submittedAt: times.submitted,
      signatureCount: level.threshold,
      responseDueAt: plusMonths(times.submitted, level.months),
      deadlineMissed: false,
    });
  });

  it('is declared admissible by a clerk of that council, with agenda session and committee', async () => {
    h.clock.advance(DAY);
    times.admissible = h.clock.iso();
    const res = await h.post(
      `/petitions/${id}/admissibility`,
      { decision: 'admissible', agendaSession: 'Session ordinaire de mai 2027', committee: "Commission de l'urbanisme et de l'environnement" },
      await h.token(clerkId, ['clerk'], level.councilId),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ petitionId: id, status: 'admissible', position: expect.stringMatching(POSITION) });
  });

  it("records the council's response (adopted) by an official", async () => {
    h.clock.advance(DAY);
    times.answered = h.clock.iso();
    const res = await h.post(
      `/petitions/${id}/response`,
      {
        decision: 'adopted',
        text: 'Le conseil adopte la pose de quarante lampadaires solaires au budget 2027.',
        respondingOfficial: { name: 'Fatima Zahra El Idrissi', title: 'Présidente du conseil' },
        deliberationRef: 'Délibération n° 12/2027',
      },
      await h.token(officialId, ['official'], level.councilId),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ petitionId: id, status: 'answered', position: expect.stringMatching(POSITION) });
  });

  it('is closed by the clerk', async () => {
    h.clock.advance(HOUR);
    times.closed = h.clock.iso();
    const res = await h.post(`/petitions/${id}/closure`, { note: 'Réponse publiée.' }, await h.token(clerkId, ['clerk'], level.councilId));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ petitionId: id, status: 'answered', position: expect.stringMatching(POSITION) });

    const page = await h.petition(id);
    expect(page.body).toMatchObject({
      status: 'answered',
      closed: true,
      closedAt: times.closed,
      signatureCount: level.threshold,
      thresholdReached: true,
      deadlineMissed: false,
    });
  });

  it('shows an auditor the whole history in order, with metadata and a verified chain', async () => {
    history = await h.history(id);
    expect(history.petitionId).toBe(id);
    expect(history.lifecycleIntegrity.verified).toBe(true);
    expect(history.pageIntegrity.verified).toBe(true);
    expect(history.next).toBeNull();
    expect(history.events).toHaveLength(level.threshold + 6);

    const positions = history.events.map((e) => BigInt(e.position));
    for (let i = 1; i < positions.length; i++) expect(positions[i] > positions[i - 1]).toBe(true);

    expect(lifecycleTypes(history, id)).toEqual([
      'PetitionFiled.v2',
      'SignatureThresholdReached.v1',
      'PetitionSubmittedToCouncil.v1',
      'PetitionDeclaredAdmissible.v2',
      'OfficialResponseRecorded.v1',
      'PetitionClosed.v1',
    ]);
    expect(history.events.filter((e) => e.type === 'SignatureThresholdReached.v1')).toHaveLength(1);

    // Every event carries who, why and when, and its chain link.
    for (const e of history.events) {
      expect(e.metadata.actor.id).toEqual(expect.any(String));
      expect(e.metadata.actor.role).toEqual(expect.any(String));
      expect(e.metadata.correlationId).toEqual(expect.any(String));
      expect(e.metadata.causationId).toEqual(expect.any(String));
      expect(e.metadata.command).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(e.metadata.occurredAt))).toBe(false);
      expect(e.metadata.chain.hash).toMatch(/^[0-9a-f]{64}$/);
    }

    // Lifecycle stream: revisions 0..5, each linked to the one before.
    const lifecycle = history.events.filter((e) => e.streamId === `petition-${id}`);
    lifecycle.forEach((e, i) => {
      expect(e.revision).toBe(String(i));
      expect(e.metadata.chain.previousHash).toBe(i === 0 ? null : lifecycle[i - 1].metadata.chain.hash);
    });
    const [filed, threshold, submitted, admissible, response, closed] = lifecycle;

    expect(filed.metadata).toMatchObject({
      actor: { id: agentId, role: 'agent' },
      command: 'FilePetition',
      correlationId: `file-${level.councilId}`,
      occurredAt: times.filed,
    });
    expect(filed.metadata.causationId).toMatch(UUID);
    expect(filed.data).toMatchObject({
      petitionId: id,
      councilId: level.councilId,
      petitionerType: 'citizens',
      ownerId: agentId,
      thresholdApplies: true,
      threshold: { required: level.threshold },
    });

    // Signatures: one per signer, on their own stream, by the citizen — recorded under a
    // per-petition pseudonym of their account, never their account id — with no identity number.
    const signatures = history.events.filter((e) => e.type === 'PetitionSigned.v2');
    expect(signatures).toHaveLength(level.threshold);
    const signerOf = new Map(signed.map((s) => [s.signatureId, s]));
    const pseudonyms = new SignerIdentity(h.config);
    for (const s of signatures) {
      expect(s.streamId.startsWith(`signature-${id}-`)).toBe(true);
      expect(s.revision).toBe('0');
      expect(s.metadata.chain.previousHash).toBeNull();
      expect(s.metadata.command).toBe('SignPetition');
      expect(s.metadata.actor.role).toBe('citizen');
      expect(s.metadata.actor.id).toMatch(/^citizen:[0-9a-f]{32}$/);
      const signer = signerOf.get(s.data.signatureId);
      expect(signer).toBeDefined();
      expect(s.metadata.actor.id).toBe(pseudonyms.accountPseudonym(id, signer!.sub));
      expect(s.data.channel).toBe('online');
      if (level.province) expect(GUELMIM_PROVINCES).toContain(s.data.provinceId);
    }
    expect(new Set(signatures.map((s) => s.streamId)).size).toBe(level.threshold);
    expect(new Set(signatures.map((s) => s.metadata.actor.id)).size).toBe(level.threshold);
    const json = JSON.stringify(history);
    for (const s of signed) {
      expect(json).not.toContain(s.identityNumber);
      expect(json).not.toContain(s.sub);
    }

    // The threshold event: by the system, caused by the signature that crossed it.
    expect(threshold.metadata).toMatchObject({ actor: { id: 'system:threshold-check', role: 'system' }, command: 'RecordThresholdReached' });
    const cause = signatures.find((s) => s.id === threshold.metadata.causationId) as HistoryEvent;
    expect(cause).toBeDefined();
    expect(threshold.metadata.correlationId).toBe(cause.metadata.correlationId);
    expect(threshold.data).toMatchObject({ petitionId: id, required: level.threshold, count: level.threshold });
    expect(BigInt(threshold.position) > BigInt(signatures[signatures.length - 1].position)).toBe(true);
    if (level.province) expect(threshold.data.provinceCounts).toEqual(Object.fromEntries(GUELMIM_PROVINCES.map((p) => [p, level.threshold / 4])));

    expect(submitted.metadata).toMatchObject({
      actor: { id: agentId, role: 'agent' },
      command: 'SubmitPetition',
      correlationId: `submit-${level.councilId}`,
      occurredAt: times.submitted,
    });
    expect(submitted.data).toMatchObject({
      petitionId: id,
      signatureCount: level.threshold,
      submittedAt: times.submitted,
      responseDueAt: plusMonths(times.submitted, level.months),
      deadlineMonths: level.months,
    });
    expect(BigInt(submitted.data.countedUpToPosition) >= BigInt(signatures[signatures.length - 1].position)).toBe(true);

    expect(admissible.metadata).toMatchObject({
      actor: { id: clerkId, role: 'clerk', councilId: level.councilId },
      command: 'DeclarePetitionAdmissible',
      occurredAt: times.admissible,
    });
    expect(admissible.data).toMatchObject({
      agendaSession: 'Session ordinaire de mai 2027',
      committee: "Commission de l'urbanisme et de l'environnement",
      decidedAt: times.admissible,
    });
    expect(response.metadata).toMatchObject({
      actor: { id: officialId, role: 'official', councilId: level.councilId },
      command: 'RecordOfficialResponse',
      occurredAt: times.answered,
    });
    expect(response.data).toMatchObject({ decision: 'adopted', deliberationRef: 'Délibération n° 12/2027', respondedAt: times.answered });
    expect(closed.metadata).toMatchObject({
      actor: { id: clerkId, role: 'clerk', councilId: level.councilId },
      command: 'ClosePetition',
      occurredAt: times.closed,
    });

    // Each HTTP command is its own request: distinct causation ids.
    const causes = [filed, submitted, admissible, response, closed].map((e) => e.metadata.causationId);
    expect(new Set(causes).size).toBe(causes.length);
  });

  it('lets a signer verify their receipt: signed and included in the submission', async () => {
    const res = await h.get(`/receipts/${encodeURIComponent(signed[7].receipt)}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      valid: true,
      petitionId: id,
      signatureId: signed[7].signatureId,
      position: signed[7].position,
      status: 'signed',
      includedInSubmission: true,
    });
  });
});

describe('a regional petition with one province below its 5 % share', () => {
  let id: string;
  const agent = () => h.token('agent-region-short', ['agent']);
  // 14 signers in Assa-Zag (the share is 15), 286 spread over the three other provinces.
  const province = (i: number) => (i < 14 ? 'province-assa-zag' : ['province-guelmim', 'province-tan-tan', 'province-sidi-ifni'][i % 3]);

  it('is not submitted although the total is met: 422 THRESHOLD_NOT_MET with provincesBelowShare', async () => {
    h.clock.advance(DAY);
    const filed = await h.post('/petitions', citizensPetition('region-guelmim-oued-noun', 'Desserte routière des communes rurales'), await agent());
    expect(filed.status).toBe(201);
    id = filed.body.id;
    await h.signMany(id, 300, { province, subPrefix: 'citizen-region-short' });

    const page = await h.petition(id);
    expect(page.body).toMatchObject({ signatureCount: 300, thresholdReached: false });
    expect(page.body.provinceCounts['province-assa-zag']).toBe(14);

    const before = await h.headPosition();
    const res = await h.post(`/petitions/${id}/submission`, undefined, await agent());
    const problem = expectProblem(res, 422, 'THRESHOLD_NOT_MET');
    expect(problem.details).toEqual({ required: 300, count: 300, provincesBelowShare: [{ provinceId: 'province-assa-zag', required: 15, count: 14 }] });
    expect(await h.headPosition()).toBe(before);
    expect(lifecycleTypes(await h.history(id), id)).toEqual(['PetitionFiled.v2']);
  });

  it('reaches its threshold with the 15th signer of the short province, and is then submitted', async () => {
    await h.signMany(id, 1, { offset: 300, province: () => 'province-assa-zag', subPrefix: 'citizen-region-short' });
    const page = await h.petition(id);
    expect(page.body).toMatchObject({ signatureCount: 301, thresholdReached: true });
    const res = await h.post(`/petitions/${id}/submission`, undefined, await agent());
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('submitted');
    const history = await h.history(id);
    expect(lifecycleTypes(history, id)).toEqual(['PetitionFiled.v2', 'SignatureThresholdReached.v1', 'PetitionSubmittedToCouncil.v1']);
    expect(history.events.find((e) => e.type === 'SignatureThresholdReached.v1')!.data.provinceCounts['province-assa-zag']).toBe(15);
  });
});

describe("an association's petition", () => {
  const rep = () => h.token('rep-association', ['association_rep']);
  let id: string;

  it('is filed by its legal representative (constituted more than 3 years ago) and submitted with zero signatures', async () => {
    h.clock.advance(DAY);
    const filed = await h.post('/petitions', associationPetition('commune-tan-tan', '2015-03-01'), await rep());
    expect(filed.status).toBe(201);
    expect(filed.body.status).toBe('collecting');
    id = filed.body.id;

    const page = await h.petition(id);
    expect(page.body).toMatchObject({ id, petitionerType: 'association', status: 'collecting', signatureCount: 0 });

    h.clock.advance(HOUR);
    const submittedAt = h.clock.iso();
    const res = await h.post(`/petitions/${id}/submission`, undefined, await rep());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ petitionId: id, status: 'submitted', position: expect.stringMatching(POSITION) });

    const history = await h.history(id);
    expect(history.lifecycleIntegrity.verified).toBe(true);
    expect(lifecycleTypes(history, id)).toEqual(['PetitionFiled.v2', 'PetitionSubmittedToCouncil.v1']);
    const submitted = history.events[1];
    expect(submitted.metadata.actor).toEqual({ id: 'rep-association', role: 'association_rep' });
    expect(submitted.data).toMatchObject({ signatureCount: 0, submittedAt, responseDueAt: plusMonths(submittedAt, 3), deadlineMonths: 3 });
    expect(history.events[0].data).toMatchObject({
      petitionerType: 'association',
      ownerId: 'rep-association',
      thresholdApplies: false,
      association: {
        name: 'Association Tan-Tan pour l’environnement',
        registrationNumber: 'TT-2015-0042',
        constitutedOn: '2015-03-01',
        seatOrBranchInTerritory: true,
        activityRelatedToSubject: true,
      },
    });
    expect(history.events[0].metadata.actor).toEqual({ id: 'rep-association', role: 'association_rep' });
  });

  it('goes on to a decision, an answer (partially adopted) and closure like any other', async () => {
    const clerk = await h.token('clerk-commune-tan-tan', ['clerk'], 'commune-tan-tan');
    const official = await h.token('official-commune-tan-tan', ['official'], 'commune-tan-tan');
    h.clock.advance(DAY);
    expect(
      (
        await h.post(
          `/petitions/${id}/admissibility`,
          { decision: 'admissible', agendaSession: 'Session ordinaire de mai 2027', committee: 'Commission des affaires sociales' },
          clerk,
        )
      ).status,
    ).toBe(200);
    h.clock.advance(DAY);
    const answer = await h.post(
      `/petitions/${id}/response`,
      {
        decision: 'partially_adopted',
        text: 'Le conseil retient le nettoyage de la plage, pas la clôture.',
        respondingOfficial: { name: 'Fatima Zahra El Idrissi', title: 'Présidente du conseil' },
      },
      official,
    );
    expect(answer.status).toBe(200);
    expect((await h.post(`/petitions/${id}/closure`, {}, clerk)).status).toBe(200);
    const page = await h.petition(id);
    expect(page.body).toMatchObject({ status: 'answered', closed: true });
    const history = await h.history(id);
    expect(history.lifecycleIntegrity.verified).toBe(true);
    expect(lifecycleTypes(history, id)).toEqual([
      'PetitionFiled.v2',
      'PetitionSubmittedToCouncil.v1',
      'PetitionDeclaredAdmissible.v2',
      'OfficialResponseRecorded.v1',
      'PetitionClosed.v1',
    ]);
    expect(history.events[3].data.decision).toBe('partially_adopted');
  });
});

describe('an inadmissible petition', () => {
  const rep = () => h.token('rep-inadmissible', ['association_rep']);
  const clerk = () => h.token('clerk-province-tan-tan', ['clerk'], 'province-tan-tan');
  let id: string;
  const reasonText = "L'objet relève de la compétence de l'État (port de pêche), non du conseil provincial, et le dossier ne joint pas les statuts.";

  it('is declared inadmissible by the clerk with reason codes and the reasoned text', async () => {
    h.clock.advance(DAY);
    const filed = await h.post('/petitions', associationPetition('province-tan-tan', '2010-06-15'), await rep());
    expect(filed.status).toBe(201);
    id = filed.body.id;
    expect((await h.post(`/petitions/${id}/submission`, undefined, await rep())).status).toBe(200);

    h.clock.advance(5 * DAY);
    const decidedAt = h.clock.iso();
    const res = await h.post(
      `/petitions/${id}/admissibility`,
      { decision: 'inadmissible', reasonCodes: ['outside_competence', 'form_defect'], reasonText },
      await clerk(),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ petitionId: id, status: 'inadmissible', position: expect.stringMatching(POSITION) });

    const page = await h.petition(id);
    expect(page.body).toMatchObject({ id, status: 'inadmissible', closed: false });
    const decided = (await h.history(id)).events.find((e) => e.type === 'PetitionDeclaredInadmissible.v1')!;
    expect(decided.data).toEqual({ petitionId: id, reasonCodes: ['outside_competence', 'form_defect'], reasonText, decidedAt });
  });

  it('cannot then be answered (409 PETITION_NOT_ADMISSIBLE), and is closed', async () => {
    const official = await h.token('official-province-tan-tan', ['official'], 'province-tan-tan');
    const before = await h.headPosition();
    const answer = await h.post(
      `/petitions/${id}/response`,
      { decision: 'adopted', text: 'Réponse impossible ici.', respondingOfficial: { name: 'Ahmed Bennani', title: 'Président du conseil' } },
      official,
    );
    expectProblem(answer, 409, 'PETITION_NOT_ADMISSIBLE');
    expect(await h.headPosition()).toBe(before);

    h.clock.advance(MINUTE);
    const closed = await h.post(`/petitions/${id}/closure`, {}, await clerk());
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('inadmissible');

    const history = await h.history(id);
    expect(history.lifecycleIntegrity.verified).toBe(true);
    expect(lifecycleTypes(history, id)).toEqual(['PetitionFiled.v2', 'PetitionSubmittedToCouncil.v1', 'PetitionDeclaredInadmissible.v1', 'PetitionClosed.v1']);
    const decided = history.events[2];
    expect(decided.data).toMatchObject({ reasonCodes: ['outside_competence', 'form_defect'], reasonText });
    expect(decided.metadata).toMatchObject({
      actor: { id: 'clerk-province-tan-tan', role: 'clerk', councilId: 'province-tan-tan' },
      command: 'DeclarePetitionInadmissible',
    });
  });
});

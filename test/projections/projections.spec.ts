/**
 * Projection specs: given the events the real command side writes (test/support/scenario.ts),
 * the read-model documents. Real stores only: SQLite event store and read store, in memory;
 * events applied with the real applyBatch (and a real Projector for the replay checks).
 */
import { COUNCIL_DASHBOARD, CouncilDashboardDoc, DASHBOARD_PETITIONS } from '../../src/projections/council-dashboard.projection';
import { HistoryEntryDoc, PETITION_HISTORY } from '../../src/projections/petition-history.projection';
import { PETITIONS, PetitionDoc } from '../../src/projections/petitions.projection';
import { checkpointName, physicalName } from '../../src/projections/projection';
import { SIGNATURE_DAYS, SIGNATURES, SignatureDayDoc, SignatureDoc } from '../../src/projections/signatures.projection';
import { addMonthsUtc } from '../../src/domain/rules/rulebook';
import type { Actor } from '../../src/domain/shared/actor';
import { newId } from '../../src/application/clock';
import { FilePetitionCommand } from '../../src/commands/file-petition/file-petition.command';
import { allDocs, appendLateSignature, applyEvents, openStores, projectionNamed, readAllEvents, runProjector, snapshot, Stores } from './support';

const TAN_TAN = 'commune-tan-tan';
const REGION = 'region-guelmim-oued-noun';
const PROVINCES = ['province-guelmim', 'province-assa-zag', 'province-tan-tan', 'province-sidi-ifni'];

let s: Stores;
let applied = 0n;

beforeEach(() => {
  s = openStores();
  applied = 0n;
});

afterEach(async () => {
  await s.close();
});

/** Applies the events stored since the last call (several small batches). */
async function project(): Promise<void> {
  const recorded = (await readAllEvents(s.events)).filter((e) => e.position > applied);
  if (recorded.length === 0) return;
  await applyEvents(s.read, s.projections, recorded, 7);
  applied = recorded[recorded.length - 1].position;
}

const g1 = (logical: string) => physicalName(logical, 1);
const petition = async (id: string) => (await s.read.get<PetitionDoc>(g1(PETITIONS), id))!;
const dashboard = async (councilId: string) => (await s.read.get<CouncilDashboardDoc>(g1(COUNCIL_DASHBOARD), councilId))!;
const history = async (petitionId: string) =>
  (await s.read.find<HistoryEntryDoc>(g1(PETITION_HISTORY), { petitionId }, { sort: { field: 'seq', direction: 1 }, limit: 1000 })).items;
const lastEventOf = async (type: string) => (await readAllEvents(s.events)).filter((e) => e.type.startsWith(`${type}.`)).at(-1)!;
const now = () => s.scenario.clock.now().toISOString();

/** Files at Tan-Tan (200 signatures), signs `count`, submits. */
async function submitted(count = 200, title?: string): Promise<string> {
  const id = await s.scenario.file(TAN_TAN, title);
  await s.scenario.sign(id, count);
  await s.scenario.submit(id);
  return id;
}

describe('petitions', () => {
  it('after filing: council name and level, threshold, status collecting', async () => {
    const id = await s.scenario.file(TAN_TAN, 'Éclairage public du quartier El Wahda');
    const filedAt = now();
    await project();

    const doc = await petition(id);
    expect(doc).toMatchObject({
      _id: id,
      _position: (await lastEventOf('PetitionFiled')).position.toString(),
      title: 'Éclairage public du quartier El Wahda',
      councilId: TAN_TAN,
      councilLevel: 'commune',
      councilName: { fr: 'Commune de Tan-Tan', en: 'Tan-Tan (commune)' },
      provinceId: 'province-tan-tan',
      regionId: REGION,
      petitionerType: 'citizens',
      status: 'collecting',
      subStatus: 'collecting_signatures',
      closed: false,
      signatureCount: 0,
      threshold: 200,
      thresholdApplies: true,
      progress: 0,
      provinceShares: null,
      provinceCounts: {},
      thresholdReached: false,
      filedAt,
      submittedAt: null,
      responseDueAt: null,
      overdue: false,
      response: null,
      lastEventAt: filedAt,
    });
    expect(doc.councilName.ar).toBeTruthy();
  });

  it('signatures and a withdrawal set signatureCount and progress', async () => {
    const id = await s.scenario.file(TAN_TAN);
    const signers = await s.scenario.sign(id, 10);
    await s.scenario.withdrawSignature(id, signers[3]);
    await project();

    const doc = await petition(id);
    expect(doc.signatureCount).toBe(9);
    expect(doc.progress).toBe(4.5); // 9 / 200
    expect(doc.subStatus).toBe('collecting_signatures');
    expect(doc.thresholdReached).toBe(false);

    await s.scenario.sign(id, 1);
    await project();
    expect((await petition(id)).signatureCount).toBe(10);
    expect((await petition(id)).progress).toBe(5);
  });

  it('reaching the threshold: subStatus threshold_reached', async () => {
    const id = await s.scenario.file(TAN_TAN);
    await s.scenario.sign(id, 199);
    await project();
    expect((await petition(id)).subStatus).toBe('collecting_signatures');

    s.scenario.clock.advanceDays(2);
    await s.scenario.sign(id, 1);
    await project();
    const doc = await petition(id);
    expect(doc).toMatchObject({
      signatureCount: 200,
      progress: 100,
      thresholdReached: true,
      thresholdReachedAt: now(),
      status: 'collecting',
      subStatus: 'threshold_reached',
    });
  });

  it('submission: status submitted, responseDueAt, and the count frozen by the submission', async () => {
    const id = await s.scenario.file(TAN_TAN);
    const signers = await s.scenario.sign(id, 205);
    await s.scenario.withdrawSignature(id, signers[0]);
    await s.scenario.withdrawSignature(id, signers[1]);
    s.scenario.clock.advanceDays(3);
    await s.scenario.submit(id);
    const submittedAt = now();
    await project();

    const doc = await petition(id);
    expect(doc).toMatchObject({
      status: 'submitted',
      subStatus: 'awaiting_admissibility',
      submittedAt,
      responseDueAt: addMonthsUtc(submittedAt, 3),
      signatureCount: 203,
      progress: 101.5,
      overdue: false,
    });

    // A signature decided on the petition while collecting but stored after the submission.
    const signed = await lastEventOf('PetitionSigned');
    s.scenario.clock.advanceDays(1);
    await appendLateSignature(s.events, signed, now());
    await project();
    const after = await petition(id);
    expect(after.signatureCount).toBe(203);
    expect(after.progress).toBe(101.5);
    expect(after.status).toBe('submitted');
  });

  it('a missed deadline makes it overdue; a later admissibility decision clears it', async () => {
    const id = await submitted();
    const dueAt = (await lastEventOf('PetitionSubmittedToCouncil')).data.responseDueAt as string;
    s.scenario.clock.advanceDays(100);
    await s.scenario.missDeadline(id);
    await project();
    expect(await petition(id)).toMatchObject({ status: 'submitted', subStatus: 'overdue', deadlineMissed: true, overdue: true, responseDueAt: dueAt });

    s.scenario.clock.advanceDays(1);
    await s.scenario.admissible(id, TAN_TAN);
    await project();
    expect(await petition(id)).toMatchObject({
      status: 'admissible',
      subStatus: 'awaiting_response',
      admissibility: 'admissible',
      decidedAt: now(),
      agendaSession: 'Session ordinaire de mai 2027',
      committee: "Commission de l'urbanisme",
      deadlineMissed: true,
      overdue: false,
    });
  });

  it('inadmissible: reason codes and reasoning', async () => {
    const id = await submitted();
    s.scenario.clock.advanceDays(4);
    await s.scenario.inadmissible(id, TAN_TAN);
    await project();
    expect(await petition(id)).toMatchObject({
      status: 'inadmissible',
      subStatus: 'refused',
      admissibility: 'inadmissible',
      decidedAt: now(),
      reasonCodes: ['outside_competence'],
      reasonText: "L'objet relève de la compétence de l'État",
      overdue: false,
    });
  });

  it('response: the response object, then closed', async () => {
    const id = await submitted();
    await s.scenario.admissible(id, TAN_TAN);
    s.scenario.clock.advanceDays(30);
    await s.scenario.respond(id, TAN_TAN, 'partially_adopted');
    const answeredAt = now();
    await project();
    expect(await petition(id)).toMatchObject({
      status: 'answered',
      subStatus: 'partially_adopted',
      answeredAt,
      response: {
        decision: 'partially_adopted',
        text: 'Le conseil a voté le budget des lampadaires',
        respondingOfficial: { name: 'Fatima Zahra El Idrissi', title: 'Présidente du conseil' },
        deliberationRef: null,
      },
      closed: false,
    });

    s.scenario.clock.advanceDays(1);
    await s.scenario.close(id, TAN_TAN);
    await project();
    expect(await petition(id)).toMatchObject({ status: 'answered', closed: true, closedAt: now() });
  });

  it('withdrawn by its agent', async () => {
    const id = await s.scenario.file(TAN_TAN);
    await s.scenario.sign(id, 3);
    await s.scenario.withdraw(id);
    await project();
    expect(await petition(id)).toMatchObject({
      status: 'withdrawn',
      subStatus: 'withdrawn',
      withdrawnAt: now(),
      withdrawalReason: 'Accord trouvé avec la commune',
      signatureCount: 3,
    });
  });

  it('regional petition: provinceCounts per province, frozen at submission', async () => {
    const id = await s.scenario.file(REGION);
    await project();
    const filed = await petition(id);
    expect(filed).toMatchObject({ councilLevel: 'region', threshold: 300, provinceId: null, regionId: REGION, provinceCounts: {} });
    expect(filed.provinceShares).toEqual(expect.arrayContaining(PROVINCES.map((provinceId) => ({ provinceId, required: 15 }))));
    expect(filed.provinceShares).toHaveLength(4);

    const guelmim = await s.scenario.sign(id, 80, 'province-guelmim');
    await s.scenario.sign(id, 80, 'province-assa-zag');
    await s.scenario.sign(id, 80, 'province-tan-tan');
    await s.scenario.sign(id, 10, 'province-sidi-ifni');
    await s.scenario.withdrawSignature(id, guelmim[0]);
    await project();
    let doc = await petition(id);
    expect(doc.provinceCounts).toEqual({ 'province-guelmim': 79, 'province-assa-zag': 80, 'province-tan-tan': 80, 'province-sidi-ifni': 10 });
    expect(doc.signatureCount).toBe(249);
    expect(doc.thresholdReached).toBe(false);

    // 300 in all is not enough while Sidi Ifni is below its share of 15.
    await s.scenario.sign(id, 51, 'province-guelmim');
    await project();
    expect((await petition(id)).subStatus).toBe('collecting_signatures');
    await s.scenario.sign(id, 5, 'province-sidi-ifni');
    await s.scenario.submit(id);
    await project();
    doc = await petition(id);
    expect(doc).toMatchObject({ status: 'submitted', thresholdReached: true, signatureCount: 305 });
    expect(doc.provinceCounts).toEqual({ 'province-guelmim': 130, 'province-assa-zag': 80, 'province-tan-tan': 80, 'province-sidi-ifni': 15 });
  });
});

describe('petition_history', () => {
  it('one entry per lifecycle event, none per signature, in words, ordered by seq', async () => {
    const id = await s.scenario.file(TAN_TAN, 'Aménagement du marché municipal');
    const signers = await s.scenario.sign(id, 210);
    await s.scenario.withdrawSignature(id, signers[5]);
    s.scenario.clock.advanceDays(1);
    await s.scenario.submit(id);
    s.scenario.clock.advanceDays(100);
    await s.scenario.missDeadline(id);
    await s.scenario.admissible(id, TAN_TAN);
    await s.scenario.respond(id, TAN_TAN, 'adopted');
    await s.scenario.close(id, TAN_TAN);
    await project();

    const entries = await history(id);
    expect(entries.map((e) => [e.type, e.actorRole])).toEqual([
      ['PetitionFiled', 'agent'],
      ['SignatureThresholdReached', 'system'],
      ['PetitionSubmittedToCouncil', 'agent'],
      ['ResponseDeadlineMissed', 'system'],
      ['PetitionDeclaredAdmissible', 'clerk'],
      ['OfficialResponseRecorded', 'official'],
      ['PetitionClosed', 'clerk'],
    ]);
    // Exactly the lifecycle stream's events, by id and position.
    const lifecycle = (await readAllEvents(s.events)).filter((e) => e.streamId === `petition-${id}`);
    expect(entries.map((e) => [e._id, e.seq])).toEqual(lifecycle.map((e) => [e.id, e.position.toString().padStart(20, '0')]));
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort());
    expect(await s.read.count(g1(PETITION_HISTORY))).toBe(7);

    for (const entry of entries) {
      for (const lang of ['ar', 'fr', 'en'] as const) {
        expect(entry.text[lang].trim().length).toBeGreaterThan(0);
        expect(entry.actorRoleText[lang].trim().length).toBeGreaterThan(0);
      }
      expect(entry.petitionId).toBe(id);
      expect(entry.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
    const [filed, threshold, submission, missed, admissible, response] = entries;
    for (const lang of ['ar', 'fr', 'en'] as const) expect(filed.text[lang]).toContain('Aménagement du marché municipal');
    expect(filed.text.en).toContain('threshold: 200 signatures');
    expect(threshold.text.fr).toContain('200 signatures pour 200 requises');
    expect(submission.text.en).toContain('with 209 signatures');
    expect(missed.text.en).toContain('deadline');
    expect(admissible.text.en).toContain('recorded by a council clerk');
    expect(admissible.actorRoleText.fr).toBe('un agent du conseil');
    expect(response.text.fr).toContain('Fatima Zahra El Idrissi');
    expect(response.text.en).toContain('adopted');
  });

  it('inadmissible and withdrawn petitions: the reason labels and the withdrawal', async () => {
    const refused = await submitted(200, 'Piscine municipale');
    await s.scenario.inadmissible(refused, TAN_TAN);
    const withdrawn = await s.scenario.file(TAN_TAN, 'Jardin public');
    await s.scenario.withdraw(withdrawn);
    await project();

    const refusal = (await history(refused)).find((e) => e.type === 'PetitionDeclaredInadmissible')!;
    expect(refusal.text.en).toContain("The subject is outside the council's competence");
    expect(refusal.text.fr).toContain("L'objet relève de la compétence de l'État");
    expect((await history(withdrawn)).map((e) => e.type)).toEqual(['PetitionFiled', 'PetitionWithdrawn']);
    expect((await history(withdrawn))[1].text.en).toContain('Accord trouvé avec la commune');
  });

  it('holds no signer hash and no identity number anywhere', async () => {
    const id = await s.scenario.file(TAN_TAN);
    const identityNumbers = await s.scenario.sign(id, 205);
    await s.scenario.withdrawSignature(id, identityNumbers[0]);
    await s.scenario.submit(id);
    await project();

    const hashes = (await readAllEvents(s.events)).filter((e) => e.type.startsWith('PetitionSigned.')).map((e) => e.data.signerHash as string);
    expect(hashes).toHaveLength(205);
    const docs = await allDocs(s.read, g1(PETITION_HISTORY));
    expect(docs.length).toBe(3);
    const json = JSON.stringify(docs);
    for (const hash of hashes) expect(json).not.toContain(hash);
    for (const number of identityNumbers) expect(json).not.toContain(number);
    expect(json).not.toMatch(/AB\d{6}/);
    expect(json).not.toContain('citizen-');
  });
});

describe('signatures and signature_days', () => {
  it('one pseudonymous document per signature; a withdrawn one has status withdrawn', async () => {
    const id = await s.scenario.file(REGION);
    const identityNumbers = await s.scenario.sign(id, 3, 'province-sidi-ifni');
    const signedAt = now();
    s.scenario.clock.advanceDays(1);
    await s.scenario.withdrawSignature(id, identityNumbers[1]);
    await project();

    const signed = (await readAllEvents(s.events)).filter((e) => e.type.startsWith('PetitionSigned.'));
    const docs = await allDocs<SignatureDoc>(s.read, g1(SIGNATURES));
    expect(docs).toHaveLength(3);
    for (const event of signed) {
      const doc = docs.find((d) => d._id === event.data.signatureId)!;
      expect(doc).toEqual({
        _id: event.data.signatureId,
        _position: expect.any(String),
        petitionId: id,
        signerHash: s.scenario.identity.signerHash(id, identityNumbers[signed.indexOf(event)]),
        channel: 'online',
        provinceId: 'province-sidi-ifni',
        signedAt,
        status: event === signed[1] ? 'withdrawn' : 'signed',
        withdrawnAt: event === signed[1] ? now() : null,
        paperSheet: null,
        invalidationId: null,
        invalidationReason: null,
        invalidatedAt: null,
      });
    }
  });

  it('stores no identity number', async () => {
    const id = await s.scenario.file(TAN_TAN);
    const identityNumbers = await s.scenario.sign(id, 50);
    await s.scenario.withdrawSignature(id, identityNumbers[7]);
    await project();
    const docs = await allDocs<SignatureDoc>(s.read, g1(SIGNATURES));
    expect(docs).toHaveLength(50);
    expect(identityNumbers[0]).toBe('AB100000');
    for (const doc of docs) {
      const json = JSON.stringify(doc);
      expect(json).not.toMatch(/AB\d{6}/);
      expect(json).not.toContain('citizen-');
      for (const number of identityNumbers) expect(json).not.toContain(number);
    }
  });

  it('signature_days: signed and withdrawn per petition and day', async () => {
    const id = await s.scenario.file(TAN_TAN);
    const other = await s.scenario.file(TAN_TAN, 'Transport scolaire');
    const day0 = now().slice(0, 10);
    const first = await s.scenario.sign(id, 3);
    await s.scenario.sign(other, 2);
    s.scenario.clock.advanceDays(1);
    const day1 = now().slice(0, 10);
    await s.scenario.sign(id, 2);
    await s.scenario.withdrawSignature(id, first[0]);
    s.scenario.clock.advanceDays(2);
    const day3 = now().slice(0, 10);
    await s.scenario.withdrawSignature(id, first[1]);
    await s.scenario.sign(id, 4);
    await project();

    const days = await s.read.find<SignatureDayDoc>(g1(SIGNATURE_DAYS), { petitionId: id }, { sort: { field: 'day', direction: 1 } });
    expect(days.items.map(({ _id, day, signed, withdrawn }) => ({ _id, day, signed, withdrawn }))).toEqual([
      { _id: `${id}:${day0}`, day: day0, signed: 3, withdrawn: 0 },
      { _id: `${id}:${day1}`, day: day1, signed: 2, withdrawn: 1 },
      { _id: `${id}:${day3}`, day: day3, signed: 4, withdrawn: 1 },
    ]);
    const others = await s.read.find<SignatureDayDoc>(g1(SIGNATURE_DAYS), { petitionId: other });
    expect(others.items.map(({ day, signed, withdrawn }) => ({ day, signed, withdrawn }))).toEqual([{ day: day0, signed: 2, withdrawn: 0 }]);
  });
});

describe('council_dashboard', () => {
  it('byStatus, admissibility, median days to decision, overdue, deadlines missed, responses', async () => {
    const [a, b, c, d] = [await submitted(), await submitted(), await submitted(), await submitted()];
    const e = await s.scenario.file(TAN_TAN);
    await s.scenario.file(REGION);
    await project();
    let dash = await dashboard(TAN_TAN);
    expect(dash).toMatchObject({
      councilId: TAN_TAN,
      level: 'commune',
      total: 5,
      byStatus: { collecting: 1, submitted: 4, admissible: 0, inadmissible: 0, answered: 0, withdrawn: 0 },
      admissible: 0,
      inadmissible: 0,
      admissibilityRate: null,
      decisionDays: [],
      medianDaysToDecision: null,
      overdueNow: 0,
      deadlinesMissed: 0,
      responses: { adopted: 0, partially_adopted: 0, rejected: 0 },
    });
    expect(await dashboard(REGION)).toMatchObject({ level: 'region', total: 1, byStatus: { collecting: 1 } });

    s.scenario.clock.advanceDays(5);
    await s.scenario.admissible(a, TAN_TAN);
    await project();
    dash = await dashboard(TAN_TAN);
    expect(dash).toMatchObject({ byStatus: { submitted: 3, admissible: 1 }, admissible: 1, admissibilityRate: 1, decisionDays: [5], medianDaysToDecision: 5 });

    s.scenario.clock.advanceDays(5);
    await s.scenario.inadmissible(b, TAN_TAN);
    await project();
    dash = await dashboard(TAN_TAN);
    expect(dash).toMatchObject({
      byStatus: { submitted: 2, admissible: 1, inadmissible: 1 },
      inadmissible: 1,
      admissibilityRate: 0.5,
      decisionDays: [5, 10],
      medianDaysToDecision: 7.5,
    });

    s.scenario.clock.advanceDays(10);
    await s.scenario.admissible(c, TAN_TAN);
    await s.scenario.respond(a, TAN_TAN, 'adopted');
    await s.scenario.withdraw(e);
    await project();
    dash = await dashboard(TAN_TAN);
    expect(dash).toMatchObject({
      total: 5,
      byStatus: { collecting: 0, submitted: 1, admissible: 1, inadmissible: 1, answered: 1, withdrawn: 1 },
      admissibilityRate: 0.667,
      decisionDays: [5, 10, 20],
      medianDaysToDecision: 10,
      responses: { adopted: 1, partially_adopted: 0, rejected: 0 },
    });

    // Day 100 after submission: d's three months have passed without a decision.
    s.scenario.clock.advanceDays(80);
    await s.scenario.missDeadline(d);
    await s.scenario.missDeadline(d); // the watch runs again: nothing new is recorded
    await project();
    dash = await dashboard(TAN_TAN);
    expect(dash).toMatchObject({ overdueNow: 1, deadlinesMissed: 1, byStatus: { submitted: 1 } });

    await s.scenario.admissible(d, TAN_TAN);
    await s.scenario.respond(c, TAN_TAN, 'rejected');
    await s.scenario.respond(d, TAN_TAN, 'partially_adopted');
    await s.scenario.close(b, TAN_TAN);
    await project();
    dash = await dashboard(TAN_TAN);
    expect(dash).toMatchObject({
      total: 5,
      byStatus: { collecting: 0, submitted: 0, admissible: 0, inadmissible: 1, answered: 3, withdrawn: 1 },
      closed: 1,
      admissible: 3,
      inadmissible: 1,
      admissibilityRate: 0.75,
      decisionDays: [5, 10, 20, 100],
      medianDaysToDecision: 15,
      overdueNow: 0,
      deadlinesMissed: 1,
      responses: { adopted: 1, partially_adopted: 1, rejected: 1 },
    });
    const counts = Object.values(dash.byStatus).reduce((x, y) => x + y, 0);
    expect(counts).toBe(dash.total);
  });

  it('overdue withdrawn petitions leave overdueNow', async () => {
    const id = await submitted();
    s.scenario.clock.advanceDays(95);
    await s.scenario.missDeadline(id);
    await project();
    expect(await dashboard(TAN_TAN)).toMatchObject({ overdueNow: 1, deadlinesMissed: 1 });
    await s.scenario.withdraw(id);
    await project();
    expect(await dashboard(TAN_TAN)).toMatchObject({ overdueNow: 0, deadlinesMissed: 1, byStatus: { submitted: 0, withdrawn: 1 } });
    expect(await s.read.get(g1(DASHBOARD_PETITIONS), id)).toMatchObject({ status: 'withdrawn', overdue: false });
  });
});

/** Several petitions at every stage, signatures and withdrawals, over several days. */
async function everyStage(): Promise<Record<string, string>> {
  const sc = s.scenario;
  const rep: Actor = { id: 'assoc-rep-1', roles: ['association_rep'] };
  const answered = await submitted(203, 'Réseau d’assainissement');
  const refused = await submitted(200, 'Stade municipal');
  const overdue = await submitted(201, 'Bibliothèque de quartier');
  const collecting = await sc.file(TAN_TAN, 'Marché couvert');
  const signers = await sc.sign(collecting, 40);
  await sc.withdrawSignature(collecting, signers[0]);
  const regional = await sc.file(REGION, 'Route régionale');
  for (const p of PROVINCES) await sc.sign(regional, 6, p);
  const withdrawn = await sc.file(TAN_TAN, 'Parc de jeux');
  await sc.sign(withdrawn, 5);
  // An association's petition, through the real command side: no signature minimum.
  const association = newId();
  await sc.petitions.run(
    FilePetitionCommand,
    association,
    {
      type: 'FilePetition',
      petitionId: association,
      council: sc.rules.registry.councils.find((c) => c.id === TAN_TAN)!,
      petitionerType: 'association',
      association: {
        name: 'Association Al Amal',
        registrationNumber: 'TT-2001-17',
        constitutedOn: '2001-03-01',
        seatOrBranchInTerritory: true,
        activityRelatedToSubject: true,
        memberCount: 150,
        documents: { constitutionProof: true, statutes: true, representativePowers: true },
      },
      title: 'Centre culturel',
      subject: 'Centre culturel : demande de l’association au conseil',
      requests: 'Ouvrir un centre culturel',
      reasons: 'Aucune offre culturelle pour les jeunes',
    },
    { actor: rep, correlationId: newId(), causationId: newId() },
  );
  sc.clock.advanceDays(3);
  await sc.sign(collecting, 7);
  await sc.submit(association, rep);
  await sc.admissible(answered, TAN_TAN);
  await sc.inadmissible(refused, TAN_TAN);
  await sc.withdraw(withdrawn);
  sc.clock.advanceDays(12);
  await sc.respond(answered, TAN_TAN, 'rejected');
  await sc.close(refused, TAN_TAN);
  await sc.withdrawSignature(collecting, signers[1]);
  sc.clock.advanceDays(90);
  await sc.missDeadline(overdue);
  await sc.missDeadline(association);
  await sc.admissible(association, TAN_TAN);
  await appendLateSignature(s.events, await lastEventOf('PetitionSigned'), now());
  return { answered, refused, overdue, collecting, regional, withdrawn, association };
}

describe.each(['petitions', 'petition_history', 'signatures', 'council_dashboard'])('%s: applying the same events twice', (name) => {
  it('gives identical documents (applyBatch again, a Projector from checkpoint 0, another batching)', async () => {
    const stages = await everyStage();
    const projection = projectionNamed(s.projections, name);
    const recorded = await readAllEvents(s.events);
    await applyEvents(s.read, [projection], recorded, 7);
    const once = await snapshot(s.read, [projection]);
    for (const docs of Object.values(once)) expect(docs.length).toBeGreaterThan(0);

    // The same events again, in other batches.
    await applyEvents(s.read, [projection], recorded, 13);
    expect(await snapshot(s.read, [projection])).toEqual(once);

    // The first k events, then from k - 6 on again: the first batch of the second pass holds 6
    // events already applied and 7 new ones, which the guards must tell apart per document.
    const signingOfCollecting = recorded.filter((e) => e.type.startsWith('PetitionSigned.') && e.data.petitionId === stages.collecting);
    const cuts = [
      recorded.indexOf(signingOfCollecting[20]),
      recorded.indexOf(signingOfCollecting[42]),
      recorded.findIndex((e) => e.type.startsWith('PetitionDeclaredAdmissible.')) + 1,
      recorded.findIndex((e) => e.type.startsWith('ResponseDeadlineMissed.')) + 1,
      Math.floor(recorded.length / 2),
    ];
    for (const k of cuts) {
      const partly = openStores();
      try {
        await applyEvents(partly.read, [projection], recorded.slice(0, k), 7);
        await applyEvents(partly.read, [projection], recorded.slice(k - 6), 13);
        expect(await snapshot(partly.read, [projection])).toEqual(once);
      } finally {
        await partly.close();
      }
    }

    // A second Projector from checkpoint 0 against the same read store.
    await s.read.deleteCheckpoint(checkpointName(name, 1));
    await runProjector({ ...s, projections: [projection] }, { batchSize: 11 });
    expect(await s.read.getCheckpoint(checkpointName(name, 1))).toBe(recorded[recorded.length - 1].position);
    expect(await snapshot(s.read, [projection])).toEqual(once);

    // The same events one at a time into an empty read store.
    const fresh = openStores();
    try {
      await applyEvents(fresh.read, [projection], recorded, 1);
      expect(await snapshot(fresh.read, [projection])).toEqual(once);
    } finally {
      await fresh.close();
    }
  });
});

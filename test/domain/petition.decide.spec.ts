import type { PetitionCommand, SignatureTally } from '../../src/domain/petition/petition.commands';
import type { PetitionEvent } from '../../src/domain/petition/petition.events';
import { Actor, systemActor } from '../../src/domain/shared/actor';
import { petition } from './decider-spec';
import {
  admin,
  agent,
  answered,
  arrondissementsCommune,
  association,
  associationRep,
  auditor,
  citizen,
  clerk,
  clerkOfOtherCouncil,
  clerkWithoutCouncil,
  closed,
  deadlineMissed,
  declaredAdmissible,
  declaredInadmissible,
  digestOf,
  filed,
  filedByAssociation,
  filedToProvince,
  filedToRegion,
  largeCommune,
  LIMITS,
  NOW,
  official,
  officialOfOtherCouncil,
  otherAgent,
  PETITION_ID,
  petitionWithdrawn,
  provinceA,
  PROVINCE_A,
  PROVINCE_B,
  PROVINCE_C,
  region,
  regionClerk,
  REGION_ID,
  REGION_THRESHOLD,
  RESPONSE_DUE_AT,
  smallCommune,
  submitted,
  system,
  tally,
  TEXT,
  TEXT_DIGEST,
  thresholdReached,
  ALL_DOCUMENTS,
  MAY_2027_SESSION,
} from './fixtures';

type FileCommand = Extract<PetitionCommand, { type: 'FilePetition' }>;
type EventData<T extends PetitionEvent['type']> = Extract<PetitionEvent, { type: T }>['data'];

const fileCitizens = (overrides: Partial<FileCommand> = {}): FileCommand => ({
  type: 'FilePetition',
  petitionId: PETITION_ID,
  council: smallCommune,
  petitionerType: 'citizens',
  ...TEXT,
  ...overrides,
});

/** The association as the filing declares it: its conditions, 150 members and every document attached. */
const FULL_ASSOCIATION = { ...association, memberCount: 150, documents: ALL_DOCUMENTS };
const fileAssociation = (overrides: Partial<FileCommand> = {}): FileCommand =>
  fileCitizens({ petitionerType: 'association', association: FULL_ASSOCIATION, ...overrides });

/** The PetitionFiled the fixture text produces for the small commune, filed by `ownerId` at NOW. */
const expectedFiled = (ownerId: string) => ({
  type: 'PetitionFiled' as const,
  data: {
    petitionId: PETITION_ID,
    councilId: 'commune-small',
    councilLevel: 'commune' as const,
    petitionerType: 'citizens' as const,
    ownerId,
    title: TEXT.title,
    subject: TEXT.subject,
    requests: TEXT.requests,
    reasons: TEXT.reasons,
    textDigest: TEXT_DIGEST,
    threshold: { required: 100 },
    thresholdApplies: true,
    responseDeadlineMonths: 3,
    rulebookVersion: 'test-rulebook-1',
    declaredDocuments: { petitionerType: 'citizens' as const, identityCardCopies: 0 },
    filedAt: NOW,
  },
});

/** Arabic text of exactly n characters (no surrounding blanks, so trimming does not change it). */
const arabic = (n: number) => 'إنارةالحي'.repeat(Math.ceil(n / 9)).slice(0, n);

const thresholdCheck = systemActor('threshold-check');

const submit = (t: SignatureTally): PetitionCommand => ({ type: 'SubmitPetition', tally: t });
const recordThreshold = (t: SignatureTally): PetitionCommand => ({ type: 'RecordThresholdReached', tally: t });

/** Expected events, spelled out in full by each spec. */
const submittedToCouncil = (data: EventData<'PetitionSubmittedToCouncil'>): PetitionEvent => ({ type: 'PetitionSubmittedToCouncil', data });
const thresholdReachedAt = (data: EventData<'SignatureThresholdReached'>): PetitionEvent => ({ type: 'SignatureThresholdReached', data });

/** The events decided, for partial assertions. */
const petition_decide = (given: PetitionEvent[], command: PetitionCommand, actor: Actor, now = NOW): PetitionEvent[] =>
  petition.given(given).when(command, { actor, now }).events();
const decideFile = (command: FileCommand, actor: Actor = agent) => petition_decide([], command, actor);

describe('petition decider', () => {
  describe('FilePetition', () => {
    it.each([
      ['title', { title: 'Éclairage demandé par JB123456' }],
      ['reasons', { reasons: 'Le signataire principal, carte AB 654321, habite la rue depuis 2010' }],
    ])('refuses an identity number smuggled into the %s (PERSONAL_DATA_IN_TEXT), recording nothing', (_field, text) => {
      const error = petition.given([]).when(fileCitizens(text), { actor: agent }).thenThrows('PERSONAL_DATA_IN_TEXT');
      expect(error.message).toContain(_field);
    });

    it('keeps numbers that are not identity numbers: years, amounts, counts', () => {
      const numbers = { ...TEXT, reasons: 'Depuis 2024, 1200000 dirhams prévus au budget 2027 pour 40 lampadaires' };
      petition
        .given([])
        .when(fileCitizens(numbers), { actor: agent })
        .then([{ ...expectedFiled('user-agent'), data: { ...expectedFiled('user-agent').data, reasons: numbers.reasons, textDigest: digestOf(numbers) } }]);
    });

    it("records a citizens' petition filed by its agent, with the threshold snapshot and the text digest", () => {
      petition
        .given([])
        .when(fileCitizens(), { actor: agent })
        .then([expectedFiled('user-agent')]);
    });

    it("lets a citizen file a citizens' petition: the citizen becomes its agent (owner)", () => {
      petition
        .given([])
        .when(fileCitizens(), { actor: citizen })
        .then([expectedFiled('user-citizen')]);
    });

    it('computes the text digest as SHA-256 of the four text fields (a different text, a different digest)', () => {
      const other = { ...TEXT, requests: 'Inscrire un programme de voirie à l’ordre du jour.' };
      petition
        .given([])
        .when(fileCitizens(other), { actor: agent })
        .then([{ ...expectedFiled('user-agent'), data: { ...expectedFiled('user-agent').data, requests: other.requests, textDigest: digestOf(other) } }]);
      expect(digestOf(other)).not.toBe(TEXT_DIGEST);
      expect(TEXT_DIGEST).toMatch(/^[0-9a-f]{64}$/);
    });

    it('snapshots 200 signatures for a commune of 35,000 inhabitants or more', () => {
      const [event] = decideFile(fileCitizens({ council: largeCommune }));
      expect(event.data).toMatchObject({ councilId: 'commune-large', councilLevel: 'commune', threshold: { required: 200 }, responseDeadlineMonths: 3 });
    });

    it('snapshots 400 signatures for a commune with arrondissements', () => {
      petition
        .given([])
        .when(fileCitizens({ council: arrondissementsCommune }), { actor: agent })
        .then([{ type: 'PetitionFiled', data: { ...expectedFiled('user-agent').data, councilId: 'commune-arr', threshold: { required: 400 } } }]);
    });

    it('snapshots 300 signatures and a 2-month deadline for a province', () => {
      petition
        .given([])
        .when(fileCitizens({ council: provinceA }), { actor: agent })
        .then([
          {
            type: 'PetitionFiled',
            data: {
              ...expectedFiled('user-agent').data,
              councilId: PROVINCE_A,
              councilLevel: 'province',
              threshold: { required: 300 },
              responseDeadlineMonths: 2,
            },
          },
        ]);
    });

    it('snapshots, for a region, the 5 % share every one of its provinces must supply', () => {
      petition
        .given([])
        .when(fileCitizens({ council: region }), { actor: agent })
        .then([
          {
            type: 'PetitionFiled',
            data: {
              ...expectedFiled('user-agent').data,
              councilId: REGION_ID,
              councilLevel: 'region',
              threshold: REGION_THRESHOLD,
              responseDeadlineMonths: 2,
            },
          },
        ]);
    });

    it.each([
      ['a clerk', clerk],
      ['an official', official],
      ['an association representative', associationRep],
      ['an auditor', auditor],
      ['an admin', admin],
      ['the system', system],
    ])("refuses a citizens' petition filed by %s (ROLE_NOT_ALLOWED)", (_, actor) => {
      petition.given([]).when(fileCitizens(), { actor }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });

    it("refuses an association declaration on a citizens' petition", () => {
      petition.given([]).when(fileCitizens({ association }), { actor: agent }).thenThrows('ASSOCIATION_NOT_EXPECTED', 'rule');
    });

    describe("an association's petition", () => {
      it('is recorded without a signature minimum when its representative declares valid conditions', () => {
        petition
          .given([])
          .when(fileAssociation(), { actor: associationRep })
          .then([
            {
              type: 'PetitionFiled',
              data: {
                petitionId: PETITION_ID,
                councilId: 'commune-small',
                councilLevel: 'commune',
                petitionerType: 'association',
                ownerId: 'user-assoc-rep',
                association: {
                  name: 'Association Al Amal pour le développement',
                  registrationNumber: 'ASSOC-2019-042',
                  constitutedOn: '2019-06-01',
                  seatOrBranchInTerritory: true,
                  activityRelatedToSubject: true,
                },
                title: TEXT.title,
                subject: TEXT.subject,
                requests: TEXT.requests,
                reasons: TEXT.reasons,
                textDigest: TEXT_DIGEST,
                threshold: { required: 100 },
                thresholdApplies: false,
                responseDeadlineMonths: 3,
                rulebookVersion: 'test-rulebook-1',
                declaredDocuments: { petitionerType: 'association', memberCount: 150, ...ALL_DOCUMENTS },
                filedAt: NOW,
              },
            },
          ]);
      });

      it.each([
        ['an agent', agent],
        ['a citizen', citizen],
        ['a clerk', clerk],
      ])('is refused when filed by %s (ROLE_NOT_ALLOWED)', (_, actor) => {
        petition.given([]).when(fileAssociation(), { actor }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
      });

      it('is refused without the association declaration (ASSOCIATION_DECLARATION_REQUIRED)', () => {
        petition
          .given([])
          .when(fileAssociation({ association: undefined }), { actor: associationRep })
          .thenThrows('ASSOCIATION_DECLARATION_REQUIRED', 'rule');
      });

      // NOW is 2027-03-15T10:00Z: "more than 3 years" means constituted on 2024-03-14 or before.
      it.each([
        ['exactly 3 years ago, to the day', '2024-03-15'],
        ['less than 3 years ago', '2025-09-01'],
        ['one day short of 3 years', '2024-03-16'],
        ['in the future', '2028-01-01'],
      ])('is refused when the association was constituted %s (ASSOCIATION_TOO_RECENT)', (_, constitutedOn) => {
        const error = petition
          .given([])
          .when(fileAssociation({ association: { ...FULL_ASSOCIATION, constitutedOn } }), { actor: associationRep })
          .thenThrows('ASSOCIATION_TOO_RECENT', 'rule');
        expect(error.details).toEqual({ constitutedOn });
      });

      it('is accepted when the association was constituted more than 3 years ago (3 years and a day)', () => {
        const [event] = decideFile(fileAssociation({ association: { ...FULL_ASSOCIATION, constitutedOn: '2024-03-14' } }), associationRep);
        expect(event.data).toMatchObject({ petitionerType: 'association', thresholdApplies: false, association: { constitutedOn: '2024-03-14' } });
      });

      it('is refused when the constitution date is not a date', () => {
        petition
          .given([])
          .when(fileAssociation({ association: { ...FULL_ASSOCIATION, constitutedOn: 'last spring' } }), { actor: associationRep })
          .thenThrows('ASSOCIATION_CONSTITUTION_DATE_INVALID', 'rule');
      });

      it("is refused when the association has no seat or branch in the council's territory (ASSOCIATION_NOT_IN_TERRITORY)", () => {
        petition
          .given([])
          .when(fileAssociation({ association: { ...FULL_ASSOCIATION, seatOrBranchInTerritory: false } }), { actor: associationRep })
          .thenThrows('ASSOCIATION_NOT_IN_TERRITORY', 'rule');
      });

      it("is refused when the association's activity is unrelated to the subject (ASSOCIATION_ACTIVITY_UNRELATED)", () => {
        petition
          .given([])
          .when(fileAssociation({ association: { ...FULL_ASSOCIATION, activityRelatedToSubject: false } }), { actor: associationRep })
          .thenThrows('ASSOCIATION_ACTIVITY_UNRELATED', 'rule');
      });
    });

    describe('text length limits (counted in characters, after trimming)', () => {
      it.each([
        ['title', 'short', LIMITS.title],
        ['subject', 'Trop court', LIMITS.subject],
        ['requests', 'Rien', LIMITS.requests],
        ['reasons', 'Parce que', LIMITS.reasons],
      ] as const)('refuses a %s that is too short, naming the field', (field, value, limit) => {
        const error = petition
          .given([])
          .when(fileCitizens({ [field]: value }), { actor: agent })
          .thenThrows('TEXT_LENGTH', 'rule');
        expect(error.details).toEqual({ field, min: limit.min, max: limit.max, length: [...value].length });
      });

      it.each([
        ['title', LIMITS.title],
        ['subject', LIMITS.subject],
        ['requests', LIMITS.requests],
        ['reasons', LIMITS.reasons],
      ] as const)('refuses a %s that is too long, naming the field', (field, limit) => {
        const error = petition
          .given([])
          .when(fileCitizens({ [field]: 'x'.repeat(limit.max + 1) }), { actor: agent })
          .thenThrows('TEXT_LENGTH', 'rule');
        expect(error.details).toEqual({ field, min: limit.min, max: limit.max, length: limit.max + 1 });
      });

      it('accepts an Arabic title of exactly the maximum length (characters, not bytes)', () => {
        const title = arabic(LIMITS.title.max);
        expect(Buffer.byteLength(title, 'utf8')).toBeGreaterThan(LIMITS.title.max);
        const [event] = decideFile(fileCitizens({ title }));
        expect(event.data).toMatchObject({ title, textDigest: digestOf({ ...TEXT, title }) });
      });

      it('refuses an Arabic title one character over the maximum', () => {
        const error = petition
          .given([])
          .when(fileCitizens({ title: arabic(LIMITS.title.max + 1) }), { actor: agent })
          .thenThrows('TEXT_LENGTH', 'rule');
        expect(error.details).toEqual({ field: 'title', min: LIMITS.title.min, max: LIMITS.title.max, length: LIMITS.title.max + 1 });
      });

      it('accepts an Arabic title of exactly the minimum length, and refuses one character less', () => {
        expect(decideFile(fileCitizens({ title: arabic(LIMITS.title.min) }))).toHaveLength(1);
        petition
          .given([])
          .when(fileCitizens({ title: arabic(LIMITS.title.min - 1) }), { actor: agent })
          .thenThrows('TEXT_LENGTH', 'rule');
      });

      it('counts a character outside the BMP (emoji) as one character, not two UTF-16 units', () => {
        const title = 'x'.repeat(LIMITS.title.max - 1) + '🌙';
        expect(title.length).toBe(LIMITS.title.max + 1);
        expect(decideFile(fileCitizens({ title }))).toHaveLength(1);
      });

      it('does not count surrounding blanks: a padded too-short title is still too short', () => {
        const error = petition
          .given([])
          .when(fileCitizens({ title: `    ${arabic(LIMITS.title.min - 1)}     ` }), { actor: agent })
          .thenThrows('TEXT_LENGTH', 'rule');
        expect(error.details).toMatchObject({ field: 'title', length: LIMITS.title.min - 1 });
      });
    });

    it('refuses filing a petition that already exists (PETITION_ALREADY_EXISTS)', () => {
      petition.given([filed()]).when(fileCitizens(), { actor: agent }).thenThrows('PETITION_ALREADY_EXISTS', 'conflict');
    });
  });

  describe('RecordThresholdReached', () => {
    it('records nothing while the tally is below the threshold', () => {
      petition
        .given([filed()])
        .when(recordThreshold(tally(99)), { actor: thresholdCheck })
        .thenNothing();
    });

    it('records SignatureThresholdReached when the tally reaches the threshold', () => {
      petition
        .given([filed()])
        .when(recordThreshold(tally(100, {}, '4242')), { actor: thresholdCheck })
        .then([thresholdReachedAt({ petitionId: PETITION_ID, required: 100, count: 100, countedUpToPosition: '4242', reachedAt: NOW })]);
    });

    it('records it only once: given it already happened, nothing', () => {
      petition
        .given([filed(), thresholdReached()])
        .when(recordThreshold(tally(180)), { actor: thresholdCheck })
        .thenNothing();
    });

    it('measures against the threshold snapshotted at filing, not the rulebook in force', () => {
      // Filed when the commune needed 150: 120 signatures are not enough even though the rulebook now says 100.
      petition
        .given([filed({ threshold: { required: 150 } })])
        .when(recordThreshold(tally(120)), { actor: thresholdCheck })
        .thenNothing();
    });

    it.each([
      ['the total is met but one province is below its 5 % share', tally(320, { [PROVINCE_A]: 200, [PROVINCE_B]: 106, [PROVINCE_C]: 14 })],
      ['a province has no signature at all', tally(400, { [PROVINCE_A]: 300, [PROVINCE_B]: 100 })],
      ['every share is met but the total is not', tally(299, { [PROVINCE_A]: 200, [PROVINCE_B]: 84, [PROVINCE_C]: 15 })],
    ])('region: records nothing when %s', (_, counted) => {
      petition.given([filedToRegion()]).when(recordThreshold(counted), { actor: thresholdCheck }).thenNothing();
    });

    it('region: records the event with the province counts when the total and every share are met', () => {
      const provinceCounts = { [PROVINCE_A]: 200, [PROVINCE_B]: 85, [PROVINCE_C]: 15 };
      petition
        .given([filedToRegion()])
        .when(recordThreshold(tally(300, provinceCounts, '9000')), { actor: thresholdCheck })
        .then([
          thresholdReachedAt({
            petitionId: PETITION_ID,
            required: 300,
            count: 300,
            provinceCounts: { 'province-a': 200, 'province-b': 85, 'province-c': 15 },
            countedUpToPosition: '9000',
            reachedAt: NOW,
          }),
        ]);
    });

    it("records nothing for an association's petition (no threshold applies)", () => {
      petition
        .given([filedByAssociation()])
        .when(recordThreshold(tally(500)), { actor: thresholdCheck })
        .thenNothing();
    });

    it('records nothing once the petition has left collection', () => {
      petition
        .given([filed(), submitted()])
        .when(recordThreshold(tally(150)), { actor: thresholdCheck })
        .thenNothing();
      petition
        .given([filed(), petitionWithdrawn()])
        .when(recordThreshold(tally(150)), { actor: thresholdCheck })
        .thenNothing();
    });

    it('refuses an unknown petition (PETITION_NOT_FOUND)', () => {
      petition
        .given([])
        .when(recordThreshold(tally(150)), { actor: thresholdCheck })
        .thenThrows('PETITION_NOT_FOUND', 'not_found');
    });
  });

  describe('SubmitPetition', () => {
    it('refuses a submission by anyone but the owner (NOT_PETITION_OWNER)', () => {
      petition
        .given([filed()])
        .when(submit(tally(120)), { actor: otherAgent })
        .thenThrows('NOT_PETITION_OWNER', 'forbidden');
      petition
        .given([filed()])
        .when(submit(tally(120)), { actor: clerk })
        .thenThrows('NOT_PETITION_OWNER', 'forbidden');
    });

    it('refuses a submission below the threshold (THRESHOLD_NOT_MET), with the shortfall', () => {
      const error = petition
        .given([filed()])
        .when(submit(tally(99)), { actor: agent })
        .thenThrows('THRESHOLD_NOT_MET', 'rule');
      expect(error.details).toEqual({ required: 100, count: 99, provincesBelowShare: [] });
    });

    it('region: refuses a submission when a province is below its share, listing the provinces short', () => {
      const error = petition
        .given([filedToRegion()])
        .when(submit(tally(350, { [PROVINCE_A]: 300, [PROVINCE_B]: 40, [PROVINCE_C]: 10 })), { actor: agent })
        .thenThrows('THRESHOLD_NOT_MET', 'rule');
      expect(error.details).toEqual({ required: 300, count: 350, provincesBelowShare: [{ provinceId: PROVINCE_C, required: 15, count: 10 }] });
    });

    it('region: a province absent from the tally counts as zero', () => {
      const error = petition
        .given([filedToRegion()])
        .when(submit(tally(290, { [PROVINCE_A]: 290 })), { actor: agent })
        .thenThrows('THRESHOLD_NOT_MET', 'rule');
      expect(error.details).toEqual({
        required: 300,
        count: 290,
        provincesBelowShare: [
          { provinceId: PROVINCE_B, required: 15, count: 0 },
          { provinceId: PROVINCE_C, required: 15, count: 0 },
        ],
      });
    });

    it('records the submission to a commune, due 3 months later', () => {
      petition
        .given([filed(), thresholdReached()])
        .when(submit(tally(104, {}, '777')), { actor: agent })
        .then([
          submittedToCouncil({
            petitionId: PETITION_ID,
            signatureCount: 104,
            countedUpToPosition: '777',
            submittedAt: NOW,
            responseDueAt: '2027-06-15T10:00:00.000Z',
            deadlineMonths: 3,
          }),
        ]);
    });

    it('accepts a submission exactly at the threshold, even if SignatureThresholdReached was not yet recorded', () => {
      const [event] = petition_decide([filed()], submit(tally(100)), agent);
      expect(event).toMatchObject({ type: 'PetitionSubmittedToCouncil', data: { signatureCount: 100 } });
    });

    it('clamps the due date to the end of the month: submitted 31 January to a commune, due 30 April', () => {
      petition
        .given([filed()])
        .when(submit(tally(100, {}, '1')), { actor: agent, now: '2027-01-31T14:30:00.000Z' })
        .then([
          submittedToCouncil({
            petitionId: PETITION_ID,
            signatureCount: 100,
            countedUpToPosition: '1',
            submittedAt: '2027-01-31T14:30:00.000Z',
            responseDueAt: '2027-04-30T14:30:00.000Z',
            deadlineMonths: 3,
          }),
        ]);
    });

    it('clamps to 29 February in a leap year: submitted 30 November to a commune, due 29 February 2028', () => {
      const [event] = petition_decide([filed()], submit(tally(100)), agent, '2027-11-30T08:00:00.000Z');
      expect(event.data).toMatchObject({ responseDueAt: '2028-02-29T08:00:00.000Z', deadlineMonths: 3 });
    });

    it('records the submission to a province, due 2 months later', () => {
      petition
        .given([filedToProvince()])
        .when(submit(tally(300, {}, '55')), { actor: agent })
        .then([
          submittedToCouncil({
            petitionId: PETITION_ID,
            signatureCount: 300,
            countedUpToPosition: '55',
            submittedAt: NOW,
            responseDueAt: '2027-05-15T10:00:00.000Z',
            deadlineMonths: 2,
          }),
        ]);
    });

    it('records the submission to a region, due 2 months later (clamped: 31 December → 28 February), with the province counts', () => {
      petition
        .given([filedToRegion()])
        .when(submit(tally(301, { [PROVINCE_A]: 100, [PROVINCE_B]: 100, [PROVINCE_C]: 101 }, '66')), { actor: agent, now: '2026-12-31T23:00:00.000Z' })
        .then([
          submittedToCouncil({
            petitionId: PETITION_ID,
            signatureCount: 301,
            provinceCounts: { 'province-a': 100, 'province-b': 100, 'province-c': 101 },
            countedUpToPosition: '66',
            submittedAt: '2026-12-31T23:00:00.000Z',
            responseDueAt: '2027-02-28T23:00:00.000Z',
            deadlineMonths: 2,
          }),
        ]);
    });

    it("submits an association's petition with zero signatures", () => {
      petition
        .given([filedByAssociation()])
        .when(submit(tally(0, {}, '0')), { actor: associationRep })
        .then([
          submittedToCouncil({
            petitionId: PETITION_ID,
            signatureCount: 0,
            countedUpToPosition: '0',
            submittedAt: NOW,
            responseDueAt: '2027-06-15T10:00:00.000Z',
            deadlineMonths: 3,
          }),
        ]);
    });

    it('uses the deadline snapshotted at filing', () => {
      const [event] = petition_decide([filed({ responseDeadlineMonths: 1 })], submit(tally(100)), agent);
      expect(event.data).toMatchObject({ responseDueAt: '2027-04-15T10:00:00.000Z', deadlineMonths: 1 });
    });

    it('refuses submitting twice (PETITION_NOT_COLLECTING)', () => {
      petition
        .given([filed(), submitted()])
        .when(submit(tally(120)), { actor: agent })
        .thenThrows('PETITION_NOT_COLLECTING', 'conflict');
    });

    it('refuses submitting a withdrawn petition (PETITION_NOT_COLLECTING)', () => {
      petition
        .given([filed(), petitionWithdrawn()])
        .when(submit(tally(120)), { actor: agent })
        .thenThrows('PETITION_NOT_COLLECTING', 'conflict');
    });

    it('refuses an unknown petition (PETITION_NOT_FOUND)', () => {
      petition
        .given([])
        .when(submit(tally(120)), { actor: agent })
        .thenThrows('PETITION_NOT_FOUND', 'not_found');
    });
  });

  describe('DeclareAdmissible', () => {
    const declare: PetitionCommand = { type: 'DeclareAdmissible', agendaSession: '2027-05 ordinary session', committee: 'Urban planning committee' };

    it('records the decision of a clerk of the council, with the agenda session and the committee', () => {
      petition
        .given([filed(), submitted()])
        .when(declare, { actor: clerk })
        .then([
          {
            type: 'PetitionDeclaredAdmissible',
            data: {
              petitionId: PETITION_ID,
              agendaSession: '2027-05 ordinary session',
              committee: 'Urban planning committee',
              targetSession: MAY_2027_SESSION,
              decidedAt: NOW,
            },
          },
        ]);
    });

    it('records the note when an official of the council gives one', () => {
      petition
        .given([filed(), submitted()])
        .when({ ...declare, note: 'Agent informed by letter.' }, { actor: official })
        .then([
          {
            type: 'PetitionDeclaredAdmissible',
            data: {
              petitionId: PETITION_ID,
              agendaSession: '2027-05 ordinary session',
              committee: 'Urban planning committee',
              note: 'Agent informed by letter.',
              targetSession: MAY_2027_SESSION,
              decidedAt: NOW,
            },
          },
        ]);
    });

    it('refuses an official of another council (NOT_COUNCIL_STAFF)', () => {
      petition.given([filed(), submitted()]).when(declare, { actor: officialOfOtherCouncil }).thenThrows('NOT_COUNCIL_STAFF', 'forbidden');
    });

    it('refuses a clerk whose token names no council (NOT_COUNCIL_STAFF)', () => {
      petition.given([filed(), submitted()]).when(declare, { actor: clerkWithoutCouncil }).thenThrows('NOT_COUNCIL_STAFF', 'forbidden');
    });

    it('refuses the staff of the region for a commune petition (NOT_COUNCIL_STAFF)', () => {
      petition.given([filed(), submitted()]).when(declare, { actor: regionClerk }).thenThrows('NOT_COUNCIL_STAFF', 'forbidden');
    });

    it.each([
      ['a citizen', citizen],
      ['the agent', agent],
      ['an admin', admin],
      ['an auditor', auditor],
    ])('refuses %s (ROLE_NOT_ALLOWED)', (_, actor) => {
      petition.given([filed(), submitted()]).when(declare, { actor }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });

    it('refuses a petition not yet submitted (PETITION_NOT_SUBMITTED)', () => {
      petition.given([filed()]).when(declare, { actor: clerk }).thenThrows('PETITION_NOT_SUBMITTED', 'conflict');
    });

    it('still records a decision taken after the response deadline was missed', () => {
      const [event] = petition_decide([filed(), submitted(), deadlineMissed()], declare, clerk);
      expect(event.type).toBe('PetitionDeclaredAdmissible');
    });

    it('refuses deciding twice (conflict)', () => {
      petition.given([filed(), submitted(), declaredAdmissible()]).when(declare, { actor: clerk }).thenThrows('PETITION_NOT_SUBMITTED', 'conflict');
      petition.given([filed(), submitted(), declaredInadmissible()]).when(declare, { actor: clerk }).thenThrows('PETITION_NOT_SUBMITTED', 'conflict');
    });
  });

  describe('DeclareInadmissible', () => {
    const reasoned = (reasonCodes: string[], reasonText = 'La voirie nationale relève de la compétence de l’État.'): PetitionCommand => ({
      type: 'DeclareInadmissible',
      reasonCodes,
      reasonText,
    });

    it('records a reasoned refusal with known reason codes (duplicates collapsed)', () => {
      petition
        .given([filed(), submitted()])
        .when(reasoned(['outside_competence', 'form_defect', 'outside_competence']), { actor: clerk })
        .then([
          {
            type: 'PetitionDeclaredInadmissible',
            data: {
              petitionId: PETITION_ID,
              reasonCodes: ['outside_competence', 'form_defect'],
              reasonText: 'La voirie nationale relève de la compétence de l’État.',
              decidedAt: NOW,
            },
          },
        ]);
    });

    it('refuses a refusal without a reason code (REASON_CODE_REQUIRED)', () => {
      petition.given([filed(), submitted()]).when(reasoned([]), { actor: clerk }).thenThrows('REASON_CODE_REQUIRED', 'rule');
    });

    it('refuses an unknown reason code (UNKNOWN_REASON_CODE), naming it', () => {
      const error = petition
        .given([filed(), submitted()])
        .when(reasoned(['outside_competence', 'because_we_said_so']), { actor: clerk })
        .thenThrows('UNKNOWN_REASON_CODE', 'rule');
      expect(error.details).toMatchObject({ unknown: ['because_we_said_so'] });
    });

    it.each([
      ['empty', ''],
      ['blank', '   \n\t '],
    ])('refuses an %s reason text (REASON_TEXT_REQUIRED)', (_, reasonText) => {
      petition
        .given([filed(), submitted()])
        .when(reasoned(['form_defect'], reasonText), { actor: clerk })
        .thenThrows('REASON_TEXT_REQUIRED', 'rule');
    });

    it('refuses a reason text over the decision-text limit (TEXT_LENGTH)', () => {
      const error = petition
        .given([filed(), submitted()])
        .when(reasoned(['form_defect'], 'x'.repeat(LIMITS.decisionText.max + 1)), { actor: clerk })
        .thenThrows('TEXT_LENGTH', 'rule');
      expect(error.details).toMatchObject({ field: 'reasonText' });
    });

    it('refuses an official of another council (NOT_COUNCIL_STAFF) and a citizen (ROLE_NOT_ALLOWED)', () => {
      petition
        .given([filed(), submitted()])
        .when(reasoned(['other']), { actor: officialOfOtherCouncil })
        .thenThrows('NOT_COUNCIL_STAFF', 'forbidden');
      petition
        .given([filed(), submitted()])
        .when(reasoned(['other']), { actor: citizen })
        .thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });

    it('refuses a petition not yet submitted (PETITION_NOT_SUBMITTED)', () => {
      petition
        .given([filed()])
        .when(reasoned(['other']), { actor: clerk })
        .thenThrows('PETITION_NOT_SUBMITTED', 'conflict');
    });

    it('refuses deciding twice (conflict)', () => {
      petition
        .given([filed(), submitted(), declaredInadmissible()])
        .when(reasoned(['other']), { actor: clerk })
        .thenThrows('PETITION_NOT_SUBMITTED', 'conflict');
      petition
        .given([filed(), submitted(), declaredAdmissible()])
        .when(reasoned(['other']), { actor: clerk })
        .thenThrows('PETITION_NOT_SUBMITTED', 'conflict');
    });
  });

  describe('RecordOfficialResponse', () => {
    const respond = (decision: 'adopted' | 'partially_adopted' | 'rejected', extra: { deliberationRef?: string } = {}): PetitionCommand => ({
      type: 'RecordOfficialResponse',
      decision,
      text: 'Le conseil a délibéré sur la pétition.',
      respondingOfficial: { name: 'Fatima Zahra El Idrissi', title: 'Présidente du conseil' },
      ...extra,
    });

    it.each(['adopted', 'partially_adopted', 'rejected'] as const)('records the council decision "%s" by an official of the council', (decision) => {
      petition
        .given([filed(), submitted(), declaredAdmissible()])
        .when(respond(decision), { actor: official })
        .then([
          {
            type: 'OfficialResponseRecorded',
            data: {
              petitionId: PETITION_ID,
              decision,
              text: 'Le conseil a délibéré sur la pétition.',
              respondingOfficial: { name: 'Fatima Zahra El Idrissi', title: 'Présidente du conseil' },
              respondedAt: NOW,
            },
          },
        ]);
    });

    it('records the deliberation reference entered by a clerk of the council', () => {
      petition
        .given([filed(), submitted(), declaredAdmissible()])
        .when(respond('partially_adopted', { deliberationRef: 'DEL-2027-05-12' }), { actor: clerk })
        .then([
          {
            type: 'OfficialResponseRecorded',
            data: {
              petitionId: PETITION_ID,
              decision: 'partially_adopted',
              text: 'Le conseil a délibéré sur la pétition.',
              respondingOfficial: { name: 'Fatima Zahra El Idrissi', title: 'Présidente du conseil' },
              deliberationRef: 'DEL-2027-05-12',
              respondedAt: NOW,
            },
          },
        ]);
    });

    it.each([
      ['still collecting', [filed()]],
      ['submitted, not yet declared admissible', [filed(), submitted()]],
      ['declared inadmissible', [filed(), submitted(), declaredInadmissible()]],
      ['already answered', [filed(), submitted(), declaredAdmissible(), answered()]],
    ] as [string, PetitionEvent[]][])('refuses a petition %s (PETITION_NOT_ADMISSIBLE)', (_, given) => {
      petition.given(given).when(respond('adopted'), { actor: official }).thenThrows('PETITION_NOT_ADMISSIBLE', 'conflict');
    });

    it('refuses the staff of another council (NOT_COUNCIL_STAFF) and a citizen (ROLE_NOT_ALLOWED)', () => {
      petition
        .given([filed(), submitted(), declaredAdmissible()])
        .when(respond('adopted'), { actor: clerkOfOtherCouncil })
        .thenThrows('NOT_COUNCIL_STAFF', 'forbidden');
      petition.given([filed(), submitted(), declaredAdmissible()]).when(respond('adopted'), { actor: citizen }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });

    it('refuses a response text under the minimum (TEXT_LENGTH)', () => {
      const error = petition
        .given([filed(), submitted(), declaredAdmissible()])
        .when({ ...respond('rejected'), text: 'Non.' } as PetitionCommand, { actor: official })
        .thenThrows('TEXT_LENGTH', 'rule');
      expect(error.details).toMatchObject({ field: 'text', length: 4 });
    });
  });

  describe('WithdrawPetition', () => {
    it('lets the owner withdraw a petition still collecting', () => {
      petition
        .given([filed()])
        .when({ type: 'WithdrawPetition' }, { actor: agent })
        .then([{ type: 'PetitionWithdrawn', data: { petitionId: PETITION_ID, withdrawnAt: NOW } }]);
    });

    it('lets the owner withdraw a submitted petition, with a reason', () => {
      petition
        .given([filed(), submitted()])
        .when({ type: 'WithdrawPetition', reason: 'La commune a déjà lancé les travaux.' }, { actor: agent })
        .then([{ type: 'PetitionWithdrawn', data: { petitionId: PETITION_ID, reason: 'La commune a déjà lancé les travaux.', withdrawnAt: NOW } }]);
    });

    it("lets an association's representative withdraw its petition", () => {
      petition
        .given([filedByAssociation()])
        .when({ type: 'WithdrawPetition' }, { actor: associationRep })
        .then([{ type: 'PetitionWithdrawn', data: { petitionId: PETITION_ID, withdrawnAt: NOW } }]);
    });

    it.each([
      ['declared admissible', [filed(), submitted(), declaredAdmissible()]],
      ['declared inadmissible', [filed(), submitted(), declaredInadmissible()]],
      ['answered', [filed(), submitted(), declaredAdmissible(), answered()]],
      ['already withdrawn', [filed(), petitionWithdrawn()]],
    ] as [string, PetitionEvent[]][])('refuses withdrawing a petition %s (PETITION_NOT_WITHDRAWABLE)', (_, given) => {
      petition.given(given).when({ type: 'WithdrawPetition' }, { actor: agent }).thenThrows('PETITION_NOT_WITHDRAWABLE', 'conflict');
    });

    it.each([
      ['another agent', otherAgent],
      ['a clerk of the council', clerk],
      ['an admin', admin],
    ])('refuses a withdrawal by %s (NOT_PETITION_OWNER)', (_, actor) => {
      petition.given([filed()]).when({ type: 'WithdrawPetition' }, { actor }).thenThrows('NOT_PETITION_OWNER', 'forbidden');
    });
  });

  describe('MarkResponseDeadlineMissed', () => {
    const mark: PetitionCommand = { type: 'MarkResponseDeadlineMissed' };

    it('records nothing before the due date', () => {
      petition.given([filed(), submitted()]).when(mark, { actor: system, now: '2027-05-01T08:59:59.999Z' }).thenNothing();
    });

    it('records ResponseDeadlineMissed at the due instant when no decision was taken', () => {
      petition
        .given([filed(), submitted()])
        .when(mark, { actor: system, now: RESPONSE_DUE_AT })
        .then([
          { type: 'ResponseDeadlineMissed', data: { petitionId: PETITION_ID, dueAt: '2027-05-01T09:00:00.000Z', detectedAt: '2027-05-01T09:00:00.000Z' } },
        ]);
    });

    it('records ResponseDeadlineMissed after the due date when no decision was taken', () => {
      petition
        .given([filed(), submitted()])
        .when(mark, { actor: system, now: '2027-05-03T00:00:00.000Z' })
        .then([{ type: 'ResponseDeadlineMissed', data: { petitionId: PETITION_ID, dueAt: RESPONSE_DUE_AT, detectedAt: '2027-05-03T00:00:00.000Z' } }]);
    });

    it('records it only once: given it already happened, nothing', () => {
      petition.given([filed(), submitted(), deadlineMissed()]).when(mark, { actor: system, now: '2027-06-01T00:00:00.000Z' }).thenNothing();
    });

    it.each([
      ['declared admissible', [filed(), submitted(), declaredAdmissible()]],
      ['declared inadmissible', [filed(), submitted(), declaredInadmissible()]],
      ['answered', [filed(), submitted(), declaredAdmissible(), answered()]],
      ['withdrawn', [filed(), submitted(), petitionWithdrawn()]],
      ['still collecting', [filed()]],
    ] as [string, PetitionEvent[]][])('records nothing for a petition %s', (_, given) => {
      petition.given(given).when(mark, { actor: system, now: '2027-06-01T00:00:00.000Z' }).thenNothing();
    });

    it.each([
      ['a clerk', clerk],
      ['an admin', admin],
      ['the agent', agent],
    ])('refuses %s: only the system records it (ROLE_NOT_ALLOWED)', (_, actor) => {
      petition.given([filed(), submitted()]).when(mark, { actor, now: '2027-06-01T00:00:00.000Z' }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });
  });

  describe('ClosePetition', () => {
    it('lets a clerk of the council close an answered petition', () => {
      petition
        .given([filed(), submitted(), declaredAdmissible(), answered()])
        .when({ type: 'ClosePetition' }, { actor: clerk })
        .then([{ type: 'PetitionClosed', data: { petitionId: PETITION_ID, closedAt: NOW } }]);
    });

    it('lets an admin close an inadmissible petition, with a note', () => {
      petition
        .given([filed(), submitted(), declaredInadmissible()])
        .when({ type: 'ClosePetition', note: 'Archived.' }, { actor: admin })
        .then([{ type: 'PetitionClosed', data: { petitionId: PETITION_ID, note: 'Archived.', closedAt: NOW } }]);
    });

    it('refuses closing twice (PETITION_ALREADY_CLOSED)', () => {
      petition
        .given([filed(), submitted(), declaredAdmissible(), answered(), closed()])
        .when({ type: 'ClosePetition' }, { actor: clerk })
        .thenThrows('PETITION_ALREADY_CLOSED', 'conflict');
    });

    it.each([
      ['still collecting', [filed()]],
      ['submitted', [filed(), submitted()]],
      ['admissible, not yet answered', [filed(), submitted(), declaredAdmissible()]],
      ['withdrawn', [filed(), petitionWithdrawn()]],
    ] as [string, PetitionEvent[]][])('refuses closing a petition %s (PETITION_NOT_CLOSABLE)', (_, given) => {
      petition.given(given).when({ type: 'ClosePetition' }, { actor: clerk }).thenThrows('PETITION_NOT_CLOSABLE', 'conflict');
    });

    it('refuses a citizen (ROLE_NOT_ALLOWED) and a clerk of another council (NOT_COUNCIL_STAFF)', () => {
      const given = [filed(), submitted(), declaredAdmissible(), answered()];
      petition.given(given).when({ type: 'ClosePetition' }, { actor: citizen }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
      petition.given(given).when({ type: 'ClosePetition' }, { actor: clerkOfOtherCouncil }).thenThrows('NOT_COUNCIL_STAFF', 'forbidden');
    });

    it('refuses any further decision on a closed petition (PETITION_CLOSED)', () => {
      petition
        .given([filed(), submitted(), declaredAdmissible(), answered(), closed()])
        .when(
          { type: 'RecordOfficialResponse', decision: 'rejected', text: 'Une seconde réponse.', respondingOfficial: { name: 'X', title: 'Y' } },
          { actor: official },
        )
        .thenThrows('PETITION_CLOSED', 'conflict');
    });
  });

  it.each([
    { type: 'DeclareAdmissible', agendaSession: 's', committee: 'c' },
    { type: 'WithdrawPetition' },
    { type: 'MarkResponseDeadlineMissed' },
    { type: 'ClosePetition' },
  ] as PetitionCommand[])('refuses $type on an unknown petition (PETITION_NOT_FOUND)', (command) => {
    petition
      .given([])
      .when(command, { actor: command.type === 'MarkResponseDeadlineMissed' ? system : clerk })
      .thenThrows('PETITION_NOT_FOUND', 'not_found');
  });
});

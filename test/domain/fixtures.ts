/**
 * Hand-made rulebook, council registry, actors and a fixed clock for the decider specs.
 * Deliberately small and independent of rulebook/*.json, so a data change there cannot move
 * the goalposts of these specs.
 */
import { createHash } from 'node:crypto';
import { Actor, systemActor } from '../../src/domain/shared/actor';
import type { Council, CouncilRegistry, EligibilityRule, LevelRules, Rulebook, SessionCalendar, Sourced } from '../../src/domain/rules/rulebook';
import type { AssociationDeclaration, PetitionEvent, PetitionFiled } from '../../src/domain/petition/petition.events';
import type { SignatureTally } from '../../src/domain/petition/petition.commands';
import type { SignatureEvent } from '../../src/domain/signature/signature.events';

// ---------------------------------------------------------------- clock

/** The fixed "now" of every spec unless a spec says otherwise. */
export const NOW = '2027-03-15T10:00:00.000Z';
export const clock = { now: () => NOW };
/** An instant `days` days after NOW (negative: before). */
export const daysAfterNow = (days: number) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

// ---------------------------------------------------------------- rulebook

const src = <T>(value: T, confidence: 'verified' | 'to-confirm' = 'verified'): Sourced<T> => ({ value, source: 'test fixture', confidence });
const law = (organicLaw: string): LevelRules['law'] => ({ organicLaw, articles: 'test', formDecree: 'test', confidence: 'verified' });

export const REASON_CODES = ['outside_competence', 'kingdom_constants', 'petitioners_not_eligible', 'form_defect', 'other'] as const;

export const LIMITS = {
  title: { min: 10, max: 120 },
  subject: { min: 20, max: 500 },
  requests: { min: 10, max: 1000 },
  reasons: { min: 10, max: 1000 },
  decisionText: { min: 10, max: 2000 },
};

const rule = (id: EligibilityRule['id'], article: string, value?: number): EligibilityRule => ({
  id,
  article,
  wording: { ar: id, fr: id, en: id },
  confidence: 'verified',
  ...(value !== undefined ? { value } : {}),
});

const sessions = (months: number[], opening: SessionCalendar['opening']['value']): SessionCalendar => ({
  months: src(months),
  opening: src(opening),
  agendaNoticeDays: src(20),
  maxDurationDays: src(15, 'to-confirm'),
});

export const rulebook: Rulebook = {
  version: 'test-rulebook-1',
  levels: {
    commune: {
      law: law('113-14'),
      thresholdBands: [{ populationBelow: 35_000, signatures: src(100) }, { signatures: src(200, 'to-confirm') }],
      thresholdWithArrondissements: src(400, 'to-confirm'),
      responseDeadlineMonths: src(3),
      eligibility: [
        rule('territorial-link', '113-14, art. 123'),
        rule('electoral-lists', '113-14, art. 123'),
        rule('association-conditions', '113-14, art. 124'),
      ],
      sessions: sessions([2, 5, 10], 'first-week'),
    },
    province: {
      law: law('112-14'),
      thresholdBands: [{ signatures: src(300, 'to-confirm') }],
      responseDeadlineMonths: src(2),
      eligibility: [
        rule('territorial-link', '112-14, art. 114'),
        rule('electoral-lists', '112-14, art. 114'),
        rule('association-conditions', '112-14, art. 115'),
        rule('association-members', '112-14, art. 115', 100),
      ],
      sessions: sessions([1, 6, 9], 'second-monday'),
    },
    region: {
      law: law('111-14'),
      thresholdBands: [{ populationBelow: 1_000_000, signatures: src(300) }, { populationBelow: 3_000_000, signatures: src(400) }, { signatures: src(500) }],
      provinceSharePercent: src(5),
      responseDeadlineMonths: src(2),
      eligibility: [rule('territorial-link', '111-14, art. 120'), rule('association-conditions', '111-14, art. 121')],
      sessions: sessions([3, 7, 10], 'first-monday'),
    },
  },
  association: { minYearsConstituted: src(3) },
  inadmissibilityReasons: REASON_CODES.map((code) => ({
    code,
    labels: { ar: code, fr: code, en: code },
    legalBasis: code === 'other' ? null : { commune: '113-14', province: '112-14', region: '111-14' },
    ...(code === 'other' ? { acceptedInNewDecisions: false } : {}),
  })),
  limits: LIMITS,
};

// ---------------------------------------------------------------- councils

const council = (c: Omit<Council, 'name' | 'population'> & { population: number }): Council => ({
  ...c,
  name: { ar: c.id, fr: c.id, en: c.id },
  population: { value: c.population, year: 2024, source: 'test fixture', confidence: 'verified' },
});

export const REGION_ID = 'region-nord';
export const PROVINCE_A = 'province-a';
export const PROVINCE_B = 'province-b';
export const PROVINCE_C = 'province-c';
export const PROVINCE_ELSEWHERE = 'province-elsewhere';

/** Population 30,000 → 100 signatures, answer within 3 months. */
export const smallCommune = council({ id: 'commune-small', level: 'commune', population: 30_000, provinceId: PROVINCE_A, regionId: REGION_ID });
/** Population 80,000 → 200 signatures. */
export const largeCommune = council({ id: 'commune-large', level: 'commune', population: 80_000, provinceId: PROVINCE_B, regionId: REGION_ID });
/** A commune with arrondissements → 400 signatures whatever its population. */
export const arrondissementsCommune = council({
  id: 'commune-arr',
  level: 'commune',
  population: 900_000,
  hasArrondissements: true,
  provinceId: PROVINCE_C,
  regionId: REGION_ID,
});
/** A province → 300 signatures, answer within 2 months. */
export const provinceA = council({ id: PROVINCE_A, level: 'province', population: 400_000, regionId: REGION_ID });
export const provinceB = council({ id: PROVINCE_B, level: 'province', population: 300_000, regionId: REGION_ID });
export const provinceC = council({ id: PROVINCE_C, level: 'province', population: 200_000, regionId: REGION_ID });
export const provinceElsewhere = council({ id: PROVINCE_ELSEWHERE, level: 'province', population: 500_000, regionId: 'region-sud' });
/** A region of 3 provinces, population 900,000 → 300 signatures, 5 % share = 15 per province. */
export const region = council({ id: REGION_ID, level: 'region', population: 900_000 });
export const otherRegion = council({ id: 'region-sud', level: 'region', population: 2_000_000 });

export const registry: CouncilRegistry = {
  councils: [smallCommune, largeCommune, arrondissementsCommune, provinceA, provinceB, provinceC, provinceElsewhere, region, otherRegion],
};

// ---------------------------------------------------------------- actors

export const agent: Actor = { id: 'user-agent', roles: ['agent'] };
export const otherAgent: Actor = { id: 'user-agent-2', roles: ['agent'] };
export const citizen: Actor = { id: 'user-citizen', roles: ['citizen'] };
export const associationRep: Actor = { id: 'user-assoc-rep', roles: ['association_rep'] };
export const auditor: Actor = { id: 'user-auditor', roles: ['auditor'] };
export const admin: Actor = { id: 'user-admin', roles: ['admin'] };
export const system: Actor = systemActor('deadline-watch');

/** Staff of the council the petitions below are addressed to (the small commune). */
export const clerk: Actor = { id: 'user-clerk', roles: ['clerk'], councilId: smallCommune.id };
export const official: Actor = { id: 'user-official', roles: ['official'], councilId: smallCommune.id };
/** Staff of another council. */
export const clerkOfOtherCouncil: Actor = { id: 'user-clerk-other', roles: ['clerk'], councilId: largeCommune.id };
export const officialOfOtherCouncil: Actor = { id: 'user-official-other', roles: ['official'], councilId: largeCommune.id };
/** Staff without a council in their token. */
export const clerkWithoutCouncil: Actor = { id: 'user-clerk-none', roles: ['clerk'] };
export const regionClerk: Actor = { id: 'user-region-clerk', roles: ['clerk'], councilId: REGION_ID };

// ---------------------------------------------------------------- petition text

export const PETITION_ID = 'pet-1';

export const TEXT = {
  title: 'Éclairage public du quartier Al Amal',
  subject: "Installer l'éclairage public dans les rues du quartier Al Amal",
  requests: 'Inscrire à l’ordre du jour un programme d’éclairage public.',
  reasons: 'Les rues sont dans le noir et les habitants se sentent en insécurité.',
};

/** The text digest as the events define it: SHA-256 (hex) of the JSON array of the four fields. */
export const digestOf = (t: { title: string; subject: string; requests: string; reasons: string } = TEXT) =>
  createHash('sha256')
    .update(JSON.stringify([t.title, t.subject, t.requests, t.reasons]), 'utf8')
    .digest('hex');

export const TEXT_DIGEST = digestOf(TEXT);

/** Constituted long enough before NOW (2027-03-15): more than 3 years. */
export const association: AssociationDeclaration = {
  name: 'Association Al Amal pour le développement',
  registrationNumber: 'ASSOC-2019-042',
  constitutedOn: '2019-06-01',
  seatOrBranchInTerritory: true,
  activityRelatedToSubject: true,
};

/** The documents the form decree asks of an association, all declared attached. */
export const ALL_DOCUMENTS = { constitutionProof: true, statutes: true, representativePowers: true };

// ---------------------------------------------------------------- given events

type FiledData = PetitionFiled['data'];

/** A citizens' petition to the small commune, filed by the agent at `filedAt`. */
export function filed(overrides: Partial<FiledData> = {}): PetitionFiled {
  return {
    type: 'PetitionFiled',
    data: {
      petitionId: PETITION_ID,
      councilId: smallCommune.id,
      councilLevel: 'commune',
      petitionerType: 'citizens',
      ownerId: agent.id,
      ...TEXT,
      textDigest: TEXT_DIGEST,
      threshold: { required: 100 },
      thresholdApplies: true,
      responseDeadlineMonths: 3,
      rulebookVersion: rulebook.version,
      declaredDocuments: { petitionerType: 'citizens', identityCardCopies: 0 },
      filedAt: '2027-01-10T09:00:00.000Z',
      ...overrides,
    },
  };
}

/** The region's threshold snapshot: 300 signatures, 15 (5 %) from each of its 3 provinces. */
export const REGION_THRESHOLD = {
  required: 300,
  provinceShares: [
    { provinceId: PROVINCE_A, required: 15 },
    { provinceId: PROVINCE_B, required: 15 },
    { provinceId: PROVINCE_C, required: 15 },
  ],
};

/** A citizens' petition to the region, with REGION_THRESHOLD. */
export const filedToRegion = (overrides: Partial<FiledData> = {}) =>
  filed({ councilId: REGION_ID, councilLevel: 'region', threshold: REGION_THRESHOLD, responseDeadlineMonths: 2, ...overrides });

export const filedToProvince = (overrides: Partial<FiledData> = {}) =>
  filed({ councilId: PROVINCE_A, councilLevel: 'province', threshold: { required: 300 }, responseDeadlineMonths: 2, ...overrides });

/** An association's petition to the small commune: no signature minimum. */
export const filedByAssociation = (overrides: Partial<FiledData> = {}) =>
  filed({
    petitionerType: 'association',
    ownerId: associationRep.id,
    association,
    thresholdApplies: false,
    declaredDocuments: { petitionerType: 'association', memberCount: 150, ...ALL_DOCUMENTS },
    ...overrides,
  });

export const SUBMITTED_AT = '2027-02-01T09:00:00.000Z';
export const RESPONSE_DUE_AT = '2027-05-01T09:00:00.000Z';

export const thresholdReached = (count = 100): PetitionEvent => ({
  type: 'SignatureThresholdReached',
  data: { petitionId: PETITION_ID, required: 100, count, countedUpToPosition: '120', reachedAt: '2027-01-25T12:00:00.000Z' },
});

export const submitted = (overrides: Partial<Extract<PetitionEvent, { type: 'PetitionSubmittedToCouncil' }>['data']> = {}): PetitionEvent => ({
  type: 'PetitionSubmittedToCouncil',
  data: {
    petitionId: PETITION_ID,
    signatureCount: 104,
    countedUpToPosition: '150',
    submittedAt: SUBMITTED_AT,
    responseDueAt: RESPONSE_DUE_AT,
    deadlineMonths: 3,
    ...overrides,
  },
});

/** A commune's May 2027 session: opens on the 1st, agenda closes 20 days before, 15 days long. */
export const MAY_2027_SESSION = {
  month: '2027-05',
  opensOn: '2027-05-01',
  agendaClosesOn: '2027-04-11',
  endsOn: '2027-05-15',
  endsAt: '2027-05-16T00:00:00.000Z',
};

export const declaredAdmissible = (): PetitionEvent => ({
  type: 'PetitionDeclaredAdmissible',
  data: {
    petitionId: PETITION_ID,
    agendaSession: '2027-05 ordinary session',
    committee: 'Urban planning committee',
    targetSession: MAY_2027_SESSION,
    decidedAt: '2027-02-20T10:00:00.000Z',
  },
});

export const sessionMissed = (): PetitionEvent => ({
  type: 'AgendaSessionMissed',
  data: { petitionId: PETITION_ID, sessionMonth: '2027-05', sessionEndsOn: '2027-05-15', detectedAt: '2027-05-16T00:05:00.000Z' },
});

export const declaredInadmissible = (): PetitionEvent => ({
  type: 'PetitionDeclaredInadmissible',
  data: {
    petitionId: PETITION_ID,
    reasonCodes: ['outside_competence'],
    reasonText: 'Street lighting of a national road is a state competence.',
    decidedAt: '2027-02-20T10:00:00.000Z',
  },
});

export const answered = (): PetitionEvent => ({
  type: 'OfficialResponseRecorded',
  data: {
    petitionId: PETITION_ID,
    decision: 'adopted',
    text: 'The council adopts the lighting programme for 2027.',
    respondingOfficial: { name: 'Fatima Zahra El Idrissi', title: 'Council president' },
    respondedAt: '2027-05-06T16:00:00.000Z',
  },
});

export const petitionWithdrawn = (): PetitionEvent => ({
  type: 'PetitionWithdrawn',
  data: { petitionId: PETITION_ID, withdrawnAt: '2027-01-20T10:00:00.000Z' },
});

export const deadlineMissed = (): PetitionEvent => ({
  type: 'ResponseDeadlineMissed',
  data: { petitionId: PETITION_ID, dueAt: RESPONSE_DUE_AT, detectedAt: '2027-05-01T09:05:00.000Z' },
});

export const closed = (): PetitionEvent => ({
  type: 'PetitionClosed',
  data: { petitionId: PETITION_ID, closedAt: '2027-06-01T10:00:00.000Z' },
});

// ---------------------------------------------------------------- signatures

export const SIGNER = 'signer-hash-1';

export const signed = (overrides: Partial<Extract<SignatureEvent, { type: 'PetitionSigned' }>['data']> = {}): SignatureEvent => ({
  type: 'PetitionSigned',
  data: {
    petitionId: PETITION_ID,
    signatureId: 'sig-1',
    signerHash: SIGNER,
    channel: 'online',
    basis: 'residence',
    electoralEligibility: 'meets-registration-conditions',
    textDigest: TEXT_DIGEST,
    signedAt: '2027-01-15T10:00:00.000Z',
    ...overrides,
  },
});

export const signatureWithdrawn = (overrides: Partial<Extract<SignatureEvent, { type: 'SignatureWithdrawn' }>['data']> = {}): SignatureEvent => ({
  type: 'SignatureWithdrawn',
  data: { petitionId: PETITION_ID, signatureId: 'sig-1', signerHash: SIGNER, withdrawnAt: '2027-01-20T10:00:00.000Z', ...overrides },
});

export const tally = (count: number, provinceCounts: Record<string, number> = {}, countedUpToPosition = '200'): SignatureTally => ({
  count,
  provinceCounts,
  countedUpToPosition,
});

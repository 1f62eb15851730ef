/**
 * The fraud-check decider: who may invalidate and reinstate signatures, until when, what matches
 * the criteria on the signer streams' facts, and what the one event lists.
 */
import type { InvalidationCommand, SignatureOnRecord } from '../../src/domain/signature/invalidation.decide';
import type { InvalidationEvent } from '../../src/domain/signature/invalidation.events';
import { invalidation } from './decider-spec';
import {
  admin,
  agent,
  clerk,
  clerkOfOtherCouncil,
  declaredAdmissible,
  filed,
  filedToRegion,
  NOW,
  official,
  PETITION_ID,
  petitionWithdrawn,
  PROVINCE_A,
  PROVINCE_B,
  regionClerk,
  submitted,
} from './fixtures';

const on = (n: number, overrides: Partial<SignatureOnRecord> = {}): SignatureOnRecord => ({
  signatureId: `sig-${String(n).padStart(3, '0')}`,
  signerHash: `hash-${n}`,
  channel: 'online',
  signedAt: `2027-01-1${n % 10}T10:00:00.000Z`,
  signedPosition: String(100 + n),
  standing: true,
  ...overrides,
});

type Invalidate = Extract<InvalidationCommand, { type: 'InvalidateSignatures' }>;
const invalidate = (overrides: Partial<Invalidate> = {}): Invalidate => ({
  type: 'InvalidateSignatures',
  invalidationId: 'inv-1',
  reasonCode: 'automated_or_forged',
  criteria: { channel: 'online' },
  candidates: [on(1), on(2)],
  maxSignatures: 100,
  ...overrides,
});

const reinstate = (overrides: Partial<Extract<InvalidationCommand, { type: 'ReinstateSignatures' }>> = {}): InvalidationCommand => ({
  type: 'ReinstateSignatures',
  invalidationId: 'inv-1',
  reasonCode: 'verified_valid',
  candidates: [on(1), on(2)],
  ...overrides,
});

const invalidated = (ids: number[], overrides: Partial<Extract<InvalidationEvent, { type: 'SignaturesInvalidated' }>['data']> = {}): InvalidationEvent => ({
  type: 'SignaturesInvalidated',
  data: {
    petitionId: PETITION_ID,
    invalidationId: 'inv-1',
    reasonCode: 'automated_or_forged',
    criteria: { channel: 'online' },
    signatures: ids.map((n) => ({ signatureId: on(n).signatureId, signerHash: `hash-${n}` })),
    count: ids.length,
    petitionStatus: 'collecting',
    invalidatedAt: NOW,
    ...overrides,
  },
});

describe('who may check signatures', () => {
  it('a clerk of the council: one event listing the matched signatures, with criteria and count', () => {
    invalidation
      .given({ petition: [filed()] })
      .when(invalidate(), { actor: clerk })
      .then([invalidated([1, 2])]);
  });

  it('an admin, whatever council', () => {
    expect(
      invalidation
        .given({ petition: [filed()] })
        .when(invalidate(), { actor: admin })
        .events(),
    ).toHaveLength(1);
  });

  it('not an official, the agent, nor a clerk of another council', () => {
    invalidation
      .given({ petition: [filed()] })
      .when(invalidate(), { actor: official })
      .thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    invalidation
      .given({ petition: [filed()] })
      .when(invalidate(), { actor: agent })
      .thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    invalidation
      .given({ petition: [filed()] })
      .when(invalidate(), { actor: clerkOfOtherCouncil })
      .thenThrows('NOT_COUNCIL_STAFF', 'forbidden');
    invalidation
      .given({ petition: [filed()] })
      .when(reinstate(), { actor: clerkOfOtherCouncil })
      .thenThrows('NOT_COUNCIL_STAFF', 'forbidden');
  });

  it('not on a petition that does not exist', () => {
    invalidation.given({ petition: [] }).when(invalidate(), { actor: clerk }).thenThrows('PETITION_NOT_FOUND', 'not_found');
  });
});

describe('until the admissibility decision', () => {
  it('while collecting and once submitted (the bureau verifies)', () => {
    const events = invalidation
      .given({ petition: [filed(), submitted({ countedUpToPosition: '150' })] })
      .when(invalidate(), { actor: clerk })
      .events();
    expect(events[0].data).toMatchObject({ count: 2, petitionStatus: 'submitted' });
  });

  it('not after the decision, nor on a withdrawn petition: SIGNATURES_FINAL', () => {
    invalidation
      .given({ petition: [filed(), submitted(), declaredAdmissible()] })
      .when(invalidate(), { actor: clerk })
      .thenThrows('SIGNATURES_FINAL', 'conflict');
    invalidation
      .given({ petition: [filed(), petitionWithdrawn()] })
      .when(invalidate(), { actor: clerk })
      .thenThrows('SIGNATURES_FINAL', 'conflict');
    invalidation
      .given({ petition: [filed(), submitted(), declaredAdmissible()], checks: [invalidated([1])] })
      .when(reinstate(), { actor: clerk })
      .thenThrows('SIGNATURES_FINAL', 'conflict');
  });

  it('once submitted, only signatures counted in the submission (signed at or before its counted position)', () => {
    const events = invalidation
      .given({ petition: [filed(), submitted({ countedUpToPosition: '101' })] })
      .when(invalidate({ candidates: [on(1), on(2)] }), { actor: clerk })
      .events();
    expect(events[0].data.signatures.map((s) => s.signatureId)).toEqual(['sig-001']);
  });
});

describe('what matches', () => {
  it('refuses no criteria, an empty window and an unknown reason', () => {
    invalidation
      .given({ petition: [filed()] })
      .when(invalidate({ criteria: {} }), { actor: clerk })
      .thenThrows('CRITERIA_REQUIRED', 'rule');
    invalidation
      .given({ petition: [filed()] })
      .when(invalidate({ criteria: { signedFrom: '2027-01-12T00:00:00.000Z', signedBefore: '2027-01-12T00:00:00.000Z' } }), { actor: clerk })
      .thenThrows('TIME_WINDOW_EMPTY', 'rule');
    invalidation
      .given({ petition: [filed()] })
      .when(invalidate({ reasonCode: 'dislike' }), { actor: clerk })
      .thenThrows('UNKNOWN_REASON_CODE', 'rule');
  });

  it('every criterion on the signer streams’ facts, not on what the read model said', () => {
    const candidates = [
      on(1, { channel: 'paper', paperSheet: 9 }),
      on(2, { channel: 'paper', paperSheet: 8 }),
      on(3), // online
      on(4, { channel: 'paper', paperSheet: 9, signedAt: '2027-01-20T10:00:00.000Z' }),
    ];
    const events = invalidation
      .given({ petition: [filed()] })
      .when(invalidate({ criteria: { paperSheet: 9, signedBefore: '2027-01-15T00:00:00.000Z' }, candidates }), { actor: clerk })
      .events();
    expect(events[0].data.signatures.map((s) => s.signatureId)).toEqual(['sig-001']);
  });

  it('a sheet number never matches a paper signature recorded before sheets were numbered (v1: no sheet number)', () => {
    // sig-002 stands for a PetitionSigned.v1 paper signature: its free-text reference gives it no paperSheet.
    const candidates = [on(1, { channel: 'paper', paperSheet: 9 }), on(2, { channel: 'paper' }), on(3)];
    const events = invalidation
      .given({ petition: [filed()] })
      .when(invalidate({ criteria: { paperSheet: 9 }, candidates }), { actor: clerk })
      .events();
    expect(events[0].data.signatures.map((s) => s.signatureId)).toEqual(['sig-001']);
    invalidation
      .given({ petition: [filed()] })
      .when(invalidate({ criteria: { paperSheet: 9 }, candidates: [on(2, { channel: 'paper' })] }), { actor: clerk })
      .thenThrows('NO_SIGNATURES_MATCHED', 'rule');
  });

  it('a time window is [from, before)', () => {
    const candidates = [on(1), on(2), on(3)]; // signed on the 11th, 12th and 13th
    const events = invalidation
      .given({ petition: [filed()] })
      .when(invalidate({ criteria: { signedFrom: '2027-01-12T10:00:00.000Z', signedBefore: '2027-01-13T10:00:00.000Z' }, candidates }), { actor: clerk })
      .events();
    expect(events[0].data.signatures.map((s) => s.signatureId)).toEqual(['sig-002']);
  });

  it('a province, with the count per province (regional petitions)', () => {
    const candidates = [on(1, { provinceId: PROVINCE_A }), on(2, { provinceId: PROVINCE_B }), on(3, { provinceId: PROVINCE_A })];
    const events = invalidation
      .given({ petition: [filedToRegion()] })
      .when(invalidate({ criteria: { provinceId: PROVINCE_A }, candidates }), { actor: regionClerk })
      .events();
    expect(events[0].data).toMatchObject({ count: 2, provinceCounts: { [PROVINCE_A]: 2 } });
    expect(events[0].data.signatures).toEqual([
      { signatureId: 'sig-001', signerHash: 'hash-1', provinceId: PROVINCE_A },
      { signatureId: 'sig-003', signerHash: 'hash-3', provinceId: PROVINCE_A },
    ]);
  });

  it('a list of ids; a withdrawn (not standing) or already invalidated signature is not listed', () => {
    const events = invalidation
      .given({ petition: [filed()], checks: [invalidated([3])] })
      .when(
        invalidate({
          invalidationId: 'inv-2',
          criteria: { signatureIds: ['sig-001', 'sig-002', 'sig-003'] },
          candidates: [on(1), on(2, { standing: false }), on(3)],
        }),
        { actor: clerk },
      )
      .events();
    expect(events[0].data.signatures.map((s) => s.signatureId)).toEqual(['sig-001']);
  });

  it('nothing counted matches: NO_SIGNATURES_MATCHED; more than the maximum: TOO_MANY_SIGNATURES_MATCHED', () => {
    invalidation
      .given({ petition: [filed()] })
      .when(invalidate({ criteria: { channel: 'paper' } }), { actor: clerk })
      .thenThrows('NO_SIGNATURES_MATCHED', 'rule');
    invalidation
      .given({ petition: [filed()] })
      .when(invalidate({ maxSignatures: 1 }), { actor: clerk })
      .thenThrows('TOO_MANY_SIGNATURES_MATCHED', 'rule');
  });

  it('lists each signature once, in id order, whatever order or repetition the candidates came in', () => {
    const events = invalidation
      .given({ petition: [filed()] })
      .when(invalidate({ candidates: [on(2), on(1), on(2)] }), { actor: clerk })
      .events();
    expect(events[0].data.signatures.map((s) => s.signatureId)).toEqual(['sig-001', 'sig-002']);
  });
});

describe('reinstating', () => {
  it('all the invalidation’s signatures still invalidated and standing', () => {
    invalidation
      .given({ petition: [filed()], checks: [invalidated([1, 2])] })
      .when(reinstate({ candidates: [on(1), on(2, { standing: false })] }), { actor: clerk })
      .then([
        {
          type: 'SignaturesReinstated',
          data: {
            petitionId: PETITION_ID,
            invalidationId: 'inv-1',
            reasonCode: 'verified_valid',
            signatures: [{ signatureId: 'sig-001', signerHash: 'hash-1' }],
            count: 1,
            reinstatedAt: NOW,
          },
        },
      ]);
  });

  it('a part of it', () => {
    const events = invalidation
      .given({ petition: [filed()], checks: [invalidated([1, 2])] })
      .when(reinstate({ signatureIds: ['sig-002'] }), { actor: admin })
      .events();
    expect(events[0].data.signatures.map((s) => s.signatureId)).toEqual(['sig-002']);
  });

  it('refuses an unknown invalidation, a signature it did not list, an unknown reason, and nothing left to reinstate', () => {
    invalidation
      .given({ petition: [filed()] })
      .when(reinstate(), { actor: clerk })
      .thenThrows('INVALIDATION_NOT_FOUND', 'not_found');
    invalidation
      .given({ petition: [filed()], checks: [invalidated([1])] })
      .when(reinstate({ signatureIds: ['sig-002'] }), { actor: clerk })
      .thenThrows('SIGNATURE_NOT_IN_INVALIDATION', 'rule');
    invalidation
      .given({ petition: [filed()], checks: [invalidated([1])] })
      .when(reinstate({ reasonCode: 'pity' }), { actor: clerk })
      .thenThrows('UNKNOWN_REASON_CODE', 'rule');
    const reinstated: InvalidationEvent = {
      type: 'SignaturesReinstated',
      data: {
        petitionId: PETITION_ID,
        invalidationId: 'inv-1',
        reasonCode: 'verified_valid',
        signatures: [{ signatureId: 'sig-001', signerHash: 'hash-1' }],
        count: 1,
        reinstatedAt: NOW,
      },
    };
    invalidation
      .given({ petition: [filed()], checks: [invalidated([1]), reinstated] })
      .when(reinstate(), { actor: clerk })
      .thenThrows('NOTHING_TO_REINSTATE', 'conflict');
  });

  it('after a reinstatement the signature can be invalidated again', () => {
    const reinstated: InvalidationEvent = {
      type: 'SignaturesReinstated',
      data: {
        petitionId: PETITION_ID,
        invalidationId: 'inv-1',
        reasonCode: 'verified_valid',
        signatures: [{ signatureId: 'sig-001', signerHash: 'hash-1' }],
        count: 1,
        reinstatedAt: NOW,
      },
    };
    const events = invalidation
      .given({ petition: [filed()], checks: [invalidated([1]), reinstated] })
      .when(invalidate({ invalidationId: 'inv-2', candidates: [on(1)] }), { actor: clerk })
      .events();
    expect(events[0].data.count).toBe(1);
  });
});

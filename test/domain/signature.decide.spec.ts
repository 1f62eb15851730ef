import type { SignatureCommand } from '../../src/domain/signature/signature.decide';
import type { PetitionEvent } from '../../src/domain/petition/petition.events';
import type { SignatureEvent } from '../../src/domain/signature/signature.events';
import { signature } from './decider-spec';
import {
  admin,
  agent,
  answered,
  associationRep,
  citizen,
  clerk,
  clerkOfOtherCouncil,
  closed,
  declaredAdmissible,
  filed,
  filedByAssociation,
  filedToProvince,
  filedToRegion,
  NOW,
  official,
  otherAgent,
  PETITION_ID,
  petitionWithdrawn,
  PROVINCE_A,
  PROVINCE_B,
  PROVINCE_ELSEWHERE,
  REGION_ID,
  regionClerk,
  signatureWithdrawn,
  signed,
  SIGNER,
  submitted,
  thresholdReached,
} from './fixtures';

type Sign = Extract<SignatureCommand, { type: 'SignPetition' }>;

const signOnline = (overrides: Partial<Sign> = {}): Sign => ({
  type: 'SignPetition',
  signatureId: 'sig-2',
  signerHash: SIGNER,
  channel: 'online',
  basis: 'residence',
  meetsElectoralRegistrationConditions: true,
  ...overrides,
});

const signOnPaper = (overrides: Partial<Sign> = {}): Sign => signOnline({ channel: 'paper', paperSheet: { sheet: 7, line: 12 }, ...overrides });

/** The signer withdraws online; the handler passes the account that signed (from the signing event's metadata). */
const withdrawOnline: SignatureCommand = { type: 'WithdrawSignature', signerHash: SIGNER, channel: 'online', signedBy: citizen.id };
const withdrawPaper: SignatureCommand = { type: 'WithdrawSignature', signerHash: SIGNER, channel: 'paper' };

/** The digest the petition was filed with: a signature endorses exactly that text. */
const FILED_DIGEST = 'd1'.repeat(32);
const collecting = () => [filed({ textDigest: FILED_DIGEST })];

/** The PetitionSigned that `signOnline()` records on the collecting petition at NOW (overrides for the other cases). */
const expectedSigned = (overrides: Partial<Extract<SignatureEvent, { type: 'PetitionSigned' }>['data']> = {}): SignatureEvent => ({
  type: 'PetitionSigned',
  data: {
    petitionId: PETITION_ID,
    signatureId: 'sig-2',
    signerHash: SIGNER,
    channel: 'online',
    basis: 'residence',
    electoralEligibility: 'meets-registration-conditions',
    textDigest: FILED_DIGEST,
    signedAt: NOW,
    ...overrides,
  },
});

describe('signature decider', () => {
  describe('SignPetition online', () => {
    it('records the signature of a citizen while the petition collects, with the petition’s text digest', () => {
      signature.given({ petition: collecting() }).when(signOnline(), { actor: citizen }).then([expectedSigned()]);
    });

    it.each(['economic_activity', 'commercial_activity', 'professional_activity'] as const)('accepts the %s basis', (basis) => {
      const [event] = signature.given({ petition: collecting() }).when(signOnline({ basis }), { actor: citizen }).events();
      expect(event.data).toMatchObject({ basis });
    });

    it('refuses an unknown basis (SIGNER_BASIS_INVALID)', () => {
      signature
        .given({ petition: collecting() })
        .when(signOnline({ basis: 'tourism' as Sign['basis'] }), { actor: citizen })
        .thenThrows('SIGNER_BASIS_INVALID', 'rule');
    });

    it('records no province on a commune petition, even if one is given', () => {
      const [event] = signature
        .given({ petition: collecting() })
        .when(signOnline({ provinceId: PROVINCE_A }), { actor: citizen })
        .events();
      expect(event.data).not.toHaveProperty('provinceId');
    });

    it('still collects after the threshold is reached', () => {
      const [event] = signature
        .given({ petition: [...collecting(), thresholdReached()] })
        .when(signOnline(), { actor: citizen })
        .events();
      expect(event.type).toBe('PetitionSigned');
    });

    it('lets citizens sign an association’s petition too', () => {
      const [event] = signature
        .given({ petition: [filedByAssociation()] })
        .when(signOnline(), { actor: citizen })
        .events();
      expect(event.type).toBe('PetitionSigned');
    });

    it('refuses a second signature by the same person (ALREADY_SIGNED)', () => {
      signature
        .given({ petition: collecting(), signer: [signed()] })
        .when(signOnline(), { actor: citizen })
        .thenThrows('ALREADY_SIGNED', 'conflict');
    });

    it('lets a person sign again after withdrawing their signature', () => {
      signature
        .given({ petition: collecting(), signer: [signed(), signatureWithdrawn()] })
        .when(signOnline({ signatureId: 'sig-3' }), { actor: citizen })
        .then([expectedSigned({ signatureId: 'sig-3' })]);
    });

    it('113-14 art. 123: a commune petition does not count a signer who does not meet the conditions for registration on the electoral lists (SIGNER_ELECTORAL_CONDITIONS_UNMET)', () => {
      const error = signature
        .given({ petition: collecting() })
        .when(signOnline({ meetsElectoralRegistrationConditions: false }), { actor: citizen })
        .thenThrows('SIGNER_ELECTORAL_CONDITIONS_UNMET', 'rule');
      expect(error.details).toEqual({ rule: 'electoral-lists', article: '113-14, art. 123' });
      expect(error.message).toContain('113-14, art. 123');
      signature
        .given({ petition: collecting() })
        .when(signOnline({ meetsElectoralRegistrationConditions: undefined }), { actor: citizen })
        .thenThrows('SIGNER_ELECTORAL_CONDITIONS_UNMET', 'rule');
    });

    it('113-14 art. 123: the law asks for the conditions of registration, not registration — a declared registration also satisfies it and is recorded as such', () => {
      signature
        .given({ petition: collecting() })
        .when(signOnline({ meetsElectoralRegistrationConditions: undefined, electoralListRegistered: true }), { actor: citizen })
        .then([expectedSigned({ electoralEligibility: 'registered' })]);
    });

    it('112-14 art. 114: a provincial petition asks the same electoral-list condition', () => {
      signature
        .given({ petition: [filedToProvince({ textDigest: FILED_DIGEST })] })
        .when(signOnline({ meetsElectoralRegistrationConditions: false }), { actor: citizen })
        .thenThrows('SIGNER_ELECTORAL_CONDITIONS_UNMET', 'rule');
      signature
        .given({ petition: [filedToProvince({ textDigest: FILED_DIGEST })] })
        .when(signOnline(), { actor: citizen })
        .then([expectedSigned()]);
    });

    it.each([
      ['an agent', agent],
      ['an association representative', associationRep],
      ['a clerk of the council', clerk],
      ['an official of the council', official],
      ['an admin', admin],
    ])('refuses an online signature by %s without the citizen role (ROLE_NOT_ALLOWED)', (_, actor) => {
      signature.given({ petition: collecting() }).when(signOnline(), { actor }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });
  });

  describe('SignPetition on paper', () => {
    const expectedPaper = expectedSigned({ channel: 'paper', paperSheet: { sheet: 7, line: 12 } });

    it('lets the petition’s agent enter a paper signature with its sheet reference', () => {
      signature.given({ petition: collecting() }).when(signOnPaper(), { actor: agent }).then([expectedPaper]);
    });

    it('lets a clerk of the council enter a paper signature', () => {
      signature.given({ petition: collecting() }).when(signOnPaper(), { actor: clerk }).then([expectedPaper]);
    });

    it('refuses a paper signature entered by an official of the council: agent or clerk only (ROLE_NOT_ALLOWED)', () => {
      signature.given({ petition: collecting() }).when(signOnPaper(), { actor: official }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });

    it('refuses a paper signature without its sheet reference (PAPER_SHEET_REQUIRED)', () => {
      signature
        .given({ petition: collecting() })
        .when(signOnPaper({ paperSheet: undefined }), { actor: agent })
        .thenThrows('PAPER_SHEET_REQUIRED', 'rule');
    });

    it.each([
      ['a random citizen', citizen],
      ['another agent', otherAgent],
      ['an admin', admin],
    ])('refuses paper entry by %s (ROLE_NOT_ALLOWED)', (_, actor) => {
      signature.given({ petition: collecting() }).when(signOnPaper(), { actor }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });

    it('refuses paper entry by a clerk of another council (NOT_COUNCIL_STAFF)', () => {
      signature.given({ petition: collecting() }).when(signOnPaper(), { actor: clerkOfOtherCouncil }).thenThrows('NOT_COUNCIL_STAFF', 'forbidden');
    });

    it('113-14 art. 123: refuses a paper signer who does not meet the electoral-list conditions (SIGNER_ELECTORAL_CONDITIONS_UNMET)', () => {
      signature
        .given({ petition: collecting() })
        .when(signOnPaper({ meetsElectoralRegistrationConditions: false, electoralListRegistered: false }), { actor: agent })
        .thenThrows('SIGNER_ELECTORAL_CONDITIONS_UNMET', 'rule');
    });
  });

  describe('SignPetition on a regional petition', () => {
    it('requires the signer’s province (PROVINCE_REQUIRED)', () => {
      signature
        .given({ petition: [filedToRegion()] })
        .when(signOnline(), { actor: citizen })
        .thenThrows('PROVINCE_REQUIRED', 'rule');
    });

    it('refuses a province of another region (PROVINCE_NOT_IN_REGION)', () => {
      signature
        .given({ petition: [filedToRegion()] })
        .when(signOnline({ provinceId: PROVINCE_ELSEWHERE }), { actor: citizen })
        .thenThrows('PROVINCE_NOT_IN_REGION', 'rule');
    });

    it('refuses the region itself, or an unknown id, as a province (PROVINCE_NOT_IN_REGION)', () => {
      signature
        .given({ petition: [filedToRegion()] })
        .when(signOnline({ provinceId: REGION_ID }), { actor: citizen })
        .thenThrows('PROVINCE_NOT_IN_REGION', 'rule');
      signature
        .given({ petition: [filedToRegion()] })
        .when(signOnline({ provinceId: 'province-nowhere' }), { actor: citizen })
        .thenThrows('PROVINCE_NOT_IN_REGION', 'rule');
    });

    it('records the signer’s province of the region', () => {
      signature
        .given({ petition: [filedToRegion()] })
        .when(signOnline({ provinceId: PROVINCE_B }), { actor: citizen })
        .then([expectedSigned({ provinceId: PROVINCE_B, electoralEligibility: 'not-required', textDigest: filedToRegion().data.textDigest })]);
    });

    it('111-14 art. 120: a regional petition counts a resident who is not on the electoral lists (no electoral-list condition for regions)', () => {
      signature
        .given({ petition: [filedToRegion()] })
        .when(signOnline({ provinceId: PROVINCE_A, meetsElectoralRegistrationConditions: false, electoralListRegistered: false }), { actor: citizen })
        .then([expectedSigned({ provinceId: PROVINCE_A, electoralEligibility: 'not-required', textDigest: filedToRegion().data.textDigest })]);
    });

    it('lets a clerk of the region enter a paper signature with the province', () => {
      const [event] = signature
        .given({ petition: [filedToRegion()] })
        .when(signOnPaper({ provinceId: PROVINCE_A }), { actor: regionClerk })
        .events();
      expect(event.data).toMatchObject({ channel: 'paper', provinceId: PROVINCE_A, paperSheet: { sheet: 7, line: 12 } });
    });
  });

  describe('SignPetition outside collection', () => {
    it.each([
      ['submitted', [filed(), submitted()]],
      ['withdrawn', [filed(), petitionWithdrawn()]],
      ['declared admissible', [filed(), submitted(), declaredAdmissible()]],
      ['answered and closed', [filed(), submitted(), declaredAdmissible(), answered(), closed()]],
    ] as [string, PetitionEvent[]][])('refuses signing a petition %s (PETITION_NOT_COLLECTING)', (_, petition) => {
      signature.given({ petition }).when(signOnline(), { actor: citizen }).thenThrows('PETITION_NOT_COLLECTING', 'conflict');
    });

    it('refuses a paper signature entered after submission (PETITION_NOT_COLLECTING)', () => {
      signature
        .given({ petition: [filed(), submitted()] })
        .when(signOnPaper(), { actor: agent })
        .thenThrows('PETITION_NOT_COLLECTING', 'conflict');
    });

    it('refuses signing an unknown petition (PETITION_NOT_FOUND)', () => {
      signature.given({ petition: [] }).when(signOnline(), { actor: citizen }).thenThrows('PETITION_NOT_FOUND', 'not_found');
    });
  });

  describe('WithdrawSignature', () => {
    it('records the withdrawal of a signature before submission', () => {
      signature
        .given({ petition: collecting(), signer: [signed()] })
        .when(withdrawOnline, { actor: citizen })
        .then([{ type: 'SignatureWithdrawn', data: { petitionId: PETITION_ID, signatureId: 'sig-1', signerHash: SIGNER, withdrawnAt: NOW } }]);
    });

    it('carries the province over on a regional petition', () => {
      signature
        .given({ petition: [filedToRegion()], signer: [signed({ provinceId: PROVINCE_A })] })
        .when(withdrawOnline, { actor: citizen })
        .then([
          { type: 'SignatureWithdrawn', data: { petitionId: PETITION_ID, signatureId: 'sig-1', signerHash: SIGNER, provinceId: PROVINCE_A, withdrawnAt: NOW } },
        ]);
    });

    it('withdraws the latest signature after a re-signature', () => {
      signature
        .given({
          petition: [filedToRegion()],
          signer: [
            signed({ provinceId: PROVINCE_A }),
            signatureWithdrawn({ provinceId: PROVINCE_A }),
            signed({ signatureId: 'sig-9', provinceId: PROVINCE_B }),
          ],
        })
        .when(withdrawOnline, { actor: citizen })
        .then([
          { type: 'SignatureWithdrawn', data: { petitionId: PETITION_ID, signatureId: 'sig-9', signerHash: SIGNER, provinceId: PROVINCE_B, withdrawnAt: NOW } },
        ]);
    });

    it('refuses an online withdrawal by another account than the one that signed (NOT_THE_SIGNER)', () => {
      signature
        .given({ petition: collecting(), signer: [signed()] })
        .when({ ...withdrawOnline, signedBy: 'user-someone-else' }, { actor: citizen })
        .thenThrows('NOT_THE_SIGNER', 'forbidden');
    });

    it('refuses an online withdrawal when the signing account is unknown (NOT_THE_SIGNER)', () => {
      signature
        .given({ petition: collecting(), signer: [signed()] })
        .when({ type: 'WithdrawSignature', signerHash: SIGNER, channel: 'online' }, { actor: citizen })
        .thenThrows('NOT_THE_SIGNER', 'forbidden');
    });

    it.each([
      ['the petition’s agent', agent],
      ['a clerk of the council', clerk],
    ])('lets %s withdraw a paper signature', (_, actor) => {
      signature
        .given({ petition: collecting(), signer: [signed({ channel: 'paper', paperSheet: { sheet: 7, line: 12 } })] })
        .when(withdrawPaper, { actor })
        .then([{ type: 'SignatureWithdrawn', data: { petitionId: PETITION_ID, signatureId: 'sig-1', signerHash: SIGNER, withdrawnAt: NOW } }]);
    });

    it.each([
      ['the petition’s agent', agent],
      ['a clerk of the council', clerk],
    ])('refuses %s withdrawing an online signature through the paper route (NOT_THE_SIGNER)', (_, actor) => {
      // The handler passes the account that recorded the signature: here the citizen who signed online.
      signature
        .given({ petition: collecting(), signer: [signed({ channel: 'online' })] })
        .when({ ...withdrawPaper, signedBy: citizen.id }, { actor })
        .thenThrows('NOT_THE_SIGNER', 'forbidden');
    });

    it('refuses a paper withdrawal by a random citizen (ROLE_NOT_ALLOWED)', () => {
      signature
        .given({ petition: collecting(), signer: [signed({ channel: 'paper', paperSheet: { sheet: 1, line: 1 } })] })
        .when(withdrawPaper, { actor: citizen })
        .thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });

    it('refuses a withdrawal after submission (PETITION_NOT_COLLECTING)', () => {
      signature
        .given({ petition: [filed(), submitted()], signer: [signed()] })
        .when(withdrawOnline, { actor: citizen })
        .thenThrows('PETITION_NOT_COLLECTING', 'conflict');
    });

    it('refuses a withdrawal without a signature (SIGNATURE_NOT_FOUND)', () => {
      signature.given({ petition: collecting() }).when(withdrawOnline, { actor: citizen }).thenThrows('SIGNATURE_NOT_FOUND', 'conflict');
    });

    it('refuses withdrawing an already withdrawn signature (SIGNATURE_NOT_FOUND)', () => {
      signature
        .given({ petition: collecting(), signer: [signed(), signatureWithdrawn()] })
        .when(withdrawOnline, { actor: citizen })
        .thenThrows('SIGNATURE_NOT_FOUND', 'conflict');
    });

    it('refuses an online withdrawal by a non-citizen role (ROLE_NOT_ALLOWED)', () => {
      signature
        .given({ petition: collecting(), signer: [signed()] })
        .when(withdrawOnline, { actor: agent })
        .thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });

    it('refuses a withdrawal on an unknown petition (PETITION_NOT_FOUND)', () => {
      signature
        .given({ petition: [], signer: [signed()] })
        .when(withdrawOnline, { actor: citizen })
        .thenThrows('PETITION_NOT_FOUND', 'not_found');
    });
  });
});

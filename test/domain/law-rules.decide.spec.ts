/**
 * The corrected legal rules, decided: association membership for provinces, the declared
 * documents, the target session computed on acceptance and the missed session recorded once.
 * Each test names the article it checks.
 */
import type { PetitionCommand } from '../../src/domain/petition/petition.commands';
import { petition } from './decider-spec';
import {
  agent,
  ALL_DOCUMENTS,
  association,
  associationRep,
  clerk,
  declaredAdmissible,
  filed,
  filedToProvince,
  MAY_2027_SESSION,
  PETITION_ID,
  provinceA,
  sessionMissed,
  smallCommune,
  submitted,
  system,
  TEXT,
  answered,
} from './fixtures';

type FileCommand = Extract<PetitionCommand, { type: 'FilePetition' }>;

const fileAssociation = (council = provinceA, memberCount?: number, documents = ALL_DOCUMENTS): FileCommand => ({
  type: 'FilePetition',
  petitionId: PETITION_ID,
  council,
  petitionerType: 'association',
  association: { ...association, ...(memberCount !== undefined ? { memberCount } : {}), documents },
  ...TEXT,
});

const declare: PetitionCommand = { type: 'DeclareAdmissible', committee: 'Commission des services publics' };
const markMissed: PetitionCommand = { type: 'MarkAgendaSessionMissed' };

describe('the law, decided', () => {
  describe('112-14 art. 115: an association petitioning a province has more than 100 members', () => {
    it('112-14 art. 115: refuses a provincial association petition with 80 members, naming the article (422 ASSOCIATION_TOO_FEW_MEMBERS)', () => {
      const error = petition.given([]).when(fileAssociation(provinceA, 80), { actor: associationRep }).thenThrows('ASSOCIATION_TOO_FEW_MEMBERS', 'rule');
      expect(error.details).toEqual({ rule: 'association-members', article: '112-14, art. 115', required: 'more than 100', memberCount: 80 });
      expect(error.message).toContain('112-14, art. 115');
    });

    it('112-14 art. 115: "more than 100" — exactly 100 members is refused', () => {
      petition.given([]).when(fileAssociation(provinceA, 100), { actor: associationRep }).thenThrows('ASSOCIATION_TOO_FEW_MEMBERS', 'rule');
    });

    it('112-14 art. 115: files a provincial association petition with 150 members, recording the count and the documents', () => {
      const [event] = petition.given([]).when(fileAssociation(provinceA, 150), { actor: associationRep }).events();
      expect(event).toMatchObject({
        type: 'PetitionFiled',
        data: { councilLevel: 'province', declaredDocuments: { petitionerType: 'association', memberCount: 150, ...ALL_DOCUMENTS } },
      });
      // The membership and documents live in declaredDocuments; the association declaration keeps its v1 shape.
      expect(event.type === 'PetitionFiled' && event.data.association).toEqual(association);
    });

    it('113-14 art. 124: a commune sets no membership minimum — 80 members are filed', () => {
      const [event] = petition.given([]).when(fileAssociation(smallCommune, 80), { actor: associationRep }).events();
      expect(event.data).toMatchObject({ declaredDocuments: { memberCount: 80 } });
    });

    it('requires the member count of every association (ASSOCIATION_MEMBER_COUNT_REQUIRED)', () => {
      petition.given([]).when(fileAssociation(smallCommune), { actor: associationRep }).thenThrows('ASSOCIATION_MEMBER_COUNT_REQUIRED', 'rule');
    });
  });

  describe('decrees 2.16.401–403: the documents the filing declares', () => {
    it('records the documents an association declares missing, for the clerk (they are what "form_defect" refers to)', () => {
      const [event] = petition
        .given([])
        .when(fileAssociation(provinceA, 150, { constitutionProof: true, statutes: false, representativePowers: false }), { actor: associationRep })
        .events();
      expect(event.data).toMatchObject({ declaredDocuments: { constitutionProof: true, statutes: false, representativePowers: false } });
    });

    it("records the identity-card copies attached to a citizens' petition's paper sheets", () => {
      const [event] = petition
        .given([])
        .when(
          { type: 'FilePetition', petitionId: PETITION_ID, council: smallCommune, petitionerType: 'citizens', identityCardCopies: 120, ...TEXT },
          { actor: agent },
        )
        .events();
      expect(event.data).toMatchObject({ declaredDocuments: { petitionerType: 'citizens', identityCardCopies: 120 } });
    });
  });

  describe('113-14 arts. 33, 38 and 125: an accepted petition goes on the agenda of the next ordinary session', () => {
    it('113-14 arts. 33 and 38: a commune petition accepted on 20 January targets the May session (the February agenda closed on 12 January)', () => {
      const [event] = petition.given([filed(), submitted()]).when(declare, { actor: clerk, now: '2027-01-20T10:00:00.000Z' }).events();
      expect(event).toEqual({
        type: 'PetitionDeclaredAdmissible',
        data: {
          petitionId: PETITION_ID,
          committee: 'Commission des services publics',
          targetSession: MAY_2027_SESSION,
          decidedAt: '2027-01-20T10:00:00.000Z',
        },
      });
    });

    it('113-14 arts. 33 and 38: one accepted on 5 January targets the February session', () => {
      const [event] = petition.given([filed(), submitted()]).when(declare, { actor: clerk, now: '2027-01-05T10:00:00.000Z' }).events();
      expect(event.data).toMatchObject({ targetSession: { month: '2027-02', opensOn: '2027-02-01', agendaClosesOn: '2027-01-12', endsOn: '2027-02-15' } });
    });

    it('112-14 arts. 34 and 39: a provincial petition accepted on 1 February targets the June session (second Monday: 14 June 2027)', () => {
      const provinceClerk = { ...clerk, councilId: provinceA.id };
      const [event] = petition.given([filedToProvince(), submitted()]).when(declare, { actor: provinceClerk, now: '2027-02-01T10:00:00.000Z' }).events();
      expect(event.data).toMatchObject({ targetSession: { month: '2027-06', opensOn: '2027-06-14' } });
    });
  });

  describe('the missed session, recorded once by the deadline watch', () => {
    const accepted = () => [filed(), submitted(), declaredAdmissible()];

    it('records AgendaSessionMissed once the May session has ended with no response', () => {
      petition
        .given(accepted())
        .when(markMissed, { actor: system, now: '2027-05-16T00:05:00.000Z' })
        .then([
          {
            type: 'AgendaSessionMissed',
            data: { petitionId: PETITION_ID, sessionMonth: '2027-05', sessionEndsOn: '2027-05-15', detectedAt: '2027-05-16T00:05:00.000Z' },
          },
        ]);
    });

    it('records nothing before the session ends, a second time, or once the council has answered', () => {
      petition.given(accepted()).when(markMissed, { actor: system, now: '2027-05-15T23:59:00.000Z' }).thenNothing();
      petition
        .given([...accepted(), sessionMissed()])
        .when(markMissed, { actor: system, now: '2027-06-01T00:00:00.000Z' })
        .thenNothing();
      petition
        .given([...accepted(), answered()])
        .when(markMissed, { actor: system, now: '2027-06-01T00:00:00.000Z' })
        .thenNothing();
    });

    it('records nothing for a decision stored before target sessions were computed (v1: targetSession null)', () => {
      const v1 = { ...declaredAdmissible(), data: { ...declaredAdmissible().data, targetSession: null } } as ReturnType<typeof declaredAdmissible>;
      petition.given([filed(), submitted(), v1]).when(markMissed, { actor: system, now: '2028-01-01T00:00:00.000Z' }).thenNothing();
    });

    it('only the system records a missed session (ROLE_NOT_ALLOWED)', () => {
      petition.given(accepted()).when(markMissed, { actor: clerk, now: '2027-06-01T00:00:00.000Z' }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden');
    });
  });

  it('refuses the code "other", which has no legal basis, in a new decision (UNKNOWN_REASON_CODE)', () => {
    petition
      .given([filed(), submitted()])
      .when({ type: 'DeclareInadmissible', reasonCodes: ['other'], reasonText: 'Pas de base légale pour ce motif.' }, { actor: clerk })
      .thenThrows('UNKNOWN_REASON_CODE', 'rule');
  });
});

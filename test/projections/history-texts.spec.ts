/**
 * The history's words for the declared documents and the agenda session: plurals by the ICU rules
 * of each language (Arabic has six categories), months and days as natives write them.
 */
import type { DomainEvent } from '../../src/domain/event-types';
import { describe as describeEvent } from '../../src/projections/history-texts';
import type { ProjectedEvent } from '../../src/projections/projection';
import { declaredAdmissible, filed, filedByAssociation, sessionMissed } from '../domain/fixtures';

const projected = (event: DomainEvent, role = 'agent'): ProjectedEvent => ({
  ...event,
  id: 'e1',
  streamId: 'petition-pet-1',
  position: 1n,
  metadata: { actor: { id: 'someone', role }, correlationId: 'c', causationId: 'c', command: 'Test', occurredAt: '2027-01-10T09:00:00.000Z' },
});
const words = (event: DomainEvent, role?: string) => describeEvent(projected(event, role), (code) => ({ ar: code, fr: code, en: code }))!;
const withCopies = (n: number) => words(filed({ declaredDocuments: { petitionerType: 'citizens', identityCardCopies: n } }));

describe('history texts', () => {
  it.each([
    [1, 'مع نسخة واحدة من بطاقة التعريف الوطنية', "avec 1 copie de carte nationale d'identité", 'with 1 identity-card copy'],
    [2, 'مع نسختين من بطائق التعريف الوطنية', "avec 2 copies de cartes nationales d'identité", 'with 2 identity-card copies'],
    [3, 'مع 3 نسخ من بطائق التعريف الوطنية', "avec 3 copies de cartes nationales d'identité", 'with 3 identity-card copies'],
    [11, 'مع 11 نسخة من بطائق التعريف الوطنية', "avec 11 copies de cartes nationales d'identité", 'with 11 identity-card copies'],
    [100, 'مع 100 نسخة من بطائق التعريف الوطنية', "avec 100 copies de cartes nationales d'identité", 'with 100 identity-card copies'],
  ])('counts %i identity-card copies by each language’s plural rules', (n, ar, fr, en) => {
    const text = withCopies(n);
    expect(text.ar).toContain(ar);
    expect(text.fr).toContain(fr);
    expect(text.en).toContain(en);
  });

  it('says nothing of copies when none were declared, or when the filing predates the declaration (v1)', () => {
    expect(withCopies(0).en).toBe(
      'The agent filed the petition “Éclairage public du quartier Al Amal”; signature collection opened (threshold: 100 signatures).',
    );
    expect(words(filed({ declaredDocuments: null })).en).toBe(withCopies(0).en);
  });

  it("names an association's members and the documents it did not attach", () => {
    const text = words(
      filedByAssociation({
        declaredDocuments: { petitionerType: 'association', memberCount: 2, constitutionProof: true, statutes: false, representativePowers: true },
      }),
    );
    expect(text.ar).toContain('الجمعية تضم عضوان؛ وثائق غير مرفقة: النظام الأساسي');
    expect(text.fr).toContain("l'association compte 2 membres ; pièces non jointes : statuts");
    expect(text.en).toContain('the association has 2 members; documents not attached: statutes');
    expect(words(filedByAssociation()).fr).toContain("l'association compte 150 membres ; pièces requises jointes");
  });

  it('names the target session by its month and opening day, and the missed session by its last day', () => {
    const accepted = words(declaredAdmissible(), 'clerk');
    expect(accepted.fr).toContain("session ordinaire de mai 2027 (« 2027-05 ordinary session »), qui s'ouvre à partir du 1er mai 2027");
    expect(accepted.en).toContain('the May 2027 ordinary session (“2027-05 ordinary session”), opening from 1 May 2027');
    expect(accepted.ar).toContain('الدورة العادية لشهر ماي 2027');
    const missed = words(sessionMissed(), 'system');
    expect(missed.en).toBe('The May 2027 ordinary session ended (15 May 2027) with no response from the council recorded for the admissible petition.');
    expect(missed.fr).toContain("La session ordinaire de mai 2027 s'est achevée (15 mai 2027)");
  });
});

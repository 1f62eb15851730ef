/**
 * A petition's history in words, in Arabic, French and English. Only what is public: no signer
 * data, and officials by their published office, never a user id.
 */
import { invalidationReasonLabels, reinstatementReasonLabels } from '../domain/signature/invalidation-reasons';
import type { ProjectedEvent } from './projection';

export type Lang = 'ar' | 'fr' | 'en';
export const LANGS: Lang[] = ['ar', 'fr', 'en'];
type Texts = Record<Lang, string>;

const ROLE: Record<string, Texts> = {
  citizen: { ar: 'مواطن(ة)', fr: 'un·e citoyen·ne', en: 'a citizen' },
  agent: { ar: 'وكيل(ة) العريضة', fr: 'le mandataire', en: 'the agent' },
  association_rep: { ar: 'الممثل(ة) القانوني(ة) للجمعية', fr: "le représentant légal de l'association", en: "the association's legal representative" },
  clerk: { ar: 'موظف(ة) المجلس', fr: 'un agent du conseil', en: 'a council clerk' },
  official: { ar: 'منتخب(ة) بالمجلس', fr: 'un élu du conseil', en: 'a council official' },
  admin: { ar: 'مسؤول(ة) المنصة', fr: "l'administrateur", en: 'the administrator' },
  system: { ar: 'المنصة تلقائيا', fr: 'la plateforme, automatiquement', en: 'the platform, automatically' },
};

const DECISION: Record<string, Texts> = {
  adopted: { ar: 'قبول', fr: 'adoptée', en: 'adopted' },
  partially_adopted: { ar: 'قبول جزئي', fr: 'partiellement adoptée', en: 'partially adopted' },
  rejected: { ar: 'رفض', fr: 'rejetée', en: 'rejected' },
};

const day = (iso: string) => iso.slice(0, 10);

const PLURAL = { ar: new Intl.PluralRules('ar'), fr: new Intl.PluralRules('fr'), en: new Intl.PluralRules('en') };

/** "n signatures" by each language's plural rules (CLDR): Arabic has six forms, French counts 0 and 1 as singular. */
export function signaturesInWords(n: number): Texts {
  const ar: Record<string, string> = {
    zero: 'لا توقيع',
    one: 'توقيع واحد',
    two: 'توقيعان',
    few: `${n} توقيعات`,
    many: `${n} توقيعا`,
    other: `${n} توقيع`,
  };
  return {
    ar: ar[PLURAL.ar.select(n)],
    fr: `${n} ${PLURAL.fr.select(n) === 'one' ? 'signature' : 'signatures'}`,
    en: `${n} ${PLURAL.en.select(n) === 'one' ? 'signature' : 'signatures'}`,
  };
}

export function roleInWords(role: string): Texts {
  return ROLE[role] ?? { ar: role, fr: role, en: role };
}

/** The sentence for one lifecycle event, in every language; null for events the history omits. */
export function describe(event: ProjectedEvent, reasonLabels: (code: string) => Texts): Texts | null {
  const by = roleInWords(event.metadata.actor.role);
  switch (event.type) {
    case 'PetitionFiled': {
      const assoc = event.data.petitionerType === 'association';
      return {
        ar: `أودع${assoc ? 'ت الجمعية' : ' الوكيل'} العريضة «${event.data.title}» وفُتح باب التوقيع${event.data.thresholdApplies ? ` (النصاب: ${event.data.threshold.required} توقيعا)` : ''}.`,
        fr: `${assoc ? "L'association a déposé" : 'Le mandataire a déposé'} la pétition « ${event.data.title} » ; la collecte des signatures est ouverte${event.data.thresholdApplies ? ` (seuil : ${event.data.threshold.required} signatures)` : ''}.`,
        en: `${assoc ? 'The association filed' : 'The agent filed'} the petition “${event.data.title}”; signature collection opened${event.data.thresholdApplies ? ` (threshold: ${event.data.threshold.required} signatures)` : ''}.`,
      };
    }
    case 'SignatureThresholdReached':
      return {
        ar: `بلغت العريضة النصاب القانوني: ${event.data.count} توقيعا من أصل ${event.data.required} المطلوبة.`,
        fr: `La pétition a atteint le seuil légal : ${event.data.count} signatures pour ${event.data.required} requises.`,
        en: `The petition reached its legal threshold: ${event.data.count} signatures of the ${event.data.required} required.`,
      };
    case 'PetitionSubmittedToCouncil':
      return {
        ar: `أُحيلت العريضة على المجلس بـ${event.data.signatureCount} توقيعا؛ أجل البت: ${day(event.data.responseDueAt)}.`,
        fr: `La pétition a été déposée auprès du conseil avec ${event.data.signatureCount} signatures ; décision attendue au plus tard le ${day(event.data.responseDueAt)}.`,
        en: `The petition was submitted to the council with ${event.data.signatureCount} signatures; a decision is due by ${day(event.data.responseDueAt)}.`,
      };
    case 'PetitionDeclaredAdmissible':
      return {
        ar: `قرر مكتب المجلس قبول العريضة وإدراجها في جدول أعمال ${event.data.agendaSession}، وأحالها على ${event.data.committee} (سجله ${by.ar}).`,
        fr: `Le bureau du conseil a déclaré la pétition recevable, inscrite à l'ordre du jour de : ${event.data.agendaSession}, et renvoyée à : ${event.data.committee} (enregistré par ${by.fr}).`,
        en: `The council bureau declared the petition admissible, placed it on the agenda of ${event.data.agendaSession} and referred it to ${event.data.committee} (recorded by ${by.en}).`,
      };
    case 'PetitionDeclaredInadmissible': {
      const reasons = event.data.reasonCodes.map(reasonLabels);
      return {
        ar: `قرر مكتب المجلس عدم قبول العريضة. الأسباب: ${reasons.map((r) => r.ar).join('؛ ')}. التعليل: ${event.data.reasonText}`,
        fr: `Le bureau du conseil a déclaré la pétition irrecevable. Motifs : ${reasons.map((r) => r.fr).join(' ; ')}. Motivation : ${event.data.reasonText}`,
        en: `The council bureau declared the petition inadmissible. Grounds: ${reasons.map((r) => r.en).join('; ')}. Reasoning: ${event.data.reasonText}`,
      };
    }
    case 'OfficialResponseRecorded': {
      const decision = DECISION[event.data.decision] ?? { ar: event.data.decision, fr: event.data.decision, en: event.data.decision };
      const o = event.data.respondingOfficial;
      return {
        ar: `جواب المجلس (${decision.ar})، على لسان ${o.name}، ${o.title}: ${event.data.text}`,
        fr: `Réponse du conseil (${decision.fr}), par ${o.name}, ${o.title} : ${event.data.text}`,
        en: `The council's response (${decision.en}), by ${o.name}, ${o.title}: ${event.data.text}`,
      };
    }
    case 'PetitionWithdrawn':
      return {
        ar: `سُحبت العريضة من طرف أصحابها${event.data.reason ? `: ${event.data.reason}` : '.'}`,
        fr: `La pétition a été retirée par ses auteurs${event.data.reason ? ` : ${event.data.reason}` : '.'}`,
        en: `The petitioners withdrew the petition${event.data.reason ? `: ${event.data.reason}` : '.'}`,
      };
    case 'ResponseDeadlineMissed':
      return {
        ar: `انقضى أجل ${day(event.data.dueAt)} دون أن يبت المجلس في قبول العريضة.`,
        fr: `Le délai du ${day(event.data.dueAt)} est dépassé sans décision du conseil sur la recevabilité.`,
        en: `The deadline of ${day(event.data.dueAt)} passed without the council deciding on admissibility.`,
      };
    case 'PetitionClosed':
      return {
        ar: `أُغلق ملف العريضة${event.data.note ? `: ${event.data.note}` : '.'}`,
        fr: `Le dossier de la pétition a été clos${event.data.note ? ` : ${event.data.note}` : '.'}`,
        en: `The petition was closed${event.data.note ? `: ${event.data.note}` : '.'}`,
      };
    case 'SignaturesInvalidated': {
      const n = signaturesInWords(event.data.count);
      const why = invalidationReasonLabels(event.data.reasonCode);
      return {
        ar: `تحقق ${by.ar} من التوقيعات وألغى منها: ${n.ar}. السبب: ${why.ar}.`,
        fr: `Après vérification, ${by.fr} a invalidé ${n.fr}. Motif : ${why.fr}.`,
        en: `After a check, ${by.en} invalidated ${n.en}. Reason: ${why.en}.`,
      };
    }
    case 'SignaturesReinstated': {
      const n = signaturesInWords(event.data.count);
      const why = reinstatementReasonLabels(event.data.reasonCode);
      return {
        ar: `أعاد ${by.ar} احتساب توقيعات سبق إلغاؤها: ${n.ar}. السبب: ${why.ar}.`,
        fr: `${capitalise(by.fr)} a rétabli ${n.fr} ${PLURAL.fr.select(event.data.count) === 'one' ? 'invalidée' : 'invalidées'} auparavant. Motif : ${why.fr}.`,
        en: `${capitalise(by.en)} reinstated ${n.en} invalidated earlier. Reason: ${why.en}.`,
      };
    }
    default:
      return null;
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

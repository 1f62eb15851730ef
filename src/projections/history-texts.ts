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

const LOCALE: Texts = { ar: 'ar-MA-u-nu-latn', fr: 'fr-MA', en: 'en-GB' };
type DateFormats = Record<Lang, Intl.DateTimeFormat>;
/** A formatter per language, made once: creating one costs more than many formats (a rebuild writes these sentences by the thousand). */
const dateFormats = (options: Intl.DateTimeFormatOptions): DateFormats => ({
  ar: new Intl.DateTimeFormat(LOCALE.ar, { ...options, timeZone: 'UTC' }),
  fr: new Intl.DateTimeFormat(LOCALE.fr, { ...options, timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat(LOCALE.en, { ...options, timeZone: 'UTC' }),
});
const MONTH_FORMATS = dateFormats({ month: 'long', year: 'numeric' });
const DAY_FORMATS = dateFormats({ day: 'numeric', month: 'long', year: 'numeric' });
const inWords = (iso: string, formats: DateFormats): Texts => {
  const date = new Date(iso.length === 7 ? `${iso}-01T00:00:00Z` : `${iso.slice(0, 10)}T00:00:00Z`);
  // French writes the first of the month as an ordinal: « le 1er mai ».
  return { ar: formats.ar.format(date), fr: formats.fr.format(date).replace(/^1 /, '1er '), en: formats.en.format(date) };
};
const monthInWords = (month: string) => inWords(month, MONTH_FORMATS);
const dayInWords = (iso: string) => inWords(iso, DAY_FORMATS);

const PLURAL: Record<Lang, Intl.PluralRules> = { ar: new Intl.PluralRules('ar'), fr: new Intl.PluralRules('fr'), en: new Intl.PluralRules('en') };

/** Words for a count, by the language's plural category (ICU rules: Arabic has six). */
function counted(n: number, forms: Record<Lang, Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }>): Texts {
  const pick = (lang: Lang) => (forms[lang][PLURAL[lang].select(n)] ?? forms[lang].other).replace('#', String(n));
  return { ar: pick('ar'), fr: pick('fr'), en: pick('en') };
}

const identityCopies = (n: number) =>
  counted(n, {
    ar: {
      one: 'مع نسخة واحدة من بطاقة التعريف الوطنية',
      two: 'مع نسختين من بطائق التعريف الوطنية',
      few: 'مع # نسخ من بطائق التعريف الوطنية',
      other: 'مع # نسخة من بطائق التعريف الوطنية',
    },
    fr: { one: "avec # copie de carte nationale d'identité", other: "avec # copies de cartes nationales d'identité" },
    en: { one: 'with # identity-card copy', other: 'with # identity-card copies' },
  });

const members = (n: number) =>
  counted(n, {
    ar: { one: 'عضو واحد', two: 'عضوان', few: '# أعضاء', many: '# عضوا', other: '# عضو' },
    fr: { one: '# membre', other: '# membres' },
    en: { one: '# member', other: '# members' },
  });

/** "n signatures" by each language's plural rules (CLDR): Arabic has six forms, French counts 0 and 1 as singular. */
export function signaturesInWords(n: number): Texts {
  return counted(n, {
    ar: { zero: 'لا توقيع', one: 'توقيع واحد', two: 'توقيعان', few: '# توقيعات', many: '# توقيعا', other: '# توقيع' },
    fr: { one: '# signature', other: '# signatures' },
    en: { one: '# signature', other: '# signatures' },
  });
}

type FiledData = Extract<ProjectedEvent, { type: 'PetitionFiled' }>['data'];

/** What the filing declares attached, as the clerk sees it; empty for filings before it was recorded. */
function documentsInWords(d: FiledData): Texts {
  const docs = d.declaredDocuments;
  if (!docs || (docs.petitionerType === 'citizens' && docs.identityCardCopies === 0)) return { ar: '', fr: '', en: '' };
  if (docs.petitionerType === 'citizens') {
    const copies = identityCopies(docs.identityCardCopies);
    return { ar: ` ${copies.ar}`, fr: ` ${copies.fr}`, en: ` ${copies.en}` };
  }
  const count = members(docs.memberCount);
  const missing = (
    [
      [
        'constitutionProof',
        { ar: 'الوصل النهائي أو ما يثبت التأسيس', fr: 'récépissé définitif ou preuve de constitution', en: 'final receipt or proof of constitution' },
      ],
      ['statutes', { ar: 'النظام الأساسي', fr: 'statuts', en: 'statutes' }],
      ['representativePowers', { ar: 'ما يثبت صفة الممثل', fr: 'preuve des pouvoirs du représentant', en: "proof of the representative's powers" }],
    ] as const
  )
    .filter(([key]) => !docs[key])
    .map(([, label]) => label);
  return {
    ar: ` (الجمعية تضم ${count.ar}${missing.length ? `؛ وثائق غير مرفقة: ${missing.map((m) => m.ar).join('، ')}` : '؛ الوثائق المطلوبة مرفقة'})`,
    fr: ` (l'association compte ${count.fr}${missing.length ? ` ; pièces non jointes : ${missing.map((m) => m.fr).join(', ')}` : ' ; pièces requises jointes'})`,
    en: ` (the association has ${count.en}${missing.length ? `; documents not attached: ${missing.map((m) => m.en).join(', ')}` : '; required documents attached'})`,
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
      const docs = documentsInWords(event.data);
      return {
        ar: `أودع${assoc ? 'ت الجمعية' : ' الوكيل'} العريضة «${event.data.title}»${docs.ar} وفُتح باب التوقيع${event.data.thresholdApplies ? ` (النصاب: ${signaturesInWords(event.data.threshold.required).ar})` : ''}.`,
        fr: `${assoc ? "L'association a déposé" : 'Le mandataire a déposé'} la pétition « ${event.data.title} »${docs.fr} ; la collecte des signatures est ouverte${event.data.thresholdApplies ? ` (seuil : ${event.data.threshold.required} signatures)` : ''}.`,
        en: `${assoc ? 'The association filed' : 'The agent filed'} the petition “${event.data.title}”${docs.en}; signature collection opened${event.data.thresholdApplies ? ` (threshold: ${event.data.threshold.required} signatures)` : ''}.`,
      };
    }
    case 'SignatureThresholdReached':
      return {
        ar: `بلغت العريضة النصاب القانوني: ${signaturesInWords(event.data.count).ar} من أصل ${event.data.required} مطلوبة.`,
        fr: `La pétition a atteint le seuil légal : ${event.data.count} signatures pour ${event.data.required} requises.`,
        en: `The petition reached its legal threshold: ${event.data.count} signatures of the ${event.data.required} required.`,
      };
    case 'PetitionSubmittedToCouncil':
      return {
        ar: `أُحيلت العريضة على المجلس بـ${signaturesInWords(event.data.signatureCount).ar}؛ أجل البت: ${day(event.data.responseDueAt)}.`,
        fr: `La pétition a été déposée auprès du conseil avec ${event.data.signatureCount} signatures ; décision attendue au plus tard le ${day(event.data.responseDueAt)}.`,
        en: `The petition was submitted to the council with ${event.data.signatureCount} signatures; a decision is due by ${day(event.data.responseDueAt)}.`,
      };
    case 'PetitionDeclaredAdmissible': {
      const target = event.data.targetSession;
      if (!target) {
        return {
          ar: `قرر مكتب المجلس قبول العريضة وإدراجها في جدول أعمال ${event.data.agendaSession ?? ''}، وأحالها على ${event.data.committee} (سجله ${by.ar}).`,
          fr: `Le bureau du conseil a déclaré la pétition recevable, inscrite à l'ordre du jour de : ${event.data.agendaSession ?? ''}, et renvoyée à : ${event.data.committee} (enregistré par ${by.fr}).`,
          en: `The council bureau declared the petition admissible, placed it on the agenda of ${event.data.agendaSession ?? ''} and referred it to ${event.data.committee} (recorded by ${by.en}).`,
        };
      }
      const month = monthInWords(target.month);
      const opens = dayInWords(target.opensOn);
      const named = event.data.agendaSession
        ? { ar: ` («${event.data.agendaSession}»)`, fr: ` (« ${event.data.agendaSession} »)`, en: ` (“${event.data.agendaSession}”)` }
        : { ar: '', fr: '', en: '' };
      return {
        ar: `قرر مكتب المجلس قبول العريضة، وأحالها على ${event.data.committee} (سجله ${by.ar}). يجب إدراجها في جدول أعمال الدورة العادية لشهر ${month.ar}${named.ar}، التي تنعقد ابتداء من ${opens.ar}.`,
        fr: `Le bureau du conseil a déclaré la pétition recevable et l'a renvoyée à : ${event.data.committee} (enregistré par ${by.fr}). Elle doit être inscrite à l'ordre du jour de la session ordinaire de ${month.fr}${named.fr}, qui s'ouvre à partir du ${opens.fr}.`,
        en: `The council bureau declared the petition admissible and referred it to ${event.data.committee} (recorded by ${by.en}). It is due on the agenda of the ${month.en} ordinary session${named.en}, opening from ${opens.en}.`,
      };
    }
    case 'AgendaSessionMissed': {
      const month = monthInWords(event.data.sessionMonth);
      const ends = dayInWords(event.data.sessionEndsOn);
      return {
        ar: `انتهت الدورة العادية لشهر ${month.ar} (${ends.ar}) دون تسجيل جواب المجلس على العريضة المقبولة.`,
        fr: `La session ordinaire de ${month.fr} s'est achevée (${ends.fr}) sans qu'aucune réponse du conseil à la pétition recevable ne soit enregistrée.`,
        en: `The ${month.en} ordinary session ended (${ends.en}) with no response from the council recorded for the admissible petition.`,
      };
    }
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

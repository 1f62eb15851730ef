/**
 * Why a council invalidates signatures, and why it reinstates them: stable codes with their
 * labels in Arabic, French and English. Codes, never free text: what the public page shows of a
 * fraud check is how many signatures and why, and a code cannot carry anyone's name.
 */
export type Labels = { ar: string; fr: string; en: string };

export const INVALIDATION_REASONS = {
  automated_or_forged: {
    ar: 'توقيعات آلية أو مزورة',
    fr: 'Signatures automatisées ou falsifiées',
    en: 'Automated or forged signatures',
  },
  not_on_electoral_list: {
    ar: 'موقعون غير مسجلين في اللوائح الانتخابية العامة',
    fr: 'Signataires non inscrits sur les listes électorales générales',
    en: 'Signatories not registered on the general electoral lists',
  },
  no_link_to_territory: {
    ar: 'موقعون لا تربطهم بتراب الجماعة الترابية إقامة ولا نشاط',
    fr: 'Signataires sans résidence ni activité dans le territoire de la collectivité',
    en: "Signatories with no residence or activity in the council's territory",
  },
  identity_not_verified: {
    ar: 'تعذر التحقق من هوية الموقعين',
    fr: 'Identité des signataires non vérifiable',
    en: "Signatories' identity could not be verified",
  },
  irregular_paper_sheet: {
    ar: 'ورقة توقيعات غير سليمة',
    fr: 'Feuille de signatures irrégulière',
    en: 'Irregular paper signature sheet',
  },
  signed_under_pressure: {
    ar: 'توقيعات انتُزعت تحت الضغط أو مقابل منفعة',
    fr: 'Signatures obtenues sous la pression ou contre un avantage',
    en: 'Signatures obtained under pressure or in exchange for a benefit',
  },
} as const satisfies Record<string, Labels>;

export type InvalidationReason = keyof typeof INVALIDATION_REASONS;
export const INVALIDATION_REASON_CODES = Object.keys(INVALIDATION_REASONS) as InvalidationReason[];

export const REINSTATEMENT_REASONS = {
  verified_valid: {
    ar: 'ثبتت صحة التوقيعات بعد التحقق',
    fr: 'Signatures vérifiées et reconnues valides',
    en: 'Signatures verified and found valid',
  },
  invalidated_in_error: {
    ar: 'أُلغيت التوقيعات خطأ',
    fr: 'Signatures invalidées par erreur',
    en: 'Signatures invalidated in error',
  },
  appeal_upheld: {
    ar: 'قُبل التظلم المقدم ضد الإلغاء',
    fr: "Recours contre l'invalidation accueilli",
    en: 'Appeal against the invalidation upheld',
  },
} as const satisfies Record<string, Labels>;

export type ReinstatementReason = keyof typeof REINSTATEMENT_REASONS;
export const REINSTATEMENT_REASON_CODES = Object.keys(REINSTATEMENT_REASONS) as ReinstatementReason[];

export const invalidationReasonLabels = (code: string): Labels => (INVALIDATION_REASONS as Record<string, Labels>)[code] ?? { ar: code, fr: code, en: code };
export const reinstatementReasonLabels = (code: string): Labels => (REINSTATEMENT_REASONS as Record<string, Labels>)[code] ?? { ar: code, fr: code, en: code };

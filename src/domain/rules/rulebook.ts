/**
 * The council rulebook: thresholds, deadlines, reason codes and limits, as data.
 * Every number carries where it comes from and how sure we are of it, because several rules
 * are widely repeated but not yet confirmed against the Bulletin Officiel (see rulebook/README.md).
 */

export type Confidence = 'verified' | 'to-confirm';
export type CouncilLevel = 'commune' | 'province' | 'region' | 'national';

export interface Sourced<T> {
  value: T;
  source: string;
  confidence: Confidence;
  note?: string;
}

export interface Labels {
  ar: string;
  fr: string;
  en: string;
}

/** A population band: applies when population < populationBelow (or always, when absent). */
export interface ThresholdBand {
  populationBelow?: number;
  signatures: Sourced<number>;
}

export interface LevelRules {
  law: { organicLaw: string; articles: string; formDecree: string; confidence: Confidence };
  /** Citizens' petitions: the first band whose populationBelow exceeds the population applies. */
  thresholdBands: ThresholdBand[];
  /** Communes with arrondissements (Casablanca, Rabat, Fès, Marrakech, Salé, Tanger). */
  thresholdWithArrondissements?: Sourced<number>;
  /** Regions: the share of the required number every province must supply, in percent. */
  provinceSharePercent?: Sourced<number>;
  /** Months from submission to the council's admissibility decision. */
  responseDeadlineMonths: Sourced<number>;
  /** Who may petition, rule by rule with its article. */
  eligibility?: EligibilityRule[];
  /** The ordinary sessions and the agenda notice (councils may override). */
  sessions?: SessionCalendar;
}

export interface ReasonCode {
  code: string;
  labels: Labels;
  /** The articles the ground rests on, per level; null: no legal basis (kept only to read old decisions). */
  legalBasis: Partial<Record<CouncilLevel, string>> | null;
  /** False: refused in new decisions, shown only for decisions already recorded. */
  acceptedInNewDecisions?: boolean;
}

export interface LengthLimit {
  min: number;
  max: number;
}

export interface Rulebook {
  version: string;
  levels: Partial<Record<CouncilLevel, LevelRules>>;
  association: { minYearsConstituted: Sourced<number> };
  inadmissibilityReasons: ReasonCode[];
  limits: {
    title: LengthLimit;
    subject: LengthLimit;
    requests: LengthLimit;
    reasons: LengthLimit;
    decisionText: LengthLimit;
  };
}

export interface Council {
  id: string;
  level: CouncilLevel;
  name: Labels;
  population: Sourced<number> & { year: number };
  /** Communes: true for the six with arrondissements. */
  hasArrondissements?: boolean;
  /** Communes: their province or prefecture. */
  provinceId?: string;
  /** Communes and provinces: their region. */
  regionId?: string;
  /** Months of the ordinary sessions (1–12), where known. */
  ordinarySessionMonths?: Sourced<number[]>;
  /** The council's own session calendar, where it differs from its level's. */
  sessionCalendar?: Partial<SessionCalendar>;
}

export interface CouncilRegistry {
  councils: Council[];
}

export interface ThresholdRule {
  required: number;
  /** Regions only: every province of the region must reach its share. */
  provinceShares?: { provinceId: string; required: number }[];
}

export class RulebookError extends Error {
  override name = 'RulebookError';
}

export function levelRules(rulebook: Rulebook, level: CouncilLevel): LevelRules {
  const rules = rulebook.levels[level];
  if (!rules) throw new RulebookError(`The rulebook has no rules for the ${level} level`);
  return rules;
}

/** The signatures a citizens' petition to this council needs, from its level and population. */
export function thresholdFor(rulebook: Rulebook, registry: CouncilRegistry, council: Council): ThresholdRule {
  const rules = levelRules(rulebook, council.level);
  let required: number;
  if (council.hasArrondissements && rules.thresholdWithArrondissements) {
    required = rules.thresholdWithArrondissements.value;
  } else {
    const band = rules.thresholdBands.find((b) => b.populationBelow === undefined || council.population.value < b.populationBelow);
    if (!band) throw new RulebookError(`No threshold band fits ${council.id} (population ${council.population.value})`);
    required = band.signatures.value;
  }
  if (council.level !== 'region' || !rules.provinceSharePercent) return { required };
  const share = Math.ceil((required * rules.provinceSharePercent.value) / 100);
  const provinceShares = provincesOf(registry, council.id).map((p) => ({ provinceId: p.id, required: share }));
  return { required, provinceShares };
}

export function provincesOf(registry: CouncilRegistry, regionId: string): Council[] {
  return registry.councils.filter((c) => c.level === 'province' && c.regionId === regionId);
}

/** The territory a signer may declare a link to: the council itself, or for a region one of its provinces. */
export function isProvinceOfRegion(registry: CouncilRegistry, regionId: string, provinceId: string): boolean {
  return provincesOf(registry, regionId).some((p) => p.id === provinceId);
}

/**
 * Calendar months after an instant, in UTC; the day is clamped to the month's end
 * (submitted 31 May, due 31 August; submitted 30 November, due 28 or 29 February).
 */
export function addMonthsUtc(instant: string, months: number): string {
  const d = new Date(instant);
  const day = d.getUTCDate();
  const target = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString();
}

export function responseDueAt(rulebook: Rulebook, level: CouncilLevel, submittedAt: string): { dueAt: string; months: number } {
  const months = levelRules(rulebook, level).responseDeadlineMonths.value;
  return { dueAt: addMonthsUtc(submittedAt, months), months };
}

/** The rulebook and the council registry loaded at start, as injected into the command side. */
export interface RulesInForce {
  rulebook: Rulebook;
  registry: CouncilRegistry;
}

/**
 * Who may petition, per level, as the organic laws word it: each rule names its article and how
 * sure we are of it. `id` is what the deciders look for; `value` carries a number where the rule
 * has one (the provincial association's minimum membership).
 */
export type EligibilityRuleId = 'territorial-link' | 'electoral-lists' | 'interest' | 'association-conditions' | 'association-members';

export interface EligibilityRule {
  id: EligibilityRuleId;
  article: string;
  wording: Labels;
  confidence: Confidence;
  value?: number;
  note?: string;
}

/** How a level's ordinary sessions open: the first week (day 1 of the month), or its first or second Monday. */
export type SessionOpening = 'first-week' | 'first-monday' | 'second-monday';

export interface SessionCalendar {
  months: Sourced<number[]>;
  opening: Sourced<SessionOpening>;
  /** The agenda reaches the governor or wali at least this many days before the session opens. */
  agendaNoticeDays: Sourced<number>;
  /** The session ends at the latest this many days after it opens (its legal maximum length). */
  maxDurationDays: Sourced<number>;
}

/** A council's calendar: its level's, with the council's own overrides. */
export function sessionCalendarFor(rulebook: Rulebook, council: Council): SessionCalendar {
  const calendar = levelRules(rulebook, council.level).sessions;
  if (!calendar) throw new RulebookError(`The rulebook has no session calendar for the ${council.level} level`);
  return {
    ...calendar,
    ...(council.ordinarySessionMonths ? { months: council.ordinarySessionMonths } : {}),
    ...(council.sessionCalendar ?? {}),
  };
}

/** The ordinary session an accepted petition is due at, as recorded with the decision. */
export interface TargetSession {
  /** The session's month, `YYYY-MM`. */
  month: string;
  /** Opening day (YYYY-MM-DD, Morocco's calendar day) and the last day the agenda can be sent. */
  opensOn: string;
  agendaClosesOn: string;
  /** The latest day the session can last to; the response is expected by the end of it. */
  endsOn: string;
  /** When the session counts as over: the start of the day after endsOn, UTC. */
  endsAt: string;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The day an ordinary session opens in a given month (UTC midnight, ms). */
export function sessionOpening(year: number, month: number, opening: SessionOpening): number {
  const first = Date.UTC(year, month - 1, 1);
  if (opening === 'first-week') return first;
  const weekday = new Date(first).getUTCDay(); // 0 Sunday … 1 Monday
  const firstMonday = first + ((8 - weekday) % 7) * DAY_MS;
  return opening === 'first-monday' ? firstMonday : firstMonday + 7 * DAY_MS;
}

/**
 * The next ordinary session whose agenda is still open on the decision day: the agenda is sent at
 * least `agendaNoticeDays` before the opening, so a decision taken on or before the cut-off day goes
 * to that session and a later one to the session after. Days are calendar days in UTC.
 */
export function targetSessionFor(calendar: SessionCalendar, decidedAt: string): TargetSession {
  const decided = new Date(decidedAt);
  const decisionDay = Date.UTC(decided.getUTCFullYear(), decided.getUTCMonth(), decided.getUTCDate());
  const months = [...new Set(calendar.months.value)].sort((a, b) => a - b);
  if (months.length === 0) throw new RulebookError('A session calendar names at least one month');
  for (let year = decided.getUTCFullYear(); year <= decided.getUTCFullYear() + 2; year += 1) {
    for (const month of months) {
      const opens = sessionOpening(year, month, calendar.opening.value);
      const cutoff = opens - calendar.agendaNoticeDays.value * DAY_MS;
      if (decisionDay > cutoff) continue;
      const ends = opens + (calendar.maxDurationDays.value - 1) * DAY_MS;
      return {
        month: `${year}-${String(month).padStart(2, '0')}`,
        opensOn: isoDay(opens),
        agendaClosesOn: isoDay(cutoff),
        endsOn: isoDay(ends),
        endsAt: new Date(ends + DAY_MS).toISOString(),
      };
    }
  }
  throw new RulebookError('No ordinary session within two years of the decision');
}

/** The eligibility rule of a level, or undefined where the law has no such condition. */
export function eligibilityRule(rulebook: Rulebook, level: CouncilLevel, id: EligibilityRuleId): EligibilityRule | undefined {
  return (rulebook.levels[level]?.eligibility ?? []).find((r) => r.id === id);
}

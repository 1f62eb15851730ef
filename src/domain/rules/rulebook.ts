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
}

export interface ReasonCode {
  code: string;
  labels: Labels;
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

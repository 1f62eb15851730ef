import * as fs from 'node:fs';
import * as path from 'node:path';
import { Confidence, CouncilLevel, CouncilRegistry, Rulebook, RulebookError } from '../../domain/rules/rulebook';

/** DI token for the loaded `{ rulebook, registry }`. */
export const RULEBOOK = Symbol('RULEBOOK');

export interface LoadedRulebook {
  rulebook: Rulebook;
  registry: CouncilRegistry;
}

const RULEBOOK_FILE = 'rulebook.json';
const COUNCILS_FILE = 'councils.json';
const LEVELS: readonly CouncilLevel[] = ['commune', 'province', 'region', 'national'];
const CONFIDENCES: readonly Confidence[] = ['verified', 'to-confirm'];
const LIMIT_KEYS = ['title', 'subject', 'requests', 'reasons', 'decisionText'] as const;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Loads and validates `rulebook.json` and `councils.json`.
 * Directory: the argument, else `RULEBOOK_DIR`, else the first `rulebook/` folder holding a
 * `rulebook.json` found walking up from this file (works from `src/` under ts-jest and from
 * `dist/src/` after tsc). Throws a RulebookError listing every problem with its JSON path.
 */
export function loadRulebook(dir?: string): LoadedRulebook {
  const root = resolveDir(dir);
  const problems: string[] = [];
  const rulebookJson = readJson(path.join(root, RULEBOOK_FILE), problems);
  const councilsJson = readJson(path.join(root, COUNCILS_FILE), problems);
  if (rulebookJson !== undefined) {
    validateRulebook(rulebookJson, (p, m) => problems.push(`${RULEBOOK_FILE}: ${p}: ${m}`));
  }
  if (councilsJson !== undefined) {
    const levels = rulebookJson !== undefined && isObject(rulebookJson) && isObject(rulebookJson.levels) ? rulebookJson.levels : undefined;
    validateRegistry(councilsJson, levels, (p, m) => problems.push(`${COUNCILS_FILE}: ${p}: ${m}`));
  }
  if (problems.length > 0) {
    throw new RulebookError(
      `Invalid rulebook data in ${root} (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n` + problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
  return { rulebook: rulebookJson as Rulebook, registry: councilsJson as CouncilRegistry };
}

function resolveDir(dir?: string): string {
  if (dir) return path.resolve(dir);
  const fromEnv = process.env.RULEBOOK_DIR;
  if (fromEnv) return path.resolve(fromEnv);
  let current = __dirname;
  for (;;) {
    const candidate = path.join(current, 'rulebook');
    if (fs.existsSync(path.join(candidate, RULEBOOK_FILE))) return candidate;
    const parent = path.dirname(current);
    if (parent === current) {
      throw new RulebookError(`No rulebook/${RULEBOOK_FILE} found in any folder above ${__dirname}; set RULEBOOK_DIR or pass the directory`);
    }
    current = parent;
  }
}

function readJson(file: string, problems: string[]): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    problems.push(`${path.basename(file)}: cannot read ${file}: ${(e as Error).message}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    problems.push(`${path.basename(file)}: invalid JSON: ${(e as Error).message}`);
    return undefined;
  }
}

type Report = (jsonPath: string, message: string) => void;
type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v));

function expectObject(v: unknown, at: string, report: Report): v is Obj {
  if (isObject(v)) return true;
  report(at, `expected an object, got ${show(v)}`);
  return false;
}

function expectString(obj: Obj, key: string, at: string, report: Report): void {
  if (!isNonEmptyString(obj[key])) report(`${at}.${key}`, `expected a non-empty string, got ${show(obj[key])}`);
}

function expectConfidence(v: unknown, at: string, report: Report): void {
  if (!CONFIDENCES.includes(v as Confidence)) {
    report(at, `expected one of ${CONFIDENCES.map((c) => `"${c}"`).join(', ')}, got ${show(v)}`);
  }
}

/** A Sourced<T>: value (checked by `checkValue`, which returns a problem or undefined), source, confidence, optional note. */
function checkSourced(v: unknown, at: string, report: Report, checkValue: (value: unknown) => string | undefined): v is Obj {
  if (!expectObject(v, at, report)) return false;
  if (!('value' in v)) report(`${at}.value`, 'missing');
  else {
    const problem = checkValue(v.value);
    if (problem) report(`${at}.value`, problem);
  }
  expectString(v, 'source', at, report);
  expectConfidence(v.confidence, `${at}.confidence`, report);
  if (v.note !== undefined && typeof v.note !== 'string') report(`${at}.note`, `expected a string, got ${show(v.note)}`);
  return true;
}

const positiveInt = (v: unknown) => (isPositiveInt(v) ? undefined : `expected a positive integer, got ${show(v)}`);
const percent = (v: unknown) => (typeof v === 'number' && v > 0 && v <= 100 ? undefined : `expected a percentage in (0, 100], got ${show(v)}`);

function checkLabels(v: unknown, at: string, report: Report): void {
  if (!expectObject(v, at, report)) return;
  for (const lang of ['ar', 'fr', 'en']) expectString(v, lang, at, report);
}

function validateRulebook(data: unknown, report: Report): void {
  if (!expectObject(data, '$', report)) return;
  expectString(data, 'version', '$', report);

  if (expectObject(data.levels, 'levels', report)) {
    const levels = data.levels;
    if (Object.keys(levels).length === 0) report('levels', 'no level has rules');
    for (const [level, rules] of Object.entries(levels)) {
      const at = `levels.${level}`;
      if (!LEVELS.includes(level as CouncilLevel)) report(at, `unknown level; expected one of ${LEVELS.join(', ')}`);
      validateLevelRules(rules, at, report);
    }
  }

  if (expectObject(data.association, 'association', report)) {
    checkSourced(data.association.minYearsConstituted, 'association.minYearsConstituted', report, (v) =>
      typeof v === 'number' && v >= 0 ? undefined : `expected a non-negative number, got ${show(v)}`,
    );
  }

  if (!Array.isArray(data.inadmissibilityReasons)) {
    report('inadmissibilityReasons', `expected an array, got ${show(data.inadmissibilityReasons)}`);
  } else {
    const seen = new Map<string, number>();
    data.inadmissibilityReasons.forEach((reason: unknown, i: number) => {
      const at = `inadmissibilityReasons[${i}]`;
      if (!expectObject(reason, at, report)) return;
      if (!isNonEmptyString(reason.code)) report(`${at}.code`, `expected a non-empty string, got ${show(reason.code)}`);
      else if (seen.has(reason.code)) {
        report(`${at}.code`, `duplicate code "${reason.code}" (also inadmissibilityReasons[${seen.get(reason.code)}])`);
      } else seen.set(reason.code, i);
      checkLabels(reason.labels, `${at}.labels`, report);
      // Every ground names its articles per level, or says it has none (null).
      const basis = reason.legalBasis;
      if (basis !== null && !(isObject(basis) && Object.entries(basis).every(([k, v]) => LEVELS.includes(k as CouncilLevel) && isNonEmptyString(v)))) {
        report(`${at}.legalBasis`, `expected null or an article per level, got ${show(basis)}`);
      }
      if (reason.acceptedInNewDecisions !== undefined && typeof reason.acceptedInNewDecisions !== 'boolean') {
        report(`${at}.acceptedInNewDecisions`, `expected a boolean, got ${show(reason.acceptedInNewDecisions)}`);
      }
    });
    if (data.inadmissibilityReasons.length === 0) report('inadmissibilityReasons', 'no reason codes');
  }

  if (expectObject(data.limits, 'limits', report)) {
    const limits = data.limits;
    for (const key of LIMIT_KEYS) {
      const at = `limits.${key}`;
      const limit = limits[key];
      if (!expectObject(limit, at, report)) continue;
      const { min, max } = limit;
      if (!Number.isInteger(min) || (min as number) < 0) report(`${at}.min`, `expected a non-negative integer, got ${show(min)}`);
      if (!isPositiveInt(max)) report(`${at}.max`, `expected a positive integer, got ${show(max)}`);
      if (Number.isInteger(min) && Number.isInteger(max) && (min as number) > (max as number)) {
        report(at, `min ${show(min)} is greater than max ${show(max)}`);
      }
    }
  }
}

function validateLevelRules(rules: unknown, at: string, report: Report): void {
  if (!expectObject(rules, at, report)) return;
  if (expectObject(rules.law, `${at}.law`, report)) {
    for (const key of ['organicLaw', 'articles', 'formDecree']) expectString(rules.law, key, `${at}.law`, report);
    expectConfidence(rules.law.confidence, `${at}.law.confidence`, report);
  }

  const bandsAt = `${at}.thresholdBands`;
  if (!Array.isArray(rules.thresholdBands) || rules.thresholdBands.length === 0) {
    report(bandsAt, `expected a non-empty array, got ${show(rules.thresholdBands)}`);
  } else {
    const bands: unknown[] = rules.thresholdBands;
    let previous: number | undefined;
    bands.forEach((band, i) => {
      const bandAt = `${bandsAt}[${i}]`;
      if (!expectObject(band, bandAt, report)) return;
      const last = i === bands.length - 1;
      const below = band.populationBelow;
      if (below === undefined) {
        if (!last) report(`${bandAt}.populationBelow`, 'only the final band may be open (no populationBelow)');
      } else if (!isPositiveInt(below)) {
        report(`${bandAt}.populationBelow`, `expected a positive integer, got ${show(below)}`);
      } else {
        if (last) report(`${bandAt}.populationBelow`, 'the final band must be open (no populationBelow) so every population fits');
        if (previous !== undefined && below <= previous) {
          report(`${bandAt}.populationBelow`, `bands must be in increasing order: ${below} is not above ${previous}`);
        }
        previous = below;
      }
      checkSourced(band.signatures, `${bandAt}.signatures`, report, positiveInt);
    });
  }

  if (rules.thresholdWithArrondissements !== undefined) {
    checkSourced(rules.thresholdWithArrondissements, `${at}.thresholdWithArrondissements`, report, positiveInt);
  }
  if (rules.provinceSharePercent !== undefined) {
    checkSourced(rules.provinceSharePercent, `${at}.provinceSharePercent`, report, percent);
  }
  checkSourced(rules.responseDeadlineMonths, `${at}.responseDeadlineMonths`, report, positiveInt);
  if (rules.eligibility !== undefined) validateEligibility(rules.eligibility, `${at}.eligibility`, report);
  if (rules.sessions !== undefined) validateSessions(rules.sessions, `${at}.sessions`, report, true);
}

const ELIGIBILITY_IDS = ['territorial-link', 'electoral-lists', 'interest', 'association-conditions', 'association-members'];
const SESSION_OPENINGS = ['first-week', 'first-monday', 'second-monday'];
const months = (v: unknown) =>
  Array.isArray(v) && v.length > 0 && v.every((m) => Number.isInteger(m) && m >= 1 && m <= 12)
    ? undefined
    : `expected a non-empty array of months 1–12, got ${show(v)}`;

function validateEligibility(rules: unknown, at: string, report: Report): void {
  if (!Array.isArray(rules)) return report(at, `expected an array, got ${show(rules)}`);
  rules.forEach((rule: unknown, i: number) => {
    const ruleAt = `${at}[${i}]`;
    if (!expectObject(rule, ruleAt, report)) return;
    if (!ELIGIBILITY_IDS.includes(rule.id as string)) report(`${ruleAt}.id`, `expected one of ${ELIGIBILITY_IDS.join(', ')}, got ${show(rule.id)}`);
    expectString(rule, 'article', ruleAt, report);
    checkLabels(rule.wording, `${ruleAt}.wording`, report);
    expectConfidence(rule.confidence, `${ruleAt}.confidence`, report);
    if (rule.id === 'association-members' && positiveInt(rule.value)) report(`${ruleAt}.value`, `expected a positive integer, got ${show(rule.value)}`);
  });
}

/** A level's calendar needs every part; a council's override only the parts it changes. */
function validateSessions(calendar: unknown, at: string, report: Report, complete: boolean): void {
  if (!expectObject(calendar, at, report)) return;
  const parts: [string, (v: unknown) => string | undefined][] = [
    ['months', months],
    ['opening', (v) => (SESSION_OPENINGS.includes(v as string) ? undefined : `expected one of ${SESSION_OPENINGS.join(', ')}, got ${show(v)}`)],
    ['agendaNoticeDays', positiveInt],
    ['maxDurationDays', positiveInt],
  ];
  for (const [key, check] of parts) {
    if (calendar[key] === undefined && !complete) continue;
    checkSourced(calendar[key], `${at}.${key}`, report, check);
  }
}

function validateRegistry(data: unknown, levels: Obj | undefined, report: Report): void {
  if (!expectObject(data, '$', report)) return;
  if (!Array.isArray(data.councils)) {
    report('councils', `expected an array, got ${show(data.councils)}`);
    return;
  }
  const councils: unknown[] = data.councils;

  // First pass: ids and levels, so references can be checked whatever the order of entries.
  const byId = new Map<string, { index: number; level: unknown }>();
  councils.forEach((c, i) => {
    if (!isObject(c) || !isNonEmptyString(c.id)) return;
    if (byId.has(c.id)) report(`councils[${i}].id`, `duplicate id "${c.id}" (also councils[${byId.get(c.id)!.index}])`);
    else byId.set(c.id, { index: i, level: c.level });
  });

  const reference = (c: Obj, key: 'provinceId' | 'regionId', expected: CouncilLevel, at: string): string | undefined => {
    const ref = c[key];
    const noun = expected === 'province' ? 'province' : 'region';
    if (ref === undefined) {
      report(`${at}.${key}`, `missing (a ${String(c.level)} must name its ${noun})`);
      return undefined;
    }
    if (!isNonEmptyString(ref)) {
      report(`${at}.${key}`, `expected a council id, got ${show(ref)}`);
      return undefined;
    }
    const target = byId.get(ref);
    if (!target) {
      report(`${at}.${key}`, `unknown ${noun} "${ref}"`);
      return undefined;
    }
    if (target.level !== expected) {
      report(`${at}.${key}`, `"${ref}" is a ${String(target.level)}, not a ${expected}`);
      return undefined;
    }
    return ref;
  };

  councils.forEach((c, i) => {
    const at = `councils[${i}]`;
    if (!expectObject(c, at, report)) return;
    if (!isNonEmptyString(c.id)) report(`${at}.id`, `expected a non-empty string, got ${show(c.id)}`);
    else if (!SLUG.test(c.id)) report(`${at}.id`, `"${c.id}" is not a lowercase slug (a-z, 0-9, single hyphens)`);

    const level = c.level;
    if (!LEVELS.includes(level as CouncilLevel)) {
      report(`${at}.level`, `expected one of ${LEVELS.join(', ')}, got ${show(level)}`);
    } else if (levels && !isObject(levels[level as string])) {
      report(`${at}.level`, `the rulebook has no rules for the ${String(level)} level`);
    }

    checkLabels(c.name, `${at}.name`, report);
    if (
      checkSourced(c.population, `${at}.population`, report, (v) =>
        Number.isInteger(v) && (v as number) >= 0 ? undefined : `expected a non-negative integer, got ${show(v)}`,
      )
    ) {
      const year = c.population.year;
      if (!Number.isInteger(year) || (year as number) < 1900 || (year as number) > 2100) {
        report(`${at}.population.year`, `expected a census year, got ${show(year)}`);
      }
    }

    if (c.hasArrondissements !== undefined) {
      if (typeof c.hasArrondissements !== 'boolean') {
        report(`${at}.hasArrondissements`, `expected a boolean, got ${show(c.hasArrondissements)}`);
      } else if (c.hasArrondissements && level !== 'commune') {
        report(`${at}.hasArrondissements`, 'only communes have arrondissements');
      } else if (c.hasArrondissements && levels && isObject(levels.commune) && levels.commune.thresholdWithArrondissements === undefined) {
        report(`${at}.hasArrondissements`, 'the commune rules have no thresholdWithArrondissements');
      }
    }

    if (level === 'commune') {
      const provinceId = reference(c, 'provinceId', 'province', at);
      const regionId = reference(c, 'regionId', 'region', at);
      if (provinceId && regionId) {
        const province = councils[byId.get(provinceId)!.index] as Obj;
        if (province.regionId !== undefined && province.regionId !== regionId) {
          report(`${at}.regionId`, `"${regionId}" differs from the region of its province "${provinceId}" (${show(province.regionId)})`);
        }
      }
    } else if (level === 'province') {
      reference(c, 'regionId', 'region', at);
      if (c.provinceId !== undefined) report(`${at}.provinceId`, 'a province has no provinceId');
    } else {
      if (c.provinceId !== undefined) report(`${at}.provinceId`, `a ${String(level)} has no provinceId`);
      if (c.regionId !== undefined) report(`${at}.regionId`, `a ${String(level)} has no regionId`);
    }

    if (level === 'region' && levels && isObject(levels.region) && levels.region.provinceSharePercent !== undefined && isNonEmptyString(c.id)) {
      const id = c.id;
      const hasProvince = councils.some((p) => isObject(p) && p.level === 'province' && p.regionId === id);
      if (!hasProvince) {
        report(at, `region "${id}" has no prefecture/province in the registry, so the provincial share cannot be checked`);
      }
    }

    if (c.ordinarySessionMonths !== undefined) {
      checkSourced(c.ordinarySessionMonths, `${at}.ordinarySessionMonths`, report, months);
    }
    if (c.sessionCalendar !== undefined) validateSessions(c.sessionCalendar, `${at}.sessionCalendar`, report, false);
  });
}

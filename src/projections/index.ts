import type { RulesInForce } from '../domain/rules/rulebook';
import { councilDashboardProjection } from './council-dashboard.projection';
import { dialogueProjection } from './dialogue.projection';
import { petitionHistoryProjection } from './petition-history.projection';
import { petitionsProjection } from './petitions.projection';
import type { Projection } from './projection';
import { signaturesProjection } from './signatures.projection';

export const PROJECTIONS = Symbol('PROJECTIONS');

/** Every read model the service maintains. */
export function allProjections(rules: RulesInForce): Projection[] {
  return [
    petitionsProjection(rules.registry),
    petitionHistoryProjection(rules.rulebook),
    signaturesProjection(),
    councilDashboardProjection(rules.registry),
    dialogueProjection(reasonLabelsOf(rules)),
  ];
}

function reasonLabelsOf(rules: RulesInForce) {
  const labels = new Map(rules.rulebook.inadmissibilityReasons.map((r) => [r.code, r.labels]));
  return (code: string) => labels.get(code) ?? { ar: code, fr: code, en: code };
}

import type { RulesInForce } from '../domain/rules/rulebook';
import { councilDashboardProjection } from './council-dashboard.projection';
import { petitionHistoryProjection } from './petition-history.projection';
import { petitionsProjection } from './petitions.projection';
import type { Projection } from './projection';
import { signaturesProjection } from './signatures.projection';

export const PROJECTIONS = Symbol('PROJECTIONS');

/** Every read model the service maintains. */
export function allProjections(rules: RulesInForce): Projection[] {
  return [petitionsProjection(rules.registry), petitionHistoryProjection(rules.rulebook), signaturesProjection(), councilDashboardProjection(rules.registry)];
}

/**
 * A command refused by a rule. `code` is stable: clients and the HTTP problem documents rely on
 * it. `kind` tells the edge which family of refusal it is, without the domain knowing HTTP.
 */
export type RefusalKind =
  | 'forbidden' // the actor may not do this
  | 'not_found'
  | 'conflict' // the petition is not in a state that allows it, or it already happened
  | 'rule'; // a legal rule refuses it (threshold, eligibility…)

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: RefusalKind = 'rule',
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const forbidden = (code: string, message: string) => new DomainError(code, message, 'forbidden');
export const conflict = (code: string, message: string, details?: Record<string, unknown>) => new DomainError(code, message, 'conflict', details);
export const refused = (code: string, message: string, details?: Record<string, unknown>) => new DomainError(code, message, 'rule', details);

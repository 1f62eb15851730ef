/**
 * Idempotency keys: a retried POST with the same key returns the first answer and appends nothing.
 * Keys are scoped to the caller, so two users cannot collide or read each other's answers.
 */
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

export type IdempotencyBegin = { state: 'new' } | { state: 'in_progress' } | { state: 'mismatch' } | { state: 'done'; status: number; body: unknown };

export interface IdempotencyStore {
  /** Claims the key for this request, or tells what happened to the first request that used it. */
  begin(scope: string, key: string, fingerprint: string, nowMs: number): Promise<IdempotencyBegin>;
  complete(scope: string, key: string, status: number, body: unknown): Promise<void>;
  /** The first request failed without appending: a retry may run again. */
  abandon(scope: string, key: string): Promise<void>;
}

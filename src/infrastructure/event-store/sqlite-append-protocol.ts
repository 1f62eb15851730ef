/** What the service and its append thread send each other (structured clone: plain values, bigints). */
import { AppendResult, EventData, ExpectedRevision, WrongExpectedVersionError } from './event-store.port';

export interface AppendRequest {
  streamId: string;
  events: EventData[];
  expected: ExpectedRevision;
}

export type AppendOutcome =
  | { ok: true; result: AppendResult }
  | { ok: false; error: { kind: 'wrong-version'; streamId: string; expected: ExpectedRevision; actual: bigint | 'no_stream' } }
  | { ok: false; error: { kind: 'error'; name: string; message: string; code?: string } };

export function outcomeOfError(error: unknown): AppendOutcome {
  if (error instanceof WrongExpectedVersionError) {
    return { ok: false, error: { kind: 'wrong-version', streamId: error.streamId, expected: error.expected, actual: error.actual } };
  }
  const e: Error & { code?: unknown } = error instanceof Error ? error : new Error(String(error));
  return { ok: false, error: { kind: 'error', name: e.name, message: e.message, ...(typeof e.code === 'string' ? { code: e.code } : {}) } };
}

/** The error again, as the caller would have got it from an append on its own connection. */
export function errorOfOutcome(outcome: Extract<AppendOutcome, { ok: false }>): Error {
  const e = outcome.error;
  if (e.kind === 'wrong-version') return new WrongExpectedVersionError(e.streamId, e.expected, e.actual);
  const error = Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
  error.name = e.name;
  return error;
}

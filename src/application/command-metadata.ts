/**
 * Why a command happens, as the application records it: who acts and which request or event
 * caused it. The HTTP edge builds it from the request (infrastructure/http/request-context);
 * the service's own processes build it from the event they react to.
 */
import type { Actor } from '../domain/shared/actor';

export interface CommandMetadata {
  actor: Actor;
  /** Ties together everything one business request caused, across commands and processes. */
  correlationId: string;
  /** The request or event that caused this command. */
  causationId: string;
  idempotencyKey?: string;
}

/**
 * Given / when / then for the deciders, after emmett's DeciderSpecification:
 *
 *   petition.given([filed()]).when(command, { actor: agent }).then([...expected events])
 *   petition.given([]).when(command, { actor }).thenThrows('ROLE_NOT_ALLOWED', 'forbidden')
 *   petition.given([...]).when(command, { actor: system }).thenNothing()
 *
 * State is the fold of the given events; the context defaults to the fixture rulebook, registry
 * and clock, and each `when` names its actor (and may move the clock).
 */
import type { Actor } from '../../src/domain/shared/actor';
import { DomainError, RefusalKind } from '../../src/domain/shared/domain-error';
import type { DecisionContext, PetitionCommand } from '../../src/domain/petition/petition.commands';
import { decidePetition } from '../../src/domain/petition/petition.decide';
import type { PetitionEvent } from '../../src/domain/petition/petition.events';
import { foldPetition } from '../../src/domain/petition/petition.state';
import { decideSignature, evolveSigner, initialSignerState, SignatureCommand } from '../../src/domain/signature/signature.decide';
import type { SignatureEvent } from '../../src/domain/signature/signature.events';
import { decideInvalidation, evolveInvalidation, initialInvalidationState, InvalidationCommand } from '../../src/domain/signature/invalidation.decide';
import type { InvalidationEvent } from '../../src/domain/signature/invalidation.events';
import { NOW, registry, rulebook } from './fixtures';

export type ContextOverrides = Partial<DecisionContext> & { actor: Actor };

export const contextOf = (overrides: ContextOverrides): DecisionContext => ({ now: NOW, rulebook, registry, ...overrides });

export interface Outcome<E> {
  /** The decision is exactly these events, data included. */
  then(expected: E[]): void;
  /** The decision records nothing (an idempotent no-op). */
  thenNothing(): void;
  /** The command is refused with this stable code (and kind); returns the error for further checks. */
  thenThrows(code: string, kind?: RefusalKind): DomainError;
  /** The decided events, for a partial assertion (fails if the command is refused). */
  events(): E[];
}

function outcome<E>(decide: () => E[]): Outcome<E> {
  const run = (): { events: E[] } | { error: unknown } => {
    try {
      return { events: decide() };
    } catch (error) {
      return { error };
    }
  };
  return {
    then(expected) {
      const result = run();
      if ('error' in result) throw new Error(`Expected events, but the command was refused: ${String(result.error)}`);
      expect(result.events).toStrictEqual(expected);
    },
    thenNothing() {
      const result = run();
      if ('error' in result) throw new Error(`Expected no events, but the command was refused: ${String(result.error)}`);
      expect(result.events).toStrictEqual([]);
    },
    events() {
      const result = run();
      if ('error' in result) throw new Error(`Expected events, but the command was refused: ${String(result.error)}`);
      return result.events;
    },
    thenThrows(code, kind) {
      const result = run();
      if (!('error' in result)) throw new Error(`Expected ${code}, but the command produced ${JSON.stringify(result.events)}`);
      const error = result.error;
      expect(error).toBeInstanceOf(DomainError);
      const domainError = error as DomainError;
      expect(domainError.code).toBe(code);
      if (kind) expect(domainError.kind).toBe(kind);
      return domainError;
    },
  };
}

/** The petition decider: state = fold of the given petition events with evolvePetition. */
export const petition = {
  given: (events: PetitionEvent[]) => ({
    when: (command: PetitionCommand, ctx: ContextOverrides): Outcome<PetitionEvent> =>
      outcome(() => decidePetition(command, foldPetition(events), contextOf(ctx))),
  }),
};

/**
 * The signature decider: the signer's state is the fold of the given signature events of that one
 * signer stream; the petition's state, the fold of the given petition events.
 */
export const signature = {
  given: (given: { petition: PetitionEvent[]; signer?: SignatureEvent[] }) => ({
    when: (command: SignatureCommand, ctx: ContextOverrides): Outcome<SignatureEvent> =>
      outcome(() => decideSignature(command, (given.signer ?? []).reduce(evolveSigner, initialSignerState), foldPetition(given.petition), contextOf(ctx))),
  }),
};

/**
 * The fraud-check decider: the invalidation stream's state is the fold of the given invalidation
 * events; the petition's state, the fold of the given petition events.
 */
export const invalidation = {
  given: (given: { petition: PetitionEvent[]; checks?: InvalidationEvent[] }) => ({
    when: (command: InvalidationCommand, ctx: ContextOverrides): Outcome<InvalidationEvent> =>
      outcome(() =>
        decideInvalidation(command, (given.checks ?? []).reduce(evolveInvalidation, initialInvalidationState), foldPetition(given.petition), contextOf(ctx)),
      ),
  }),
};

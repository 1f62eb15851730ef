/**
 * Runs lifecycle commands against a petition's stream with the decider, the rulebook and the
 * clock. Every lifecycle handler goes through here, so each stays a few lines long.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Actor, ActorRole } from '../../domain/shared/actor';
import type { DecisionContext, PetitionCommand } from '../../domain/petition/petition.commands';
import { decidePetition } from '../../domain/petition/petition.decide';
import type { PetitionEvent } from '../../domain/petition/petition.events';
import { petitionStreamId } from '../../domain/petition/petition.events';
import { evolvePetition, initialPetitionState, Petition, PetitionState } from '../../domain/petition/petition.state';
import type { RulesInForce } from '../../domain/rules/rulebook';
import { RULEBOOK } from '../../infrastructure/rulebook/rulebook.loader';
import { CLOCK, Clock } from './clock';
import { EventSourcing, Loaded } from './event-sourcing.service';
import type { RequestContext } from './request-context';

export interface CommandOutcome {
  petitionId: string;
  status: Petition['status'] | null;
  /** Global position of the last event appended (decimal string), for read-your-writes. */
  position: string | null;
  eventIds: string[];
}

@Injectable()
export class PetitionCommands {
  constructor(
    readonly eventSourcing: EventSourcing,
    @Inject(RULEBOOK) readonly rules: RulesInForce,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  now(): string {
    return this.clock.now().toISOString();
  }

  context(actor: Actor, now: string): DecisionContext {
    return { actor, now, rulebook: this.rules.rulebook, registry: this.rules.registry };
  }

  loadPetition(petitionId: string): Promise<Loaded<PetitionState>> {
    return this.eventSourcing.load<PetitionState, PetitionEvent>(petitionStreamId(petitionId), evolvePetition, initialPetitionState);
  }

  /**
   * Decides `command` (or the command built from fresh state) on the petition's stream and
   * appends the result. `build` runs again if another writer changed the stream meanwhile.
   */
  async run(
    petitionId: string,
    build: PetitionCommand | ((state: PetitionState) => PetitionCommand | Promise<PetitionCommand>),
    request: RequestContext,
    commandName: string,
    allowedRoles: readonly ActorRole[],
  ): Promise<CommandOutcome> {
    const now = this.now();
    const ctx = this.context(request.actor, now);
    const result = await this.eventSourcing.execute<PetitionState, PetitionEvent>(
      petitionStreamId(petitionId),
      evolvePetition,
      initialPetitionState,
      async (state) => decidePetition(typeof build === 'function' ? await build(state) : build, state, ctx),
      { ...request, command: commandName, allowedRoles },
      now,
    );
    return { petitionId, status: result.state?.status ?? null, position: result.position, eventIds: result.eventIds };
  }
}

/**
 * Runs lifecycle commands against a petition's stream with the decider, the rulebook and the
 * clock (application core). Every lifecycle handler, and the processes that act on petitions,
 * go through here, so each stays a few lines long.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../domain/shared/actor';
import type { DecisionContext, PetitionCommand } from '../domain/petition/petition.commands';
import { decidePetition } from '../domain/petition/petition.decide';
import type { PetitionEvent } from '../domain/petition/petition.events';
import { petitionStreamId } from '../domain/petition/petition.events';
import { evolvePetition, initialPetitionState, PetitionState } from '../domain/petition/petition.state';
import type { RulesInForce } from '../domain/rules/rulebook';
import { RULEBOOK } from '../infrastructure/rulebook/rulebook.loader';
import { CLOCK, Clock } from './clock';
import type { CommandDefinition } from './command-definition';
import type { CommandMetadata } from './command-metadata';
import type { CommandOutcome } from './command-outcome';
import { EventSourcing, Loaded } from './event-sourcing.service';

/** The decider's command, or how to build it from the petition's fresh state. */
export type PetitionCommandSource = PetitionCommand | ((state: PetitionState) => PetitionCommand | Promise<PetitionCommand>);

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
   * appends the result, recorded as `definition`'s command by `metadata`'s actor. A builder runs
   * again if another writer changed the stream meanwhile.
   */
  async run(definition: CommandDefinition, petitionId: string, command: PetitionCommandSource, metadata: CommandMetadata): Promise<CommandOutcome> {
    const now = this.now();
    const ctx = this.context(metadata.actor, now);
    const result = await this.eventSourcing.execute<PetitionState, PetitionEvent>(
      petitionStreamId(petitionId),
      evolvePetition,
      initialPetitionState,
      async (state) => decidePetition(typeof command === 'function' ? await command(state) : command, state, ctx),
      { ...metadata, command: definition.commandName, allowedRoles: definition.roles },
      now,
    );
    return { petitionId, status: result.state?.status ?? null, position: result.position, eventIds: result.eventIds };
  }
}

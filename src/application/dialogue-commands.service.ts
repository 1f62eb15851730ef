/**
 * Runs the dialogue's commands (application core): the officials' registry, threads, positions
 * on petitions and follows, each on its own short stream, with the registry of the council
 * concerned read beside (a few events). Handlers stay thin: they call one method here.
 */
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { DomainEvent } from '../domain/event-types';
import {
  DialogueEvent,
  FollowEvent,
  FollowTarget,
  followStreamId,
  OfficialsEvent,
  officialsStreamId,
  PetitionLinkedToThread,
  PositionEvent,
  positionStreamId,
  ThreadEvent,
  threadStreamId,
} from '../domain/dialogue/dialogue.events';
import { decideFollow, evolveFollow, FollowCommand, FollowState, initialFollowState } from '../domain/dialogue/follow.decide';
import {
  decideOfficials,
  evolveOfficials,
  initialOfficialsRegistry,
  OfficialsCommand,
  OfficialsRegistry,
  termIsCurrent,
} from '../domain/dialogue/officials.decide';
import { decidePosition, evolvePosition, initialPositionState, PositionState, StatePosition } from '../domain/dialogue/position.decide';
import { decideThread, evolveThread, initialThreadState, ThreadCommand, ThreadState } from '../domain/dialogue/thread.decide';
import { decidePetition } from '../domain/petition/petition.decide';
import type { PetitionCommand } from '../domain/petition/petition.commands';
import type { PetitionEvent } from '../domain/petition/petition.events';
import { petitionStreamId } from '../domain/petition/petition.events';
import { initialPetitionState, PetitionState } from '../domain/petition/petition.state';
import { DomainError } from '../domain/shared/domain-error';
import { requireNoIdentityNumber } from '../domain/dialogue/text-rules';
import { DIALOGUE_RULES, DialogueRules } from '../infrastructure/rulebook/dialogue-rules.port';
import type { CommandDefinition } from './command-definition';
import type { CommandMetadata } from './command-metadata';
import { EventSourcing, Loaded } from './event-sourcing.service';
import { PetitionCommands } from './petition-commands.service';

/** What a dialogue command leaves behind. */
export interface DialogueOutcome {
  /** The stream's subject: thread, official, petition… */
  id: string;
  /** Global position of the last event appended (decimal string), for read-your-writes. */
  position: string | null;
  eventIds: string[];
}

@Injectable()
export class DialogueCommands {
  constructor(
    private readonly eventSourcing: EventSourcing,
    private readonly petitions: PetitionCommands,
    @Inject(DIALOGUE_RULES) private readonly dialogueRules: DialogueRules,
  ) {}

  private councilExists = (councilId: string) => this.petitions.rules.registry.councils.some((c) => c.id === councilId);

  loadRegistry(councilId: string): Promise<Loaded<OfficialsRegistry>> {
    return this.eventSourcing.load<OfficialsRegistry, OfficialsEvent>(officialsStreamId(councilId), evolveOfficials, initialOfficialsRegistry);
  }

  loadThread(threadId: string): Promise<Loaded<ThreadState>> {
    return this.eventSourcing.load<ThreadState, ThreadEvent>(threadStreamId(threadId), evolveThread, initialThreadState);
  }

  private cause(definition: CommandDefinition, metadata: CommandMetadata) {
    return { ...metadata, command: definition.commandName, allowedRoles: definition.roles };
  }

  async officials(definition: CommandDefinition, command: OfficialsCommand, metadata: CommandMetadata): Promise<DialogueOutcome> {
    const now = this.petitions.now();
    const result = await this.eventSourcing.execute<OfficialsRegistry, OfficialsEvent>(
      officialsStreamId(command.councilId),
      evolveOfficials,
      initialOfficialsRegistry,
      (state) => {
        // The council is known before its stream is read, so an unknown one never names a stream.
        if (!this.councilExists(command.councilId)) throw new DomainError('COUNCIL_NOT_FOUND', `No council ${command.councilId}`, 'not_found');
        return decideOfficials(command, state, { actor: metadata.actor, now, councilExists: this.councilExists });
      },
      this.cause(definition, metadata),
      now,
    );
    return { id: command.officialId, position: result.position, eventIds: result.eventIds };
  }

  /** A thread command, decided with the registry of the thread's council. */
  async thread(definition: CommandDefinition, threadId: string, command: ThreadCommand, metadata: CommandMetadata): Promise<DialogueOutcome> {
    const now = this.petitions.now();
    const result = await this.eventSourcing.execute<ThreadState, ThreadEvent>(
      threadStreamId(threadId),
      evolveThread,
      initialThreadState,
      async (state) => decideThread(command, state, await this.threadContext(state, command, metadata, now)),
      this.cause(definition, metadata),
      now,
    );
    return { id: threadId, position: result.position, eventIds: result.eventIds };
  }

  private async threadContext(state: ThreadState, command: ThreadCommand, metadata: CommandMetadata, now: string) {
    const councilId = state?.councilId ?? (command.type === 'OpenThread' ? command.councilId : null);
    const registry = councilId && this.councilExists(councilId) ? (await this.loadRegistry(councilId)).state : initialOfficialsRegistry;
    return { actor: metadata.actor, now, registry, categories: this.dialogueRules.categories.map((c) => c.code), councilExists: this.councilExists };
  }

  /**
   * Escalation: the petition's filing is decided first (so a refused filing changes nothing), then
   * the thread records the petition's id, then the petition's stream gets PetitionFiled and the
   * link to the thread. The petition's id is new, so its append cannot meet a concurrent writer.
   */
  async escalate(
    definition: CommandDefinition,
    threadId: string,
    petition: { petitionId: string; title: string; subject: string; requests: string; reasons: string },
    metadata: CommandMetadata,
  ): Promise<DialogueOutcome & { petitionId: string }> {
    const now = this.petitions.now();
    const current = (await this.loadThread(threadId)).state;
    if (!current) throw new DomainError('THREAD_NOT_FOUND', 'No such thread', 'not_found');
    const council = this.petitions.rules.registry.councils.find((c) => c.id === current.councilId)!;
    requireNoIdentityNumber({ title: petition.title, subject: petition.subject, requests: petition.requests, reasons: petition.reasons });
    const filing: Extract<PetitionCommand, { type: 'FilePetition' }> = { type: 'FilePetition', council, petitionerType: 'citizens', ...petition };
    // The opener files as the petition's agent; the filing is decided before anything is appended.
    const filed = decidePetition(filing, initialPetitionState, this.petitions.context({ ...metadata.actor, roles: ['citizen'] }, now));
    const thread = await this.thread(definition, threadId, { type: 'EscalateThread', petitionId: filing.petitionId }, metadata);
    const link: PetitionLinkedToThread = { type: 'PetitionLinkedToThread', data: { petitionId: filing.petitionId, threadId, linkedAt: now } };
    const empty: Loaded<PetitionState> = { state: initialPetitionState, revision: 'no_stream', lastHash: null, events: [] };
    const appended = await this.eventSourcing.append(
      petitionStreamId(filing.petitionId),
      empty,
      [...(filed as DomainEvent[]), link],
      { ...this.cause(definition, metadata), causationId: thread.eventIds[0] ?? metadata.causationId },
      now,
    );
    return { id: threadId, petitionId: filing.petitionId, position: appended.position, eventIds: [...thread.eventIds, ...appended.eventIds] };
  }

  async position(definition: CommandDefinition, command: StatePosition, metadata: CommandMetadata): Promise<DialogueOutcome> {
    const now = this.petitions.now();
    const petition = (await this.petitions.loadPetition(command.petitionId)).state;
    const councilId = petition?.councilId ?? null;
    const registry = councilId ? (await this.loadRegistry(councilId)).state : initialOfficialsRegistry;
    // The stream is the acting official's: found in the registry before it is named.
    const officialId = Object.values(registry.officials).find((o) => o.accountSub === metadata.actor.id && termIsCurrent(o, now))?.officialId ?? 'unregistered';
    const result = await this.eventSourcing.execute<PositionState, PositionEvent>(
      positionStreamId(command.petitionId, officialId),
      evolvePosition,
      initialPositionState,
      (state) => decidePosition(command, state, { actor: metadata.actor, now, petitionCouncilId: councilId, registry }),
      this.cause(definition, metadata),
      now,
    );
    return { id: command.petitionId, position: result.position, eventIds: result.eventIds };
  }

  async follow(definition: CommandDefinition, type: FollowCommand['type'], target: FollowTarget, metadata: CommandMetadata): Promise<DialogueOutcome> {
    const now = this.petitions.now();
    const targetExists =
      target.kind === 'thread' ? (await this.loadThread(target.id)).state !== null : (await this.petitions.loadPetition(target.id)).state !== null;
    const result = await this.eventSourcing.execute<FollowState, FollowEvent>(
      followStreamId(followerKey(metadata.actor.id), target),
      evolveFollow,
      initialFollowState,
      (state) => decideFollow({ type, target, targetExists }, state, { actor: metadata.actor, now }),
      this.cause(definition, metadata),
      now,
    );
    return { id: target.id, position: result.position, eventIds: result.eventIds };
  }
}

/** A follower's stream key: their account, hashed, so stream names never carry an account id. */
export const followerKey = (accountId: string) => createHash('sha256').update(`follower\n${accountId}`).digest('hex').slice(0, 32);

export type { DialogueEvent, PetitionEvent };

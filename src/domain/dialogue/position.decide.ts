/**
 * An official's position on a petition of their council (stream `position-<petitionId>-<officialId>`):
 * support, oppose or undecided, with reasons. Every change is a new PositionStated; the stream
 * keeps them all.
 */
import { conflict, DomainError } from '../shared/domain-error';
import type { Actor } from '../shared/actor';
import type { PositionEvent, Stance } from './dialogue.events';
import { actingOfficial, OfficialsRegistry } from './officials.decide';
import { requireNoIdentityNumber } from './text-rules';

export type PositionState = null | { stance: Stance; reasons: string; changes: number };
export const initialPositionState: PositionState = null;

export interface StatePosition {
  type: 'StatePosition';
  petitionId: string;
  stance: Stance;
  reasons: string;
}

export interface PositionContext {
  actor: Actor;
  now: string;
  /** The petition's council, or null when there is no such petition. */
  petitionCouncilId: string | null;
  registry: OfficialsRegistry;
}

export function decidePosition(command: StatePosition, state: PositionState, ctx: PositionContext): PositionEvent[] {
  if (!ctx.petitionCouncilId) throw new DomainError('PETITION_NOT_FOUND', `No petition ${command.petitionId}`, 'not_found');
  const official = actingOfficial(ctx.actor, ctx.petitionCouncilId, ctx.registry, ctx.now);
  requireNoIdentityNumber({ reasons: command.reasons });
  if (state && state.stance === command.stance && state.reasons === command.reasons)
    throw conflict('POSITION_UNCHANGED', 'This is already the stated position');
  return [
    {
      type: 'PositionStated',
      data: {
        petitionId: command.petitionId,
        councilId: ctx.petitionCouncilId,
        officialId: official.officialId,
        stance: command.stance,
        reasons: command.reasons,
        statedAt: ctx.now,
      },
    },
  ];
}

export const evolvePosition = (state: PositionState, event: PositionEvent): PositionState => ({
  stance: event.data.stance,
  reasons: event.data.reasons,
  changes: (state?.changes ?? -1) + 1,
});

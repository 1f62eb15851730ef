/**
 * A citizen following a thread or a petition (stream `follow-<followerKey>-<kind>-<id>`). The
 * events say only who follows what; what changed since the follower last looked is the read
 * side's (and, later, an outbox's) business, so delivery by e-mail or SMS needs no new event.
 */
import { conflict, DomainError, forbidden } from '../shared/domain-error';
import { Actor, hasRole } from '../shared/actor';
import type { FollowEvent, FollowTarget } from './dialogue.events';

export type FollowState = { following: boolean };
export const initialFollowState: FollowState = { following: false };

export type FollowCommand = { type: 'Follow' | 'Unfollow'; target: FollowTarget; targetExists: boolean };

export function decideFollow(command: FollowCommand, state: FollowState, ctx: { actor: Actor; now: string }): FollowEvent[] {
  if (!hasRole(ctx.actor, 'citizen')) throw forbidden('ROLE_NOT_ALLOWED', 'Citizens follow threads and petitions');
  if (command.type === 'Follow') {
    if (!command.targetExists)
      throw new DomainError(
        command.target.kind === 'thread' ? 'THREAD_NOT_FOUND' : 'PETITION_NOT_FOUND',
        `No ${command.target.kind} ${command.target.id}`,
        'not_found',
      );
    if (state.following) throw conflict('ALREADY_FOLLOWING', 'Already following');
    return [{ type: 'FollowStarted', data: { followerId: ctx.actor.id, target: command.target, followedAt: ctx.now } }];
  }
  if (!state.following) throw conflict('NOT_FOLLOWING', 'Not following');
  return [{ type: 'FollowStopped', data: { followerId: ctx.actor.id, target: command.target, stoppedAt: ctx.now } }];
}

export const evolveFollow = (_: FollowState, event: FollowEvent): FollowState => ({ following: event.type === 'FollowStarted' });

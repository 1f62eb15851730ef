/**
 * The thread decider (stream `thread-<id>`): who may post where, council answers, dated
 * commitments, moderation, closing and escalation. Pure: the registry of the thread's council,
 * the categories, the actor and the time come in.
 */
import { Actor, hasRole } from '../shared/actor';
import { conflict, DomainError, forbidden, refused } from '../shared/domain-error';
import type { CloseOutcome, CloseReason, HideReason, MessageAuthor, ThreadEvent } from './dialogue.events';
import { requireNoIdentityNumber } from './text-rules';
import { actingOfficial, moroccanDay, Official, OfficialsRegistry, termIsCurrent } from './officials.decide';

export interface ThreadMessage {
  author: MessageAuthor;
  postedBy: string;
  hidden: boolean;
  councilAnswer: boolean;
}

export interface Commitment {
  officialId: string;
  dueOn: string;
  status: 'open' | 'kept' | 'missed';
}

export interface OpenThread {
  status: 'open';
  threadId: string;
  councilId: string;
  officialId: string | null;
  openedBy: string;
  messages: Record<string, ThreadMessage>;
  commitments: Record<string, Commitment>;
  escalatedTo: string | null;
}
export type EndedThread = Omit<OpenThread, 'status'> & { status: CloseOutcome };
export type ThreadState = null | OpenThread | EndedThread;
export const initialThreadState: ThreadState = null;

export type ThreadCommand =
  | {
      type: 'OpenThread';
      threadId: string;
      messageId: string;
      councilId: string;
      officialId: string | null;
      category: string;
      area: string;
      subject: string;
      text: string;
      displayName: string;
    }
  | { type: 'PostMessage'; messageId: string; text: string; displayName?: string; asCouncilAnswer?: boolean }
  | { type: 'MarkCouncilAnswer'; messageId: string }
  | { type: 'MakeCommitment'; commitmentId: string; text: string; dueOn: string }
  | { type: 'KeepCommitment'; commitmentId: string; evidence: string }
  | { type: 'MarkCommitmentMissed'; commitmentId: string }
  | { type: 'HideMessage'; messageId: string; reasonCode: HideReason }
  | { type: 'RestoreMessage'; messageId: string }
  | { type: 'CloseThread'; outcome: CloseOutcome; reasonCode: CloseReason }
  | { type: 'EscalateThread'; petitionId: string };

export interface ThreadContext {
  actor: Actor;
  now: string;
  /** The registry of the council the thread is (or will be) addressed to. */
  registry: OfficialsRegistry;
  categories: readonly string[];
  councilExists: (councilId: string) => boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A commitment's date has passed once its whole day (in Morocco) is over. */
export const commitmentOverdue = (dueOn: string, now: string) => moroccanDay(now) > dueOn;

export function decideThread(command: ThreadCommand, state: ThreadState, ctx: ThreadContext): ThreadEvent[] {
  if (command.type === 'OpenThread') return open(command, state, ctx);
  if (!state) throw new DomainError('THREAD_NOT_FOUND', 'No such thread', 'not_found');
  const t = state;
  switch (command.type) {
    case 'PostMessage': {
      requireOpen(t);
      requireNoIdentityNumber({ text: command.text, displayName: command.displayName });
      if (t.messages[command.messageId]) throw conflict('MESSAGE_EXISTS', 'This message is already posted');
      let author: MessageAuthor;
      if (hasRole(ctx.actor, 'official') && ctx.actor.councilId === t.councilId) {
        author = { kind: 'official', officialId: actingOfficial(ctx.actor, t.councilId, ctx.registry, ctx.now).officialId };
      } else if (hasRole(ctx.actor, 'citizen')) {
        if (command.asCouncilAnswer) throw forbidden('NOT_COUNCIL_OFFICIAL', "Only an official of the council gives the council's answer");
        if (!command.displayName) throw refused('DISPLAY_NAME_REQUIRED', 'A citizen posts under a display name of their choice');
        author = { kind: 'citizen', displayName: command.displayName };
      } else {
        throw forbidden('NOT_COUNCIL_OFFICIAL', `Only citizens and the officials of ${t.councilId} post in this thread`);
      }
      const posted: ThreadEvent = {
        type: 'MessagePosted',
        data: { threadId: t.threadId, messageId: command.messageId, author, postedBy: ctx.actor.id, text: command.text, postedAt: ctx.now },
      };
      if (!command.asCouncilAnswer || author.kind !== 'official') return [posted];
      return [
        posted,
        { type: 'CouncilAnswerMarked', data: { threadId: t.threadId, messageId: command.messageId, officialId: author.officialId, markedAt: ctx.now } },
      ];
    }
    case 'MarkCouncilAnswer': {
      const official = actingOfficial(ctx.actor, t.councilId, ctx.registry, ctx.now);
      const message = findMessage(t, command.messageId);
      if (message.author.kind !== 'official') throw refused('NOT_AN_OFFICIAL_REPLY', "Only an official's reply can be the council's answer");
      if (message.hidden) throw conflict('MESSAGE_HIDDEN', 'A hidden message cannot be the council’s answer');
      if (message.councilAnswer) throw conflict('ALREADY_COUNCIL_ANSWER', "This reply is already marked as the council's answer");
      return [
        { type: 'CouncilAnswerMarked', data: { threadId: t.threadId, messageId: command.messageId, officialId: official.officialId, markedAt: ctx.now } },
      ];
    }
    case 'MakeCommitment': {
      requireOpen(t);
      const official = actingOfficial(ctx.actor, t.councilId, ctx.registry, ctx.now);
      requireNoIdentityNumber({ text: command.text });
      if (t.commitments[command.commitmentId]) throw conflict('COMMITMENT_EXISTS', 'This commitment is already recorded');
      if (!DATE.test(command.dueOn) || Number.isNaN(Date.parse(`${command.dueOn}T00:00:00Z`)))
        throw refused('INVALID_DATE', 'dueOn is a calendar date (YYYY-MM-DD)');
      if (command.dueOn <= moroccanDay(ctx.now)) throw refused('COMMITMENT_DATE_NOT_FUTURE', 'A commitment is made for a date after today');
      if (command.dueOn > official.termEnd) throw refused('COMMITMENT_BEYOND_TERM', `A commitment falls within the official's term (ends ${official.termEnd})`);
      return [
        {
          type: 'CommitmentMade',
          data: {
            threadId: t.threadId,
            commitmentId: command.commitmentId,
            councilId: t.councilId,
            officialId: official.officialId,
            text: command.text,
            dueOn: command.dueOn,
            madeAt: ctx.now,
          },
        },
      ];
    }
    case 'KeepCommitment': {
      const official = actingOfficial(ctx.actor, t.councilId, ctx.registry, ctx.now);
      const commitment = findCommitment(t, command.commitmentId);
      if (commitment.status !== 'open') throw conflict('COMMITMENT_NOT_OPEN', `This commitment is already ${commitment.status}`);
      if (commitment.officialId !== official.officialId && official.role !== 'president') {
        throw forbidden('NOT_COMMITMENT_OWNER', 'A commitment is marked kept by the official who made it, or by the president');
      }
      requireNoIdentityNumber({ evidence: command.evidence });
      return [
        {
          type: 'CommitmentKept',
          data: { threadId: t.threadId, commitmentId: command.commitmentId, officialId: commitment.officialId, evidence: command.evidence, keptAt: ctx.now },
        },
      ];
    }
    case 'MarkCommitmentMissed': {
      if (!hasRole(ctx.actor, 'system')) throw forbidden('ROLE_NOT_ALLOWED', 'Only the commitment watch records a missed commitment');
      const commitment = t.commitments[command.commitmentId];
      // Idempotent for the scheduler: nothing unless still open and its day is over.
      if (!commitment || commitment.status !== 'open' || !commitmentOverdue(commitment.dueOn, ctx.now)) return [];
      return [
        {
          type: 'CommitmentMissed',
          data: { threadId: t.threadId, commitmentId: command.commitmentId, officialId: commitment.officialId, dueOn: commitment.dueOn, detectedAt: ctx.now },
        },
      ];
    }
    case 'HideMessage': {
      requireModerator(ctx.actor);
      if (findMessage(t, command.messageId).hidden) throw conflict('MESSAGE_ALREADY_HIDDEN', 'This message is already hidden');
      return [{ type: 'MessageHidden', data: { threadId: t.threadId, messageId: command.messageId, reasonCode: command.reasonCode, hiddenAt: ctx.now } }];
    }
    case 'RestoreMessage': {
      requireModerator(ctx.actor);
      if (!findMessage(t, command.messageId).hidden) throw conflict('MESSAGE_NOT_HIDDEN', 'This message is not hidden');
      return [{ type: 'MessageRestored', data: { threadId: t.threadId, messageId: command.messageId, restoredAt: ctx.now } }];
    }
    case 'CloseThread': {
      if (t.status !== 'open') throw conflict('THREAD_ALREADY_CLOSED', `The thread is already ${t.status}`);
      const isOpener = hasRole(ctx.actor, 'citizen') && ctx.actor.id === t.openedBy;
      if (!isOpener && !hasRole(ctx.actor, 'admin')) actingOfficial(ctx.actor, t.councilId, ctx.registry, ctx.now);
      return [{ type: 'ThreadClosed', data: { threadId: t.threadId, outcome: command.outcome, reasonCode: command.reasonCode, closedAt: ctx.now } }];
    }
    case 'EscalateThread': {
      if (!hasRole(ctx.actor, 'citizen') || ctx.actor.id !== t.openedBy)
        throw forbidden('NOT_THREAD_OPENER', 'Only the citizen who opened the thread escalates it into a petition');
      if (t.escalatedTo) throw conflict('THREAD_ALREADY_ESCALATED', 'This thread was already escalated into a petition', { petitionId: t.escalatedTo });
      requireOpen(t);
      return [{ type: 'ThreadEscalated', data: { threadId: t.threadId, petitionId: command.petitionId, escalatedAt: ctx.now } }];
    }
  }
}

function open(command: Extract<ThreadCommand, { type: 'OpenThread' }>, state: ThreadState, ctx: ThreadContext): ThreadEvent[] {
  if (!hasRole(ctx.actor, 'citizen')) throw forbidden('ROLE_NOT_ALLOWED', 'Citizens open threads');
  if (state) throw conflict('THREAD_EXISTS', 'This thread already exists');
  requireNoIdentityNumber({ subject: command.subject, area: command.area, text: command.text, displayName: command.displayName });
  if (!ctx.councilExists(command.councilId)) throw refused('COUNCIL_NOT_FOUND', `No council ${command.councilId}`);
  if (!ctx.categories.includes(command.category)) throw refused('UNKNOWN_CATEGORY', `Categories: ${ctx.categories.join(', ')}`);
  if (command.officialId) {
    const official: Official | undefined = ctx.registry.officials[command.officialId];
    if (!official || official.councilId !== command.councilId) throw refused('OFFICIAL_NOT_FOUND', `No official ${command.officialId} in ${command.councilId}`);
    if (!termIsCurrent(official, ctx.now)) throw refused('OFFICIAL_NOT_IN_OFFICE', 'This official is not in office');
  }
  const { type: _type, ...data } = command;
  return [{ type: 'ThreadOpened', data: { ...data, openedBy: ctx.actor.id, openedAt: ctx.now } }];
}

const requireOpen = (t: OpenThread | EndedThread) => {
  if (t.status !== 'open') throw conflict('THREAD_CLOSED', `The thread is ${t.status}`);
};
const requireModerator = (actor: Actor) => {
  if (!hasRole(actor, 'moderator')) throw forbidden('ROLE_NOT_ALLOWED', 'Only a moderator hides or restores messages');
};
function findMessage(t: OpenThread | EndedThread, messageId: string): ThreadMessage {
  const m = t.messages[messageId];
  if (!m) throw new DomainError('MESSAGE_NOT_FOUND', `No message ${messageId} in this thread`, 'not_found');
  return m;
}
function findCommitment(t: OpenThread | EndedThread, commitmentId: string): Commitment {
  const c = t.commitments[commitmentId];
  if (!c) throw new DomainError('COMMITMENT_NOT_FOUND', `No commitment ${commitmentId} in this thread`, 'not_found');
  return c;
}

export function evolveThread(state: ThreadState, event: ThreadEvent): ThreadState {
  if (event.type === 'ThreadOpened') {
    const d = event.data;
    return {
      status: 'open',
      threadId: d.threadId,
      councilId: d.councilId,
      officialId: d.officialId,
      openedBy: d.openedBy,
      messages: { [d.messageId]: { author: { kind: 'citizen', displayName: d.displayName }, postedBy: d.openedBy, hidden: false, councilAnswer: false } },
      commitments: {},
      escalatedTo: null,
    };
  }
  if (!state) return state;
  const message = (id: string, change: Partial<ThreadMessage>) =>
    state.messages[id] ? { ...state, messages: { ...state.messages, [id]: { ...state.messages[id], ...change } } } : state;
  const commitment = (id: string, status: Commitment['status']) =>
    state.commitments[id] ? { ...state, commitments: { ...state.commitments, [id]: { ...state.commitments[id], status } } } : state;
  switch (event.type) {
    case 'MessagePosted':
      return {
        ...state,
        messages: {
          ...state.messages,
          [event.data.messageId]: { author: event.data.author, postedBy: event.data.postedBy, hidden: false, councilAnswer: false },
        },
      };
    case 'CouncilAnswerMarked':
      return message(event.data.messageId, { councilAnswer: true });
    case 'MessageHidden':
      return message(event.data.messageId, { hidden: true });
    case 'MessageRestored':
      return message(event.data.messageId, { hidden: false });
    case 'CommitmentMade':
      return {
        ...state,
        commitments: { ...state.commitments, [event.data.commitmentId]: { officialId: event.data.officialId, dueOn: event.data.dueOn, status: 'open' } },
      };
    case 'CommitmentKept':
      return commitment(event.data.commitmentId, 'kept');
    case 'CommitmentMissed':
      return commitment(event.data.commitmentId, 'missed');
    case 'ThreadClosed':
      return { ...state, status: event.data.outcome };
    case 'ThreadEscalated':
      return { ...state, escalatedTo: event.data.petitionId };
  }
}

export const foldThread = (events: ThreadEvent[]) => events.reduce(evolveThread, initialThreadState);

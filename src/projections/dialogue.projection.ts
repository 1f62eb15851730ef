/**
 * dialogue: the read side of the dialogue between citizens and their officials.
 *
 * - dialogue_threads: one document per thread, public: messages (a hidden message keeps its place
 *   but not its words), commitments, status, last activity, since when it waits for an official.
 *   `searchText` is the subject, area and visible messages normalised for Arabic and French search.
 *   `followers` is private (never answered by a public route).
 * - dialogue_moderation: per hidden message, its words, the reason and who hid it — auditors only.
 * - dialogue_history: a thread's history in words (ar, fr, en).
 * - officials: the registry and each official's accountability figures (never the account).
 * - petition_dialogue: per petition, the thread it came from and the officials' positions (every change kept).
 * - dialogue_councils: the dialogue figures of each council's dashboard.
 * - follow_targets / follows: who follows what, and per follower and target what changed.
 */
import { isPetitionSideEvent } from '../domain/event-types';
import type { MessageAuthor } from '../domain/dialogue/dialogue.events';
import { normaliseForSearch } from '../domain/dialogue/text-rules';
import type { ReadDocument } from '../infrastructure/read-store/read-store.port';
import { median } from './council-dashboard.projection';
import { describeDialogue, officeInWords } from './dialogue-texts';
import { describe, Lang } from './history-texts';
import type { DocKey, ProjectedEvent, Projection, UnitOfWork } from './projection';

export const THREADS = 'dialogue_threads';
export const MODERATION = 'dialogue_moderation';
export const THREAD_HISTORY = 'dialogue_history';
export const OFFICIALS = 'officials';
export const PETITION_DIALOGUE = 'petition_dialogue';
export const DIALOGUE_COUNCILS = 'dialogue_councils';
export const FOLLOW_TARGETS = 'follow_targets';
export const FOLLOWS = 'follows';

/** How many changes a follow keeps (the newest). */
export const FOLLOW_CHANGES_KEPT = 100;

type Texts = Record<Lang, string>;

export interface ThreadMessageView {
  messageId: string;
  author: MessageAuthor;
  /** Null while hidden. */
  text: string | null;
  postedAt: string;
  councilAnswer: boolean;
  hidden: boolean;
  hiddenReason: string | null;
}

export interface ThreadDoc extends ReadDocument {
  councilId: string;
  officialId: string | null;
  category: string;
  area: string;
  subject: string;
  displayName: string;
  status: 'open' | 'resolved' | 'closed';
  closeReason: string | null;
  openedAt: string;
  lastActivityAt: string;
  /** Since when the thread waits for an official's word (null when an official spoke last, or it ended). */
  awaitingOfficialSince: string | null;
  firstOfficialReplyAt: string | null;
  councilAnswerId: string | null;
  messages: ThreadMessageView[];
  commitments: {
    commitmentId: string;
    officialId: string;
    text: string;
    dueOn: string;
    madeAt: string;
    status: 'open' | 'kept' | 'missed';
    evidence: string | null;
    settledAt: string | null;
  }[];
  escalatedTo: string | null;
  searchText: string;
  /** Private: follower accounts. */
  followers: string[];
}

export interface ModerationDoc extends ReadDocument {
  threadId: string;
  messageId: string;
  text: string;
  hidden: boolean;
  actions: { action: 'hidden' | 'restored'; reasonCode: string | null; by: string; at: string }[];
}

export interface ThreadHistoryDoc extends ReadDocument {
  threadId: string;
  seq: string;
  type: string;
  occurredAt: string;
  text: Texts;
}

export interface OfficialDoc extends ReadDocument {
  officialId: string;
  councilId: string;
  name: { ar: string; fr: string };
  role: string;
  committee: string | null;
  party: string | null;
  termStart: string;
  termEnd: string;
  threadsAddressed: number;
  threadsReplied: number;
  replyRate: number | null;
  /** Hours from a thread's opening to this official's first reply, for threads addressed to them (sorted). */
  firstReplyHours: number[];
  medianHoursToFirstReply: number | null;
  commitments: { open: number; kept: number; missed: number };
  positions: { petitionId: string; stance: string; statedAt: string; changes: number }[];
}

export interface PetitionDialogueDoc extends ReadDocument {
  fromThreadId: string | null;
  positions: {
    officialId: string;
    name: { ar: string; fr: string };
    role: string;
    stance: string;
    reasons: string;
    statedAt: string;
    history: { stance: string; reasons: string; statedAt: string }[];
  }[];
}

export interface DialogueCouncilDoc extends ReadDocument {
  threads: number;
  open: number;
  resolved: number;
  closed: number;
  withOfficialReply: number;
  withCouncilAnswer: number;
  firstReplyHours: number[];
  medianHoursToFirstReply: number | null;
  commitments: { open: number; kept: number; missed: number };
  escalated: number;
}

export interface FollowTargetDoc extends ReadDocument {
  followers: string[];
}

export interface FollowDoc extends ReadDocument {
  followerId: string;
  target: { kind: 'thread' | 'petition'; id: string };
  following: boolean;
  since: string;
  /** Newest last; each with the global position it happened at. */
  changes: { position: string; type: string; at: string; text: Texts }[];
}

const threadIdOf = (event: ProjectedEvent): string | null =>
  'threadId' in event.data && event.type !== 'PetitionLinkedToThread' ? (event.data as { threadId: string }).threadId : null;
const followId = (followerId: string, kind: string, id: string) => `${followerId}|${kind}:${id}`;
const hours = (from: string, to: string) => Math.round(((Date.parse(to) - Date.parse(from)) / 3_600_000) * 10) / 10;
const insertSorted = (list: number[], value: number) => [...list, value].sort((a, b) => a - b);

function searchTextOf(t: Pick<ThreadDoc, 'subject' | 'area' | 'messages'>): string {
  return normaliseForSearch([t.subject, t.area, ...t.messages.filter((m) => !m.hidden && m.text).map((m) => m.text)].join('\n'));
}

export function dialogueProjection(reasonLabels: (code: string) => Texts): Projection {
  const officialKey = (id: string | null | undefined): DocKey[] => (id ? [{ collection: OFFICIALS, id }] : []);
  const targetOf = (event: ProjectedEvent): string | null => {
    const threadId = threadIdOf(event);
    if (threadId) return `thread:${threadId}`;
    if (event.type === 'FollowStarted' || event.type === 'FollowStopped') return `${event.data.target.kind}:${event.data.target.id}`;
    if (
      (isPetitionSideEvent(event) && event.type !== 'PetitionSigned' && event.type !== 'SignatureWithdrawn') ||
      event.type === 'PositionStated' ||
      event.type === 'PetitionLinkedToThread'
    ) {
      return `petition:${(event.data as { petitionId: string }).petitionId}`;
    }
    return null;
  };

  const changeThread = (uow: UnitOfWork, event: ProjectedEvent, id: string, change: (t: ThreadDoc) => void) =>
    uow.change<ThreadDoc>(THREADS, id, event, (current) => {
      if (!current) return null;
      const t: ThreadDoc = {
        ...current,
        messages: current.messages.map((m) => ({ ...m })),
        commitments: current.commitments.map((c) => ({ ...c })),
        followers: [...current.followers],
      };
      change(t);
      t.lastActivityAt = event.metadata.occurredAt;
      t.searchText = searchTextOf(t);
      return t;
    });
  const changeOfficial = (uow: UnitOfWork, event: ProjectedEvent, id: string | null, change: (o: OfficialDoc) => void) => {
    if (!id) return;
    uow.change<OfficialDoc>(OFFICIALS, id, event, (current) => {
      if (!current) return null;
      const o: OfficialDoc = {
        ...current,
        commitments: { ...current.commitments },
        positions: current.positions.map((p) => ({ ...p })),
        firstReplyHours: [...current.firstReplyHours],
      };
      change(o);
      o.replyRate = o.threadsAddressed ? Math.round((o.threadsReplied / o.threadsAddressed) * 1000) / 1000 : null;
      o.medianHoursToFirstReply = median(o.firstReplyHours);
      return o;
    });
  };
  const changeCouncil = (uow: UnitOfWork, event: ProjectedEvent, id: string, change: (c: DialogueCouncilDoc) => void) =>
    uow.change<DialogueCouncilDoc>(DIALOGUE_COUNCILS, id, event, (current) => {
      const c: DialogueCouncilDoc = current
        ? { ...current, commitments: { ...current.commitments }, firstReplyHours: [...current.firstReplyHours] }
        : {
            _id: id,
            threads: 0,
            open: 0,
            resolved: 0,
            closed: 0,
            withOfficialReply: 0,
            withCouncilAnswer: 0,
            firstReplyHours: [],
            medianHoursToFirstReply: null,
            commitments: { open: 0, kept: 0, missed: 0 },
            escalated: 0,
          };
      change(c);
      c.medianHoursToFirstReply = median(c.firstReplyHours);
      return c;
    });

  return {
    name: 'dialogue',
    version: 1,
    collections: [
      {
        name: THREADS,
        indexes: [
          {
            fields: [
              { field: 'councilId', direction: 1 },
              { field: 'lastActivityAt', direction: -1 },
            ],
          },
          {
            fields: [
              { field: 'officialId', direction: 1 },
              { field: 'lastActivityAt', direction: -1 },
            ],
          },
          {
            fields: [
              { field: 'category', direction: 1 },
              { field: 'lastActivityAt', direction: -1 },
            ],
          },
          { fields: [{ field: 'lastActivityAt', direction: -1 }] },
        ],
        textFields: ['searchText'],
      },
      { name: MODERATION, indexes: [{ fields: [{ field: 'threadId', direction: 1 }] }] },
      {
        name: THREAD_HISTORY,
        indexes: [
          {
            fields: [
              { field: 'threadId', direction: 1 },
              { field: 'seq', direction: 1 },
            ],
          },
        ],
      },
      { name: OFFICIALS, indexes: [{ fields: [{ field: 'councilId', direction: 1 }] }] },
      { name: PETITION_DIALOGUE, indexes: [] },
      { name: DIALOGUE_COUNCILS, indexes: [] },
      { name: FOLLOW_TARGETS, indexes: [] },
      { name: FOLLOWS, indexes: [{ fields: [{ field: 'followerId', direction: 1 }] }] },
    ],
    keys(event): DocKey[] {
      const keys: DocKey[] = [];
      const target = targetOf(event);
      if (target) keys.push({ collection: FOLLOW_TARGETS, id: target });
      const threadId = threadIdOf(event);
      if (threadId) keys.push({ collection: THREADS, id: threadId }, { collection: THREAD_HISTORY, id: event.id });
      switch (event.type) {
        case 'OfficialRegistered':
        case 'OfficialTermEnded':
          return officialKey(event.data.officialId);
        case 'ThreadOpened':
          return [...keys, ...officialKey(event.data.officialId), { collection: DIALOGUE_COUNCILS, id: event.data.councilId }];
        case 'MessagePosted':
          return event.data.author.kind === 'official' ? [...keys, ...officialKey(event.data.author.officialId)] : keys;
        case 'CouncilAnswerMarked':
        case 'CommitmentMade':
        case 'CommitmentKept':
        case 'CommitmentMissed':
          return [...keys, ...officialKey(event.data.officialId)];
        case 'MessageHidden':
        case 'MessageRestored':
          return [...keys, { collection: MODERATION, id: event.data.messageId }];
        case 'PositionStated':
          return [...keys, ...officialKey(event.data.officialId), { collection: PETITION_DIALOGUE, id: event.data.petitionId }];
        case 'PetitionLinkedToThread':
          return [...keys, { collection: PETITION_DIALOGUE, id: event.data.petitionId }];
        case 'FollowStarted':
        case 'FollowStopped':
          return [...keys, { collection: FOLLOWS, id: followId(event.data.followerId, event.data.target.kind, event.data.target.id) }];
        default:
          return keys;
      }
    },
    dependentKeys(event, peek): DocKey[] {
      const keys: DocKey[] = [];
      const threadId = threadIdOf(event);
      if (threadId && event.type !== 'ThreadOpened') {
        const thread = peek<ThreadDoc>(THREADS, threadId);
        if (thread) keys.push({ collection: DIALOGUE_COUNCILS, id: thread.councilId }, ...officialKey(thread.officialId));
      }
      const target = targetOf(event);
      if (target && event.type !== 'FollowStarted' && event.type !== 'FollowStopped') {
        const [kind, id] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
        for (const follower of peek<FollowTargetDoc>(FOLLOW_TARGETS, target)?.followers ?? [])
          keys.push({ collection: FOLLOWS, id: followId(follower, kind, id) });
      }
      return keys;
    },
    apply(event, uow) {
      const at = event.metadata.occurredAt;
      applyToThreadsAndOfficials(event, uow, at);
      notifyFollowers(event, uow);
    },
  };

  function officeOf(uow: UnitOfWork) {
    return (officialId: string) => {
      try {
        return officeInWords(uow.get<OfficialDoc>(OFFICIALS, officialId));
      } catch {
        return officeInWords(null);
      }
    };
  }

  function applyToThreadsAndOfficials(event: ProjectedEvent, uow: UnitOfWork, at: string): void {
    const threadId = threadIdOf(event);
    const thread = threadId ? uow.get<ThreadDoc>(THREADS, threadId) : null;
    if (threadId && event.type !== 'ThreadOpened' && (!thread || (thread._position !== undefined && BigInt(thread._position) >= event.position))) return;
    if (threadId) {
      const text = describeDialogue(event, officeOf(uow));
      if (text)
        uow.change<ThreadHistoryDoc>(THREAD_HISTORY, event.id, event, () => ({
          _id: event.id,
          threadId,
          seq: event.position.toString().padStart(20, '0'),
          type: event.type,
          occurredAt: at,
          text,
        }));
    }
    switch (event.type) {
      case 'OfficialRegistered': {
        const d = event.data;
        uow.change<OfficialDoc>(
          OFFICIALS,
          d.officialId,
          event,
          (current) =>
            current ?? {
              _id: d.officialId,
              officialId: d.officialId,
              councilId: d.councilId,
              name: d.name,
              role: d.role,
              committee: d.committee,
              party: d.party,
              termStart: d.termStart,
              termEnd: d.termEnd,
              threadsAddressed: 0,
              threadsReplied: 0,
              replyRate: null,
              firstReplyHours: [],
              medianHoursToFirstReply: null,
              commitments: { open: 0, kept: 0, missed: 0 },
              positions: [],
            },
        );
        return;
      }
      case 'OfficialTermEnded':
        return changeOfficial(uow, event, event.data.officialId, (o) => void (o.termEnd = event.data.endedOn));
      case 'ThreadOpened': {
        const d = event.data;
        if (thread) return;
        const doc: ThreadDoc = {
          _id: d.threadId,
          councilId: d.councilId,
          officialId: d.officialId,
          category: d.category,
          area: d.area,
          subject: d.subject,
          displayName: d.displayName,
          status: 'open',
          closeReason: null,
          openedAt: d.openedAt,
          lastActivityAt: d.openedAt,
          awaitingOfficialSince: d.openedAt,
          firstOfficialReplyAt: null,
          councilAnswerId: null,
          messages: [
            {
              messageId: d.messageId,
              author: { kind: 'citizen', displayName: d.displayName },
              text: d.text,
              postedAt: d.openedAt,
              councilAnswer: false,
              hidden: false,
              hiddenReason: null,
            },
          ],
          commitments: [],
          escalatedTo: null,
          searchText: '',
          followers: [],
        };
        doc.searchText = searchTextOf(doc);
        uow.change<ThreadDoc>(THREADS, d.threadId, event, () => doc);
        changeOfficial(uow, event, d.officialId, (o) => void (o.threadsAddressed += 1));
        changeCouncil(uow, event, d.councilId, (c) => {
          c.threads += 1;
          c.open += 1;
        });
        return;
      }
      case 'MessagePosted': {
        const d = event.data;
        const t = thread!;
        const author = d.author;
        changeThread(uow, event, t._id, (doc) => {
          doc.messages.push({ messageId: d.messageId, author, text: d.text, postedAt: d.postedAt, councilAnswer: false, hidden: false, hiddenReason: null });
          if (author.kind === 'official') {
            doc.awaitingOfficialSince = null;
            doc.firstOfficialReplyAt ??= d.postedAt;
          } else if (doc.status === 'open') doc.awaitingOfficialSince ??= d.postedAt;
        });
        if (author.kind !== 'official') return;
        const firstReplyOfAddressee =
          t.officialId === author.officialId && !t.messages.some((m) => m.author.kind === 'official' && m.author.officialId === author.officialId);
        if (firstReplyOfAddressee) {
          changeOfficial(uow, event, author.officialId, (o) => {
            o.threadsReplied += 1;
            o.firstReplyHours = insertSorted(o.firstReplyHours, hours(t.openedAt, d.postedAt));
          });
        }
        if (!t.firstOfficialReplyAt) {
          changeCouncil(uow, event, t.councilId, (c) => {
            c.withOfficialReply += 1;
            c.firstReplyHours = insertSorted(c.firstReplyHours, hours(t.openedAt, d.postedAt));
          });
        }
        return;
      }
      case 'CouncilAnswerMarked': {
        const t = thread!;
        changeThread(uow, event, t._id, (doc) => {
          for (const m of doc.messages) if (m.messageId === event.data.messageId) m.councilAnswer = true;
          doc.councilAnswerId ??= event.data.messageId;
        });
        if (!t.councilAnswerId) changeCouncil(uow, event, t.councilId, (c) => void (c.withCouncilAnswer += 1));
        return;
      }
      case 'CommitmentMade': {
        const d = event.data;
        changeThread(uow, event, d.threadId, (doc) =>
          doc.commitments.push({
            commitmentId: d.commitmentId,
            officialId: d.officialId,
            text: d.text,
            dueOn: d.dueOn,
            madeAt: d.madeAt,
            status: 'open',
            evidence: null,
            settledAt: null,
          }),
        );
        changeOfficial(uow, event, d.officialId, (o) => void (o.commitments.open += 1));
        changeCouncil(uow, event, thread!.councilId, (c) => void (c.commitments.open += 1));
        return;
      }
      case 'CommitmentKept':
      case 'CommitmentMissed': {
        const d = event.data;
        const status = event.type === 'CommitmentKept' ? 'kept' : 'missed';
        const current = thread!.commitments.find((c) => c.commitmentId === d.commitmentId);
        if (!current || current.status !== 'open') return;
        changeThread(uow, event, d.threadId, (doc) => {
          const c = doc.commitments.find((x) => x.commitmentId === d.commitmentId)!;
          c.status = status;
          c.settledAt = at;
          if (event.type === 'CommitmentKept') c.evidence = event.data.evidence;
        });
        const move = (counts: { open: number; kept: number; missed: number }) => {
          counts.open -= 1;
          counts[status] += 1;
        };
        changeOfficial(uow, event, current.officialId, (o) => move(o.commitments));
        changeCouncil(uow, event, thread!.councilId, (c) => move(c.commitments));
        return;
      }
      case 'MessageHidden':
      case 'MessageRestored': {
        const d = event.data;
        const message = thread!.messages.find((m) => m.messageId === d.messageId);
        if (!message) return;
        const hiding = event.type === 'MessageHidden';
        const reason = event.type === 'MessageHidden' ? event.data.reasonCode : null;
        uow.change<ModerationDoc>(MODERATION, d.messageId, event, (current) => ({
          _id: d.messageId,
          threadId: d.threadId,
          messageId: d.messageId,
          text: current?.text ?? message.text ?? '',
          hidden: hiding,
          actions: [...(current?.actions ?? []), { action: hiding ? 'hidden' : 'restored', reasonCode: reason, by: event.metadata.actor.id, at }],
        }));
        const words = hiding ? null : (uow.get<ModerationDoc>(MODERATION, d.messageId)?.text ?? null);
        changeThread(uow, event, d.threadId, (doc) => {
          const m = doc.messages.find((x) => x.messageId === d.messageId)!;
          m.hidden = hiding;
          m.hiddenReason = reason;
          m.text = words;
        });
        return;
      }
      case 'ThreadClosed': {
        const d = event.data;
        if (thread!.status !== 'open') return;
        changeThread(uow, event, d.threadId, (doc) => {
          doc.status = d.outcome;
          doc.closeReason = d.reasonCode;
          doc.awaitingOfficialSince = null;
        });
        changeCouncil(uow, event, thread!.councilId, (c) => {
          c.open -= 1;
          c[d.outcome] += 1;
        });
        return;
      }
      case 'ThreadEscalated':
        changeThread(uow, event, event.data.threadId, (doc) => void (doc.escalatedTo = event.data.petitionId));
        changeCouncil(uow, event, thread!.councilId, (c) => void (c.escalated += 1));
        return;
      case 'PetitionLinkedToThread':
        uow.change<PetitionDialogueDoc>(PETITION_DIALOGUE, event.data.petitionId, event, (current) => ({
          _id: event.data.petitionId,
          positions: [],
          ...current,
          fromThreadId: event.data.threadId,
        }));
        return;
      case 'PositionStated': {
        const d = event.data;
        const official = uow.get<OfficialDoc>(OFFICIALS, d.officialId);
        uow.change<PetitionDialogueDoc>(PETITION_DIALOGUE, d.petitionId, event, (current) => {
          const doc: PetitionDialogueDoc = current
            ? { ...current, positions: current.positions.map((p) => ({ ...p })) }
            : { _id: d.petitionId, fromThreadId: null, positions: [] };
          const previous = doc.positions.find((p) => p.officialId === d.officialId);
          const entry = { stance: d.stance, reasons: d.reasons, statedAt: d.statedAt };
          const next = {
            officialId: d.officialId,
            name: official?.name ?? { ar: '', fr: '' },
            role: official?.role ?? 'councillor',
            ...entry,
            history: [...(previous?.history ?? []), entry],
          };
          doc.positions = [...doc.positions.filter((p) => p.officialId !== d.officialId), next];
          return doc;
        });
        changeOfficial(uow, event, d.officialId, (o) => {
          const previous = o.positions.find((p) => p.petitionId === d.petitionId);
          o.positions = [
            ...o.positions.filter((p) => p.petitionId !== d.petitionId),
            { petitionId: d.petitionId, stance: d.stance, statedAt: d.statedAt, changes: previous ? previous.changes + 1 : 0 },
          ];
        });
        return;
      }
      case 'FollowStarted':
      case 'FollowStopped': {
        const d = event.data;
        const target = `${d.target.kind}:${d.target.id}`;
        const following = event.type === 'FollowStarted';
        uow.change<FollowTargetDoc>(FOLLOW_TARGETS, target, event, (current) => {
          const followers = (current?.followers ?? []).filter((f) => f !== d.followerId);
          return { _id: target, followers: following ? [...followers, d.followerId] : followers };
        });
        uow.change<FollowDoc>(FOLLOWS, followId(d.followerId, d.target.kind, d.target.id), event, (current) => ({
          _id: followId(d.followerId, d.target.kind, d.target.id),
          followerId: d.followerId,
          target: d.target,
          following,
          since: following ? at : (current?.since ?? at),
          changes: current?.changes ?? [],
        }));
        return;
      }
      default:
        return;
    }
  }

  /** Tells every follower of the event's thread or petition what changed, in words. */
  function notifyFollowers(event: ProjectedEvent, uow: UnitOfWork): void {
    if (event.type === 'FollowStarted' || event.type === 'FollowStopped') return;
    const target = targetOf(event);
    if (!target) return;
    const followers = uow.get<FollowTargetDoc>(FOLLOW_TARGETS, target)?.followers ?? [];
    if (followers.length === 0) return;
    const text = isPetitionSideEvent(event) ? describe(event, reasonLabels) : describeDialogue(event, officeOf(uow));
    if (!text) return;
    const [kind, id] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
    for (const follower of followers) {
      uow.change<FollowDoc>(FOLLOWS, followId(follower, kind, id), event, (current) =>
        current
          ? {
              ...current,
              changes: [...current.changes, { position: event.position.toString(), type: event.type, at: event.metadata.occurredAt, text }].slice(
                -FOLLOW_CHANGES_KEPT,
              ),
            }
          : null,
      );
    }
  }
}

/**
 * Dialogue events: the officials' registry of a council, threads between citizens and their
 * elected officials, officials' positions on petitions, and follows. Past tense, versioned in
 * ../event-types.ts like the petition events; their meaning never changes once stored.
 *
 * Streams, each short:
 * - `officials-<councilId>`: the council's registry (tens of officials over a term);
 * - `thread-<threadId>`: one conversation, its commitments and its moderation;
 * - `position-<petitionId>-<officialId>`: one official's stance on one petition, every change kept;
 * - `follow-<followerKey>-<target>`: one citizen following one thread or petition.
 */

export const OFFICIAL_ROLES = ['president', 'vice_president', 'councillor', 'committee_chair'] as const;
export type OfficialRole = (typeof OFFICIAL_ROLES)[number];

export const STANCES = ['support', 'oppose', 'undecided'] as const;
export type Stance = (typeof STANCES)[number];

export const HIDE_REASONS = ['abuse', 'hate', 'personal_data', 'spam', 'off_topic'] as const;
export type HideReason = (typeof HIDE_REASONS)[number];

export const CLOSE_OUTCOMES = ['resolved', 'closed'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];
export const CLOSE_REASONS = ['answered', 'problem_fixed', 'no_response_needed', 'duplicate', 'out_of_scope', 'abandoned', 'escalated'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Who wrote a message, as the public may see it: a citizen's chosen display name, or a registered official. */
export type MessageAuthor = { kind: 'citizen'; displayName: string } | { kind: 'official'; officialId: string };

export interface OfficialRegistered {
  type: 'OfficialRegistered';
  data: {
    officialId: string;
    councilId: string;
    name: { ar: string; fr: string };
    role: OfficialRole;
    committee: string | null;
    /** Party or list, when the council publishes it. */
    party: string | null;
    /** ISO dates (YYYY-MM-DD); the term runs from the start day to the end day included. */
    termStart: string;
    termEnd: string;
    /** The account (`sub`) the official signs in with. Never shown publicly. */
    accountSub: string;
    registeredAt: string;
  };
}

export interface OfficialTermEnded {
  type: 'OfficialTermEnded';
  data: { officialId: string; councilId: string; endedOn: string; recordedAt: string };
}

export interface ThreadOpened {
  type: 'ThreadOpened';
  data: {
    threadId: string;
    councilId: string;
    /** Addressed to a named official, or to the council (null). */
    officialId: string | null;
    category: string;
    area: string;
    subject: string;
    /** The opening message. */
    messageId: string;
    text: string;
    /** The citizen's chosen display name: what the public sees. */
    displayName: string;
    /** The opener's account, for the rules (who may resolve or escalate); never in a public read model. */
    openedBy: string;
    openedAt: string;
  };
}

export interface MessagePosted {
  type: 'MessagePosted';
  data: {
    threadId: string;
    messageId: string;
    author: MessageAuthor;
    /** The poster's account, for the rules; never in a public read model. */
    postedBy: string;
    text: string;
    postedAt: string;
  };
}

export interface CouncilAnswerMarked {
  type: 'CouncilAnswerMarked';
  data: { threadId: string; messageId: string; officialId: string; markedAt: string };
}

export interface CommitmentMade {
  type: 'CommitmentMade';
  data: { threadId: string; commitmentId: string; councilId: string; officialId: string; text: string; dueOn: string; madeAt: string };
}

export interface CommitmentKept {
  type: 'CommitmentKept';
  data: { threadId: string; commitmentId: string; officialId: string; evidence: string; keptAt: string };
}

export interface CommitmentMissed {
  type: 'CommitmentMissed';
  data: { threadId: string; commitmentId: string; officialId: string; dueOn: string; detectedAt: string };
}

export interface MessageHidden {
  type: 'MessageHidden';
  data: { threadId: string; messageId: string; reasonCode: HideReason; hiddenAt: string };
}

export interface MessageRestored {
  type: 'MessageRestored';
  data: { threadId: string; messageId: string; restoredAt: string };
}

export interface ThreadClosed {
  type: 'ThreadClosed';
  data: { threadId: string; outcome: CloseOutcome; reasonCode: CloseReason; closedAt: string };
}

export interface ThreadEscalated {
  type: 'ThreadEscalated';
  data: { threadId: string; petitionId: string; escalatedAt: string };
}

/** On the petition's stream, beside its PetitionFiled: the thread it was escalated from. */
export interface PetitionLinkedToThread {
  type: 'PetitionLinkedToThread';
  data: { petitionId: string; threadId: string; linkedAt: string };
}

export interface PositionStated {
  type: 'PositionStated';
  data: { petitionId: string; councilId: string; officialId: string; stance: Stance; reasons: string; statedAt: string };
}

export type FollowTarget = { kind: 'thread' | 'petition'; id: string };

export interface FollowStarted {
  type: 'FollowStarted';
  data: { followerId: string; target: FollowTarget; followedAt: string };
}

export interface FollowStopped {
  type: 'FollowStopped';
  data: { followerId: string; target: FollowTarget; stoppedAt: string };
}

export type OfficialsEvent = OfficialRegistered | OfficialTermEnded;
export type ThreadEvent =
  | ThreadOpened
  | MessagePosted
  | CouncilAnswerMarked
  | CommitmentMade
  | CommitmentKept
  | CommitmentMissed
  | MessageHidden
  | MessageRestored
  | ThreadClosed
  | ThreadEscalated;
export type PositionEvent = PositionStated;
export type FollowEvent = FollowStarted | FollowStopped;
export type DialogueEvent = OfficialsEvent | ThreadEvent | PetitionLinkedToThread | PositionEvent | FollowEvent;

export const officialsStreamId = (councilId: string) => `officials-${councilId}`;
export const threadStreamId = (threadId: string) => `thread-${threadId}`;
export const positionStreamId = (petitionId: string, officialId: string) => `position-${petitionId}-${officialId}`;
export const followStreamId = (followerKey: string, target: FollowTarget) => `follow-${followerKey}-${target.kind}-${target.id}`;

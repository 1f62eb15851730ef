/**
 * Success schemas of the dialogue's read routes (threads, their history, officials' accountability,
 * positions, follows). The portal's typed client is generated from them: a field missing here is a
 * compile error in the portal's dialogue pages.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CommitmentCounts, Freshness, LocalizedName, OfficialName } from './responses';

const nullable = true;

export class MessageAuthorView {
  @ApiProperty({ enum: ['citizen', 'official'] }) kind!: 'citizen' | 'official';
  @ApiPropertyOptional({ description: 'citizen: the display name they chose' }) displayName?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'official: the official (GET /officials/{id})' }) officialId?: string;
}

export class ThreadMessage {
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ type: MessageAuthorView }) author!: MessageAuthorView;
  @ApiProperty({ type: String, nullable, description: 'Null while the message is hidden by moderation' }) text!: string | null;
  @ApiProperty() postedAt!: string;
  @ApiProperty({ description: "This reply is the council's answer" }) councilAnswer!: boolean;
  @ApiProperty() hidden!: boolean;
  @ApiProperty({ type: String, nullable }) hiddenReason!: string | null;
}

export class ThreadCommitment {
  @ApiProperty({ format: 'uuid' }) commitmentId!: string;
  @ApiProperty({ format: 'uuid' }) officialId!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ example: '2027-03-01' }) dueOn!: string;
  @ApiProperty() madeAt!: string;
  @ApiProperty({ enum: ['open', 'kept', 'missed'] }) status!: 'open' | 'kept' | 'missed';
  @ApiProperty({ type: String, nullable, description: 'Kept: what shows it' }) evidence!: string | null;
  @ApiProperty({ type: String, nullable }) settledAt!: string | null;
}

/** What every thread answer has, in the list and on its page. */
class ThreadCommon {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'commune-sefrou' }) councilId!: string;
  @ApiProperty({ type: String, nullable, format: 'uuid', description: 'The official addressed; null: the council' }) officialId!: string | null;
  @ApiProperty({ example: 'lighting', description: 'GET /dialogues/categories' }) category!: string;
  @ApiProperty({ description: 'District, douar or neighbourhood' }) area!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: "The opener's display name" }) displayName!: string;
  @ApiProperty({ enum: ['open', 'resolved', 'closed'] }) status!: 'open' | 'resolved' | 'closed';
  @ApiProperty({ type: String, nullable }) closeReason!: string | null;
  @ApiProperty() openedAt!: string;
  @ApiProperty() lastActivityAt!: string;
  @ApiProperty({ type: String, nullable, description: "Since when it waits for an official's word" }) awaitingOfficialSince!: string | null;
  @ApiProperty({ type: String, nullable }) firstOfficialReplyAt!: string | null;
  @ApiProperty({ type: String, nullable, format: 'uuid', description: "The message marked as the council's answer" }) councilAnswerId!: string | null;
  @ApiProperty({ type: String, nullable, format: 'uuid', description: 'The petition it was escalated to' }) escalatedTo!: string | null;
  @ApiProperty({ description: 'Whole days it has waited for an official (0 when not waiting)' }) daysWaitingForOfficial!: number;
}

export class ThreadView extends ThreadCommon {
  @ApiProperty({ type: [ThreadMessage] }) messages!: ThreadMessage[];
  @ApiProperty({ type: [ThreadCommitment] }) commitments!: ThreadCommitment[];
}

export class ThreadSummary extends ThreadCommon {
  @ApiProperty() messageCount!: number;
  @ApiProperty({ type: CommitmentCounts }) commitments!: CommitmentCounts;
}

export class ThreadPage {
  @ApiProperty({ type: [ThreadSummary] }) items!: ThreadSummary[];
  @ApiProperty({ type: String, nullable, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
  @ApiProperty({ type: Freshness }) freshness!: Freshness;
}

export class ThreadHistoryEntry {
  @ApiProperty({ example: 'MessagePosted' }) type!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ description: 'What happened, in the chosen language' }) text!: string;
}

export class ThreadHistoryPage {
  @ApiProperty({ format: 'uuid' }) threadId!: string;
  @ApiProperty({ enum: ['ar', 'fr', 'en'] }) lang!: string;
  @ApiProperty({ enum: ['rtl', 'ltr'] }) dir!: string;
  @ApiProperty({ type: [ThreadHistoryEntry] }) entries!: ThreadHistoryEntry[];
  @ApiProperty({ type: String, nullable }) nextCursor!: string | null;
}

export class ThreadCategory {
  @ApiProperty({ example: 'lighting' }) code!: string;
  @ApiProperty({ type: LocalizedName }) labels!: LocalizedName;
}

export class ThreadCategories {
  @ApiProperty() version!: string;
  @ApiProperty({ type: [ThreadCategory] }) categories!: ThreadCategory[];
}

export class ModerationAction {
  @ApiProperty({ enum: ['hidden', 'restored'] }) action!: string;
  @ApiProperty({ type: String, nullable }) reasonCode!: string | null;
  @ApiProperty({ description: 'The moderator who acted' }) by!: string;
  @ApiProperty() at!: string;
}

export class ModeratedMessage {
  @ApiProperty({ format: 'uuid' }) threadId!: string;
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ description: 'The words, hidden or not' }) text!: string;
  @ApiProperty() hidden!: boolean;
  @ApiProperty({ type: [ModerationAction] }) actions!: ModerationAction[];
}

export class ThreadModeration {
  @ApiProperty({ format: 'uuid' }) threadId!: string;
  @ApiProperty({ type: [ModeratedMessage] }) messages!: ModeratedMessage[];
}

export class ChainBreak {
  @ApiProperty() streamId!: string;
  @ApiProperty() revision!: string;
  @ApiProperty() reason!: string;
}

export class ChainVerificationView {
  @ApiProperty({ description: 'Every event links to the one before it in its stream' }) verified!: boolean;
  @ApiPropertyOptional({ type: ChainBreak }) brokenAt?: ChainBreak;
}

export class StoredEventView {
  @ApiProperty({ description: 'Global position (decimal string)' }) position!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty({ description: 'Revision in its stream (decimal string)' }) revision!: string;
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'MessagePosted.v1' }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Actor, role, command, correlation and causation ids, time, chain link' })
  metadata!: Record<string, unknown>;
}

export class ThreadEvents {
  @ApiProperty({ format: 'uuid' }) threadId!: string;
  @ApiProperty({ type: ChainVerificationView }) integrity!: ChainVerificationView;
  @ApiProperty({ type: [StoredEventView] }) events!: StoredEventView[];
}

export class OfficialPetitionPosition {
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ enum: ['support', 'oppose', 'undecided'] }) stance!: string;
  @ApiProperty() statedAt!: string;
  @ApiProperty({ description: 'How many times it changed' }) changes!: number;
}

export class OfficialView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) officialId!: string;
  @ApiProperty() councilId!: string;
  @ApiProperty({ type: OfficialName }) name!: OfficialName;
  @ApiProperty({ example: 'councillor' }) role!: string;
  @ApiProperty({ type: String, nullable }) committee!: string | null;
  @ApiProperty({ type: String, nullable }) party!: string | null;
  @ApiProperty({ example: '2021-09-21' }) termStart!: string;
  @ApiProperty({ example: '2027-09-30' }) termEnd!: string;
  @ApiProperty() inOffice!: boolean;
  @ApiProperty({ description: 'Threads addressed to them' }) threadsAddressed!: number;
  @ApiProperty({ description: 'Of those, threads they replied in' }) threadsReplied!: number;
  @ApiProperty({ type: Number, nullable, description: 'threadsReplied / threadsAddressed; null with none addressed' }) replyRate!: number | null;
  @ApiProperty({ type: Number, nullable }) medianHoursToFirstReply!: number | null;
  @ApiProperty({ type: CommitmentCounts }) commitments!: CommitmentCounts;
  @ApiProperty({ type: [OfficialPetitionPosition] }) positions!: OfficialPetitionPosition[];
}

export class OfficialPage {
  @ApiProperty({ type: [OfficialView] }) items!: OfficialView[];
  @ApiProperty({ type: String, nullable }) nextCursor!: string | null;
  @ApiProperty({ type: Freshness }) freshness!: Freshness;
}

export class PositionChange {
  @ApiProperty() stance!: string;
  @ApiProperty() reasons!: string;
  @ApiProperty() statedAt!: string;
}

export class PetitionPositionView {
  @ApiProperty({ format: 'uuid' }) officialId!: string;
  @ApiProperty({ type: OfficialName }) name!: OfficialName;
  @ApiProperty() role!: string;
  @ApiProperty({ enum: ['support', 'oppose', 'undecided'] }) stance!: string;
  @ApiProperty() reasons!: string;
  @ApiProperty() statedAt!: string;
  @ApiProperty({ type: [PositionChange] }) history!: PositionChange[];
}

export class PetitionPositions {
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ type: String, nullable, format: 'uuid' }) fromThreadId!: string | null;
  @ApiProperty({ type: [PetitionPositionView] }) positions!: PetitionPositionView[];
}

export class FollowTarget {
  @ApiProperty({ enum: ['thread', 'petition'] }) kind!: 'thread' | 'petition';
  @ApiProperty({ format: 'uuid' }) id!: string;
}

export class FollowChange {
  @ApiProperty() position!: string;
  @ApiProperty() type!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: LocalizedName, description: 'What changed, in ar, fr and en' }) text!: LocalizedName;
}

export class FollowItem {
  @ApiProperty({ type: FollowTarget }) target!: FollowTarget;
  @ApiProperty() since!: string;
  @ApiProperty({ description: 'Changes after `after`' }) unseen!: number;
  @ApiProperty({ type: [FollowChange] }) changes!: FollowChange[];
}

export class FollowPage {
  @ApiProperty({ type: [FollowItem] }) items!: FollowItem[];
  @ApiProperty({ description: 'Pass as `after` next time to see only what changed since' }) lastPosition!: string;
  @ApiProperty({ type: String, nullable }) nextCursor!: string | null;
}

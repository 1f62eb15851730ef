/**
 * Success schemas of the read routes portals build their pages on (GET /petitions/{id},
 * GET /councils/{id}, GET /councils/{id}/dashboard, GET /receipts/{receipt}). The portal's typed
 * client is generated from them: a field missing here is a compile error in the portal.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const nullable = true;

export class LocalizedName {
  @ApiProperty({ example: 'جماعة طانطان' }) ar!: string;
  @ApiProperty({ example: 'Commune de Tan-Tan' }) fr!: string;
  @ApiProperty({ example: 'Tan-Tan commune' }) en!: string;
}

export class ProvinceShare {
  @ApiProperty() provinceId!: string;
  @ApiProperty({ description: 'Signatures required from this province' }) required!: number;
}

export class TargetSession {
  @ApiProperty({ example: '2027-05' }) month!: string;
  @ApiProperty() opensOn!: string;
  @ApiProperty() agendaClosesOn!: string;
  @ApiProperty() endsOn!: string;
}

export class RespondingOfficial {
  @ApiProperty() name!: string;
  @ApiProperty() title!: string;
}

export class PetitionResponseText {
  @ApiProperty({ enum: ['adopted', 'partially_adopted', 'rejected'] }) decision!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: RespondingOfficial }) respondingOfficial!: RespondingOfficial;
  @ApiProperty({ type: String, nullable }) deliberationRef!: string | null;
}

export class OfficialName {
  @ApiProperty() ar!: string;
  @ApiProperty() fr!: string;
}

export class OfficialPosition {
  @ApiProperty() officialId!: string;
  @ApiProperty({ type: OfficialName }) name!: OfficialName;
  @ApiProperty({ description: "The official's role in the council" }) role!: string;
  @ApiProperty({ description: 'support, oppose, abstain…' }) stance!: string;
  @ApiProperty() reasons!: string;
  @ApiProperty() statedAt!: string;
  @ApiProperty({ description: 'How many times the official changed this position' }) changes!: number;
}

export class ReinstatementReason {
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedName }) reason!: LocalizedName;
}

/** One fraud-check decision of the council's bureau, as the petition page shows it. */
export class InvalidationSummary {
  @ApiProperty({ format: 'uuid' }) invalidationId!: string;
  @ApiProperty() reasonCode!: string;
  @ApiProperty({ type: LocalizedName }) reason!: LocalizedName;
  @ApiProperty({ description: 'Signatures this decision took off the count' }) count!: number;
  @ApiProperty({ description: 'Of those, counted again since' }) reinstated!: number;
  @ApiPropertyOptional({ description: 'Of those, withdrawn by their signers since' }) withdrawn?: number;
  @ApiPropertyOptional({ description: 'Not counted now because of this decision' }) active?: number;
  @ApiProperty({ type: [ReinstatementReason] }) reinstatementReasons!: ReinstatementReason[];
  @ApiProperty() invalidatedAt!: string;
  @ApiProperty({ description: 'collecting, or submitted (during the bureau’s verification)' }) petitionStatus!: string;
}

export class PetitionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() requests!: string;
  @ApiProperty() reasons!: string;
  @ApiProperty({ example: 'commune-tan-tan' }) councilId!: string;
  @ApiProperty({ enum: ['commune', 'province', 'region'] }) councilLevel!: string;
  @ApiProperty({ type: LocalizedName }) councilName!: LocalizedName;
  @ApiProperty({ type: String, nullable }) provinceId!: string | null;
  @ApiProperty({ type: String, nullable }) regionId!: string | null;
  @ApiProperty({ enum: ['citizens', 'association'] }) petitionerType!: string;
  @ApiProperty({ type: String, nullable }) associationName!: string | null;
  @ApiProperty({ enum: ['collecting', 'submitted', 'admissible', 'inadmissible', 'answered', 'withdrawn'] }) status!: string;
  @ApiProperty({ description: 'threshold_reached, awaiting_decision, overdue, on_agenda…' }) subStatus!: string;
  @ApiProperty() closed!: boolean;
  @ApiProperty() signatureCount!: number;
  @ApiProperty() threshold!: number;
  @ApiProperty({ description: 'false for associations (no signature minimum)' }) thresholdApplies!: boolean;
  @ApiProperty({ description: 'Percent of the threshold reached (may pass 100)' }) progress!: number;
  @ApiProperty({ type: [ProvinceShare], nullable, description: 'Regions: signatures required per province' }) provinceShares!: ProvinceShare[] | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'Signatures counted per province' })
  provinceCounts!: Record<string, number>;
  @ApiProperty() thresholdReached!: boolean;
  @ApiProperty({ type: String, nullable }) thresholdReachedAt!: string | null;
  @ApiPropertyOptional() thresholdMet?: boolean;
  @ApiPropertyOptional() invalidatedCount?: number;
  @ApiPropertyOptional({ type: [InvalidationSummary], description: 'The fraud-check decisions on this petition' }) invalidations?: InvalidationSummary[];
  @ApiProperty() filedAt!: string;
  @ApiProperty({ type: String, nullable }) submittedAt!: string | null;
  @ApiProperty({ type: String, nullable }) responseDueAt!: string | null;
  @ApiProperty() deadlineMissed!: boolean;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: String, nullable }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable, enum: ['admissible', 'inadmissible'] }) admissibility!: 'admissible' | 'inadmissible' | null;
  @ApiProperty({ type: String, nullable }) agendaSession!: string | null;
  @ApiProperty({ type: TargetSession, nullable }) targetSession!: TargetSession | null;
  @ApiProperty() sessionMissed!: boolean;
  @ApiProperty({ type: String, nullable, enum: ['response_deadline', 'agenda_session'] }) overdueReason!: string | null;
  @ApiProperty({ type: String, nullable }) overdueSince!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable,
    description: 'What the filing declares attached (identity-card copies; an association’s members and documents); null for older filings',
  })
  declaredDocuments!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable }) rulebookVersion!: string | null;
  @ApiProperty({ type: String, nullable }) committee!: string | null;
  @ApiProperty({ type: [String], description: 'Inadmissibility reason codes (GET /councils/{id} gives their labels)' }) reasonCodes!: string[];
  @ApiProperty({ type: String, nullable }) reasonText!: string | null;
  @ApiProperty({ type: String, nullable }) answeredAt!: string | null;
  @ApiProperty({ type: PetitionResponseText, nullable }) response!: PetitionResponseText | null;
  @ApiProperty({ type: String, nullable }) withdrawnAt!: string | null;
  @ApiProperty({ type: String, nullable }) withdrawalReason!: string | null;
  @ApiProperty({ type: String, nullable }) closedAt!: string | null;
  @ApiProperty() lastEventAt!: string;
  @ApiProperty({ type: String, nullable, description: 'The dialogue thread the petition was escalated from' }) fromThreadId!: string | null;
  @ApiProperty({ type: [OfficialPosition] }) officialPositions!: OfficialPosition[];
}

export class ThresholdRules {
  @ApiProperty() required!: number;
  @ApiPropertyOptional({ type: [ProvinceShare] }) provinceShares?: ProvinceShare[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) bands!: object[];
  @ApiPropertyOptional() provinceSharePercent?: number;
  @ApiProperty() appliesTo!: string;
}

export class InadmissibilityReason {
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedName }) labels!: LocalizedName;
  @ApiProperty({ type: String, nullable }) article!: string | null;
  @ApiProperty({ enum: ['organic law', 'none'] }) legalBasis!: string;
  @ApiProperty() acceptedInNewDecisions!: boolean;
}

export class CouncilRules {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The organic law, with its source' }) law!: Record<string, unknown>;
  @ApiProperty({ type: ThresholdRules }) threshold!: ThresholdRules;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'value (months), source, confidence' }) responseDeadlineMonths!: Record<
    string,
    unknown
  >;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) eligibility!: Record<string, unknown>[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) sessionCalendar?: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'What an association must show' }) association!: Record<string, unknown>;
  @ApiProperty({ type: [InadmissibilityReason] }) inadmissibilityReasons!: InadmissibilityReason[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Length limits of the petition fields' }) limits!: Record<string, unknown>;
}

export class ProvinceRef {
  @ApiProperty() id!: string;
  @ApiProperty({ type: LocalizedName }) name!: LocalizedName;
}

export class CouncilView {
  @ApiProperty({ example: 'commune-tan-tan' }) id!: string;
  @ApiProperty({ enum: ['commune', 'province', 'region'] }) level!: string;
  @ApiProperty({ type: LocalizedName }) name!: LocalizedName;
  @ApiPropertyOptional() provinceId?: string;
  @ApiPropertyOptional() regionId?: string;
  @ApiProperty() signatureThreshold!: number;
  @ApiProperty() responseDeadlineMonths!: number;
  @ApiProperty() rulebookVersion!: string;
  @ApiProperty() population!: number;
  @ApiPropertyOptional({ type: [Number] }) ordinarySessionMonths?: number[];
  @ApiPropertyOptional({ type: [ProvinceRef] }) provinces?: ProvinceRef[];
  @ApiProperty({ type: CouncilRules }) rules!: CouncilRules;
}

export class StatusCounts {
  @ApiProperty() collecting!: number;
  @ApiProperty() submitted!: number;
  @ApiProperty() admissible!: number;
  @ApiProperty() inadmissible!: number;
  @ApiProperty() answered!: number;
  @ApiProperty() withdrawn!: number;
}

export class DecisionCounts {
  @ApiProperty() admissible!: number;
  @ApiProperty() inadmissible!: number;
}

export class ResponseCounts {
  @ApiProperty() adopted!: number;
  @ApiProperty() partially_adopted!: number;
  @ApiProperty() rejected!: number;
}

export class FraudCheckCounts {
  @ApiProperty() invalidations!: number;
  @ApiProperty() signaturesInvalidated!: number;
  @ApiProperty() signaturesReinstated!: number;
}

export class CommitmentCounts {
  @ApiProperty() open!: number;
  @ApiProperty() kept!: number;
  @ApiProperty() missed!: number;
}

export class DialogueFigures {
  @ApiProperty() threads!: number;
  @ApiProperty() open!: number;
  @ApiProperty() resolved!: number;
  @ApiProperty() closed!: number;
  @ApiProperty() withOfficialReply!: number;
  @ApiProperty({ type: Number, nullable }) officialReplyRate!: number | null;
  @ApiProperty() withCouncilAnswer!: number;
  @ApiProperty({ type: Number, nullable }) medianHoursToFirstReply!: number | null;
  @ApiProperty({ type: CommitmentCounts }) commitments!: CommitmentCounts;
  @ApiProperty() escalatedToPetitions!: number;
}

export class CouncilDashboardView {
  @ApiProperty() councilId!: string;
  @ApiProperty({ enum: ['commune', 'province', 'region'] }) level!: string;
  @ApiProperty({ type: LocalizedName }) name!: LocalizedName;
  @ApiProperty() total!: number;
  @ApiProperty({ type: StatusCounts }) byStatus!: StatusCounts;
  @ApiProperty() closed!: number;
  @ApiProperty({ type: DecisionCounts }) decisions!: DecisionCounts;
  @ApiProperty({ type: Number, nullable, description: 'admissible / decided, null before any decision' }) admissibilityRate!: number | null;
  @ApiProperty({ type: Number, nullable }) medianDaysToDecision!: number | null;
  @ApiProperty() overdueNow!: number;
  @ApiProperty() deadlinesMissed!: number;
  @ApiProperty() sessionsMissed!: number;
  @ApiProperty({ type: ResponseCounts }) responses!: ResponseCounts;
  @ApiProperty({ type: FraudCheckCounts }) fraudChecks!: FraudCheckCounts;
  @ApiProperty({ type: DialogueFigures }) dialogue!: DialogueFigures;
}

export class ReceiptVerification {
  @ApiProperty({ enum: [true] }) valid!: boolean;
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ format: 'uuid' }) signatureId!: string;
  @ApiProperty() signedAt!: string;
  @ApiProperty({ description: 'Global position of the PetitionSigned event' }) position!: string;
  @ApiProperty({ type: String, nullable }) eventHash!: string | null;
  @ApiProperty({ enum: ['signed', 'withdrawn', 'invalidated'] }) status!: string;
  @ApiPropertyOptional() withdrawnAt?: string;
  @ApiPropertyOptional() invalidationId?: string;
  @ApiPropertyOptional() invalidationReason?: string;
  @ApiProperty({ type: Boolean, nullable, description: 'Counted in the submission to the council; null before submission' }) includedInSubmission!:
    boolean | null;
}

export class Freshness {
  @ApiProperty({ description: 'Global position the read model has applied' }) position!: string;
  @ApiProperty({ description: 'Whether minPosition was reached' }) caughtUp!: boolean;
}

export class PetitionSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() councilId!: string;
  @ApiProperty({ enum: ['commune', 'province', 'region'] }) councilLevel!: string;
  @ApiProperty({ type: LocalizedName }) councilName!: LocalizedName;
  @ApiProperty({ enum: ['citizens', 'association'] }) petitionerType!: string;
  @ApiProperty({ enum: ['collecting', 'submitted', 'admissible', 'inadmissible', 'answered', 'withdrawn'] }) status!: string;
  @ApiProperty() subStatus!: string;
  @ApiProperty() closed!: boolean;
  @ApiProperty() signatureCount!: number;
  @ApiProperty() threshold!: number;
  @ApiProperty() progress!: number;
  @ApiProperty() filedAt!: string;
  @ApiProperty({ type: String, nullable }) submittedAt!: string | null;
  @ApiProperty({ type: String, nullable }) responseDueAt!: string | null;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ type: String, nullable, enum: ['response_deadline', 'agenda_session'] }) overdueReason!: string | null;
  @ApiProperty({ type: TargetSession, nullable }) targetSession!: TargetSession | null;
  @ApiProperty() sessionMissed!: boolean;
}

export class PetitionPage {
  @ApiProperty({ type: [PetitionSummary] }) items!: PetitionSummary[];
  @ApiProperty({ type: String, nullable, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
  @ApiProperty({ type: Freshness }) freshness!: Freshness;
}

export class OverduePetition extends PetitionSummary {
  @ApiProperty() daysOverdue!: number;
}

export class OverduePage {
  @ApiProperty({ type: [OverduePetition] }) items!: OverduePetition[];
  @ApiProperty({ type: String, nullable }) nextCursor!: string | null;
  @ApiProperty({ type: Freshness }) freshness!: Freshness;
}

export class HistoryEntry {
  @ApiProperty() at!: string;
  @ApiProperty({ description: 'The event type, e.g. PetitionFiled' }) type!: string;
  @ApiProperty() actorRole!: string;
  @ApiProperty({ description: "The actor's role, in words" }) actor!: string;
  @ApiProperty({ description: 'What happened, in the chosen language' }) text!: string;
}

export class HistoryPage {
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ enum: ['ar', 'fr', 'en'] }) lang!: string;
  @ApiProperty({ type: [HistoryEntry] }) entries!: HistoryEntry[];
  @ApiProperty({ type: String, nullable }) nextCursor!: string | null;
}

export class SignatureDay {
  @ApiProperty({ example: '2027-03-01' }) day!: string;
  @ApiProperty() signed!: number;
  @ApiProperty() withdrawn!: number;
  @ApiProperty() invalidated!: number;
  @ApiProperty() reinstated!: number;
  @ApiProperty() net!: number;
  @ApiProperty() cumulative!: number;
}

export class SignatureDays {
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ type: [SignatureDay] }) days!: SignatureDay[];
}

export class CouncilSummary {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['commune', 'province', 'region'] }) level!: string;
  @ApiProperty({ type: LocalizedName }) name!: LocalizedName;
  @ApiPropertyOptional() provinceId?: string;
  @ApiPropertyOptional() regionId?: string;
  @ApiProperty() signatureThreshold!: number;
  @ApiProperty() responseDeadlineMonths!: number;
}

export class CouncilList {
  @ApiProperty() rulebookVersion!: string;
  @ApiProperty({ type: [CouncilSummary] }) councils!: CouncilSummary[];
}

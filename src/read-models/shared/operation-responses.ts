/**
 * Success schemas of the remaining read routes: the audit log (checkpoints, a receipt's proof, a
 * petition's events), the public signature list, the exports and the operations routes (health,
 * readiness, projections). With them every operation of the OpenAPI document declares what it
 * answers (test/e2e/openapi.e2e-spec.ts keeps it so).
 */
import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ChainVerificationView, StoredEventView } from './dialogue-responses';

const nullable = true;

export class SignedCheckpointView {
  @ApiProperty({ description: 'Leaves covered: events 0 … treeSize − 1 in global position order' }) treeSize!: number;
  @ApiProperty({ description: 'RFC 9162 root of those leaves, hex' }) rootHash!: string;
  @ApiProperty({ description: 'Global position of the first covered event' }) firstPosition!: string;
  @ApiProperty({ description: 'Global position of the last covered event' }) lastPosition!: string;
  @ApiProperty() checkpointedAt!: string;
  @ApiProperty({ description: 'The key that signed (GET /audit/public-key)' }) keyId!: string;
  @ApiProperty({ description: 'Ed25519 signature of the checkpoint statement, base64' }) signature!: string;
  @ApiProperty({ description: 'Global position of the AuditCheckpointSigned event' }) position!: string;
  @ApiProperty({ description: 'Its revision in the audit stream' }) revision!: string;
}

export class CheckpointPage {
  @ApiProperty({ type: [SignedCheckpointView], description: 'Newest first' }) items!: SignedCheckpointView[];
  @ApiProperty({ type: String, nullable, description: 'Pass as `before` for older checkpoints; null on the last page' }) next!: string | null;
}

export class ReceiptProof {
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ format: 'uuid' }) signatureId!: string;
  @ApiProperty({ description: 'The PetitionSigned event’s chain hash, hex' }) eventHash!: string;
  @ApiProperty() position!: string;
  @ApiProperty() leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'SHA-256(0x00 ‖ eventHash), hex' }) leafHash!: string;
  @ApiProperty() rootHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 §2.1.3 audit path, hex, leaf to root' }) proof!: string[];
  @ApiProperty({ type: SignedCheckpointView }) checkpoint!: SignedCheckpointView;
}

export class PetitionEventsPage {
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ type: ChainVerificationView }) lifecycleIntegrity!: ChainVerificationView;
  @ApiProperty({ type: ChainVerificationView }) invalidationsIntegrity!: ChainVerificationView;
  @ApiProperty({ type: ChainVerificationView }) signatoryDataIntegrity!: ChainVerificationView;
  @ApiProperty({ type: ChainVerificationView }) pageIntegrity!: ChainVerificationView;
  @ApiProperty({ type: [StoredEventView] }) events!: StoredEventView[];
  @ApiProperty({ type: String, nullable, description: 'Pass as `after` for the next page; null on the last page' }) next!: string | null;
}

export class PublicSignature {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ description: 'Keyed hash of the signer, per petition: never an identity' }) signerHash!: string;
  @ApiProperty({ example: 'online' }) channel!: string;
  @ApiProperty({ type: String, nullable }) provinceId!: string | null;
  @ApiProperty() signedAt!: string;
  @ApiProperty({ enum: ['signed', 'withdrawn', 'invalidated'] }) status!: string;
  @ApiProperty({ enum: ['counted', 'withdrawn', 'invalidated'] }) state!: string;
  @ApiProperty({ type: String, nullable }) withdrawnAt!: string | null;
  @ApiProperty({ type: String, nullable }) invalidationId!: string | null;
  @ApiProperty({ type: String, nullable }) invalidationReason!: string | null;
  @ApiProperty({ type: String, nullable }) invalidatedAt!: string | null;
}

export class SignaturePage {
  @ApiProperty({ format: 'uuid' }) petitionId!: string;
  @ApiProperty({ type: [PublicSignature] }) items!: PublicSignature[];
  @ApiProperty({ type: String, nullable }) nextCursor!: string | null;
}

class HeadPosition {
  @ApiProperty({ description: 'The event store’s head (global position, decimal string)' }) headPosition!: string;
}

export class HealthView {
  @ApiProperty({ example: 'ok' }) status!: string;
  @ApiProperty({ example: 'all', description: 'What this process runs: all, api or projector' }) role!: string;
  @ApiProperty({ type: HeadPosition }) eventStore!: HeadPosition;
}

export class LiveView {
  @ApiProperty({ example: 'ok' }) status!: string;
}

export class StoreCheck {
  @ApiProperty({ enum: ['up', 'down'] }) status!: string;
  @ApiProperty({ description: 'Which store (embedded SQLite, EventStoreDB, MongoDB…)' }) store!: string;
  @ApiPropertyOptional() headPosition?: string;
  @ApiPropertyOptional({ description: 'Why it is down' }) error?: string;
}

export class ProjectionStatus {
  @ApiProperty() name!: string;
  @ApiProperty() version!: number;
  @ApiProperty() generation!: number;
  @ApiProperty({ description: 'Global position applied' }) position!: string;
  @ApiProperty() headPosition!: string;
  @ApiProperty({ description: 'head − position (positions)' }) lag!: string;
}

export class ProjectorCheck {
  @ApiProperty({ enum: ['running', 'restarting'] }) status!: string;
  @ApiPropertyOptional() error?: string;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) projections!: Record<string, unknown>[];
}

export class ReadyView {
  @ApiProperty({ enum: ['ready', 'unavailable'] }) status!: string;
  @ApiProperty({ example: 'all', description: 'What this process runs: all, api or projector' }) role!: string;
  @ApiProperty({ type: StoreCheck }) eventStore!: StoreCheck;
  @ApiProperty({ type: StoreCheck }) readStore!: StoreCheck;
  @ApiPropertyOptional({ type: ProjectorCheck, description: 'Where the projector runs in this process' }) projector?: ProjectorCheck;
}

export class ProjectionsView {
  @ApiProperty() headPosition!: string;
  @ApiProperty({ type: [ProjectionStatus] }) projections!: ProjectionStatus[];
}

/** An export's two formats: CSV (UTF-8 with a BOM, for spreadsheets) or a JSON array of rows. */
export const ApiExportResponse = (description: string) =>
  applyDecorators(
    ApiOkResponse({
      description,
      content: {
        'text/csv': { schema: { type: 'string', description: 'A header line, then one line per row' } },
        'application/json': { schema: { type: 'array', items: { type: 'object', additionalProperties: true } } },
      },
    }),
  );

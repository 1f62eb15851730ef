/** No request body: the checkpoint covers the whole log as it stands. The answer is the checkpoint. */
import { ApiProperty } from '@nestjs/swagger';

export class CheckpointResponse {
  @ApiProperty({ description: 'Leaves covered: the events 0 … treeSize − 1 in global position order' }) treeSize!: number;
  @ApiProperty({ description: 'RFC 9162 Merkle root (SHA-256), hex' }) rootHash!: string;
  @ApiProperty({ description: 'Global position of the first covered event' }) firstPosition!: string;
  @ApiProperty({ description: 'Global position of the last covered event' }) lastPosition!: string;
  @ApiProperty({ description: 'When it was signed (ISO 8601)' }) checkpointedAt!: string;
  @ApiProperty({ description: 'Id of the Ed25519 key that signed it (see GET /audit/public-key)' }) keyId!: string;
  @ApiProperty({ description: 'Ed25519 signature of the checkpoint statement, base64' }) signature!: string;
  @ApiProperty({ description: 'Global position of the checkpoint event itself (audit stream)' }) position!: string;
  @ApiProperty({ description: 'Revision of the checkpoint event in the audit stream' }) revision!: string;
}

export class SignAuditCheckpointResponse {
  @ApiProperty({ description: 'false when the newest checkpoint already covered every event (it is returned)' }) created!: boolean;
  @ApiProperty({ type: CheckpointResponse }) checkpoint!: CheckpointResponse;
}

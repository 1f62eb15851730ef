import { Controller, Get, Inject, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiPropertyOptional,
  ApiProperty,
  ApiTags,
  ApiBadRequestResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Readable } from 'node:stream';
import { AuditLog } from '../../application/audit-log.service';
import { petitionStreamId } from '../../domain/petition/petition.events';
import { signatureStreamPrefix } from '../../domain/signature/signature.events';
import { invalidationStreamId } from '../../domain/signature/invalidation.events';
import { DomainError, forbidden } from '../../domain/shared/domain-error';
import type { Actor } from '../../domain/shared/actor';
import { CurrentActor, Public, Roles } from '../../infrastructure/auth/auth.guard';
import { ProblemDocument } from '../../infrastructure/http/openapi';
import { RequestValidationError } from '../../infrastructure/http/problem-details';
import { PetitionIdPipe } from '../../infrastructure/http/petition-id.pipe';
import { EVENT_STORE, EventStore, StreamNotFoundError } from '../../infrastructure/event-store/event-store.port';
import { CheckpointPage } from '../shared/operation-responses';

const POSITION = /^[1-9]\d{0,18}$/;

class CheckpointsQuery {
  @ApiPropertyOptional({ description: '1–100, default 20', minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Page back: checkpoints before this audit-stream revision (the `next` of the previous page)' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'before must be a revision (decimal digits)' })
  before?: string;
}

class InclusionQuery {
  @ApiProperty({ description: 'Global position of the event' })
  @Matches(POSITION, { message: 'position must be a global position (decimal digits)' })
  position!: string;

  @ApiPropertyOptional({ description: 'Tree size to prove against; default the newest checkpoint’s' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  treeSize?: number;
}

class ConsistencyQuery {
  @ApiProperty({ description: 'The smaller tree size (an earlier checkpoint’s)' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from!: number;

  @ApiProperty({ description: 'The larger tree size' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  to!: number;
}

class PublicKeyResponse {
  @ApiProperty({ example: 'Ed25519' }) algorithm!: string;
  @ApiProperty({ description: 'First 16 hex digits of SHA-256 over the key’s SubjectPublicKeyInfo' }) keyId!: string;
  @ApiProperty({ description: 'SPKI PEM' }) publicKey!: string;
}

class InclusionResponse {
  @ApiProperty() position!: string;
  @ApiProperty() leafIndex!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'SHA-256(0x00 ‖ the event’s chain hash), hex' }) leafHash!: string;
  @ApiProperty() rootHash!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 §2.1.3 audit path, hex, leaf to root' }) proof!: string[];
}

class ConsistencyResponse {
  @ApiProperty() from!: number;
  @ApiProperty() to!: number;
  @ApiProperty() fromRoot!: string;
  @ApiProperty() toRoot!: string;
  @ApiProperty({ type: [String], description: 'RFC 9162 §2.1.4 consistency proof, hex' }) proof!: string[];
}

const notFound = () => new DomainError('PETITION_NOT_FOUND', 'No such petition', 'not_found');

/** The verifiable history: the Merkle log's signed checkpoints and proofs, and a petition's audit export. */
@ApiTags('audit')
@Controller()
export class AuditLogController {
  constructor(
    private readonly log: AuditLog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('audit/public-key')
  @Public()
  @ApiOperation({
    summary: 'The Ed25519 public key that signs checkpoints',
    description:
      'Obtain it once, through a channel you trust (the council publishes it), and verify exports offline with it. A rotated key has a new keyId; checkpoints name the key that signed them.',
  })
  @ApiOkResponse({ type: PublicKeyResponse })
  publicKey(): PublicKeyResponse {
    return { algorithm: 'Ed25519', keyId: this.log.keyId, publicKey: this.log.publicKeyPem() };
  }

  @Get('audit/checkpoints')
  @Public()
  @ApiOperation({
    summary: 'Signed checkpoints of the Merkle log, newest first',
    description: 'Tree size, root, position range, time, key id and signature of each.',
  })
  @ApiOkResponse({ type: CheckpointPage })
  @ApiBadRequestResponse({ type: ProblemDocument, description: 'VALIDATION_FAILED' })
  async checkpoints(@Query() query: CheckpointsQuery) {
    const limit = query.limit ?? 20;
    const items = await this.log.checkpoints({ limit, ...(query.before !== undefined ? { before: BigInt(query.before) } : {}) });
    const lastRevision = items.length === limit ? items[items.length - 1].revision : null;
    return { items, next: lastRevision !== null && lastRevision !== '0' ? lastRevision : null };
  }

  @Get('audit/proofs/inclusion')
  @Public()
  @ApiOperation({
    summary: 'Inclusion proof of the event at a global position',
    description: 'Against a tree size (default: the newest checkpoint’s). Verify with RFC 9162 §2.1.3.2; the leaf is SHA-256(0x00 ‖ the event’s chain hash).',
  })
  @ApiOkResponse({ type: InclusionResponse })
  @ApiBadRequestResponse({ type: ProblemDocument, description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'POSITION_NOT_IN_LOG' })
  @ApiConflictResponse({ type: ProblemDocument, description: 'NO_CHECKPOINT_YET, TREE_SIZE_NOT_REACHED, NOT_YET_CHECKPOINTED' })
  inclusion(@Query() query: InclusionQuery): Promise<InclusionResponse> {
    return this.log.inclusion(BigInt(query.position), query.treeSize);
  }

  @Get('audit/proofs/consistency')
  @Public()
  @ApiOperation({
    summary: 'Consistency proof between two tree sizes',
    description: 'Proves the larger tree only appends to the smaller one (RFC 9162 §2.1.4).',
  })
  @ApiOkResponse({ type: ConsistencyResponse })
  @ApiBadRequestResponse({ type: ProblemDocument, description: 'VALIDATION_FAILED' })
  @ApiConflictResponse({ type: ProblemDocument, description: 'TREE_SIZE_NOT_REACHED' })
  consistency(@Query() query: ConsistencyQuery): Promise<ConsistencyResponse> {
    if (query.from > query.to) throw new RequestValidationError([{ field: 'from', messages: ['from must not exceed to'] }]);
    return this.log.consistency(query.from, query.to);
  }

  @Get('petitions/:id/audit')
  @ApiBearerAuth()
  @Roles('auditor', 'admin', 'clerk', 'official')
  @ApiProduces('application/jsonl')
  @ApiOperation({
    summary: "The petition's audit export (JSON Lines), to verify offline with `npm run audit:verify`",
    description:
      'Header (format, public key), the newest signed checkpoint, the one before it with a consistency proof, then every lifecycle and signature event with its hash-chain link, leaf index and inclusion proof; events appended after the checkpoint come last without a proof; the end line counts them. Signers appear only as keyed hashes. Clerks and officials: their own council only.',
  })
  @ApiOkResponse({
    description: 'application/jsonl, one JSON object per line: header, checkpoint(s), consistency, events, end',
    content: { 'application/jsonl': { schema: { type: 'string', description: 'JSON Lines (see npm run audit:verify)' } } },
  })
  @ApiUnauthorizedResponse({ type: ProblemDocument, description: 'UNAUTHENTICATED: missing, invalid or expired bearer token' })
  @ApiForbiddenResponse({ type: ProblemDocument, description: 'ROLE_NOT_ALLOWED, NOT_COUNCIL_STAFF' })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'PETITION_NOT_FOUND' })
  @ApiConflictResponse({ type: ProblemDocument, description: 'NO_CHECKPOINT_YET' })
  async export(@Param('id', PetitionIdPipe) id: string, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    let councilId: string;
    try {
      const [filed] = await this.store.readStream(petitionStreamId(id), { maxCount: 1 });
      councilId = (filed.data as { councilId: string }).councilId;
    } catch (e) {
      if (e instanceof StreamNotFoundError) throw notFound();
      throw e;
    }
    const isStaff = actor.roles.some((r) => r === 'clerk' || r === 'official');
    if (isStaff && !actor.roles.some((r) => r === 'auditor' || r === 'admin') && actor.councilId !== councilId) {
      throw forbidden('NOT_COUNCIL_STAFF', `Clerks and officials export their own council's petitions only`);
    }
    await this.log.catchUp();
    const lines = await this.log.exportOf(id, [petitionStreamId(id), invalidationStreamId(id)], [signatureStreamPrefix(id)]);
    if (!lines) throw new DomainError('NO_CHECKPOINT_YET', 'No checkpoint has been signed yet: ask an admin to sign one (POST /audit/checkpoints)', 'conflict');
    const text = Readable.from(
      (async function* () {
        for await (const line of lines) yield JSON.stringify(line) + '\n';
      })(),
    );
    return new StreamableFile(text, { type: 'application/jsonl; charset=utf-8', disposition: `attachment; filename="petition-${id}-audit.jsonl"` });
  }
}

/**
 * Development login: mints a development token, the same as `npm run token`, so the portal can be
 * tried in a browser without an identity provider. It exists only when the service runs with the
 * embedded development secret (DATA_DIR/secrets.json) on the embedded stores, listening on loopback
 * only: a service given JWT_SECRET or JWT_JWKS_URL by its operator, running on EventStoreDB, or
 * listening on another interface, has no such route.
 */
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { Role } from '../../domain/shared/actor';
import { IDENTITY_NUMBER, normaliseIdentityNumber } from '../../domain/signature/identity-number';
import { DomainError } from '../../domain/shared/domain-error';
import { RULEBOOK } from '../rulebook/rulebook.loader';
import type { RulesInForce } from '../../domain/rules/rulebook';
import { IsCleanText } from '../http/clean-text';
import { ProblemDocument } from '../http/openapi';
import { RequestValidationError } from '../http/problem-details';
import { RateLimited } from '../rate-limit/rate-limit.guard';
import { Public } from './auth.guard';
import { signDevToken } from './jwt-verifier';

const DEV_ROLES = ['citizen', 'association_rep', 'clerk', 'official', 'auditor', 'agent'] as const;

/** The development login is offered only on the embedded development secret and stores. */
export function devLoginEnabled(config: AppConfig): boolean {
  return config.jwt.embedded === true && !config.eventStoreUrl && !config.mongodbUrl && config.trustProxy === false && LOOPBACK.has(config.host);
}

/**
 * A council serving the embedded store to its network (HOST=0.0.0.0…, or behind a reverse proxy it
 * trusts with TRUST_PROXY) has no development login.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export class DevTokenRequest {
  @ApiProperty({ enum: DEV_ROLES })
  @IsIn(DEV_ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'Clerks and officials: the council they act for', example: 'commune-tan-tan' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  council?: string;

  @ApiPropertyOptional({ description: 'The identity number (CNIE) an identity provider would attest', example: 'JB123456' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseIdentityNumber(value) : value))
  @IsString()
  @Matches(IDENTITY_NUMBER, { message: 'cin must be a CNIE number: one or two letters then digits' })
  cin?: string;

  @ApiPropertyOptional({ description: 'The attested full name', example: 'Amina El Idrissi' })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ description: 'The attested postal address' })
  @IsOptional()
  @IsCleanText()
  @IsString()
  @MaxLength(200)
  address?: string;
}

export class DevTokenResponse {
  @ApiProperty({ description: 'A bearer token, HS256, valid 2 hours' }) token!: string;
  @ApiProperty() sub!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty({ type: String, nullable: true }) council!: string | null;
}

@ApiTags('development')
@Controller('dev')
export class DevTokenController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RULEBOOK) private readonly rules: RulesInForce,
  ) {}

  @Post('token')
  @Public()
  // Minting tokens opens the way to filing: the filing limits per address apply.
  @RateLimited('filing')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Development login: a development token (only on the embedded development secret; absent in production)',
    description: 'What `npm run token` prints, for the portal’s development login. A service configured with JWT_SECRET or JWT_JWKS_URL has no such route.',
  })
  @ApiOkResponse({ type: DevTokenResponse })
  @ApiBadRequestResponse({
    type: ProblemDocument,
    description: 'VALIDATION_FAILED (a role it does not mint, a clerk or official without a council), MALFORMED_JSON',
  })
  @ApiNotFoundResponse({ type: ProblemDocument, description: 'COUNCIL_NOT_FOUND' })
  @ApiPayloadTooLargeResponse({ type: ProblemDocument, description: 'PAYLOAD_TOO_LARGE' })
  @ApiTooManyRequestsResponse({ type: ProblemDocument, description: 'RATE_LIMITED: the filing limits per address apply (a token is the way to file)' })
  async token(@Body() body: DevTokenRequest): Promise<DevTokenResponse> {
    const needsCouncil = body.role === 'clerk' || body.role === 'official';
    if (needsCouncil && !body.council) throw new RequestValidationError([{ field: 'council', messages: ['clerks and officials act for one council'] }]);
    if (body.council && !this.rules.registry.councils.some((c) => c.id === body.council))
      throw new DomainError('COUNCIL_NOT_FOUND', `No council ${body.council}`, 'not_found');
    const sub = `${body.role}-${randomUUID().slice(0, 8)}`;
    const token = await signDevToken(
      this.config.jwt.secret!,
      {
        sub,
        roles: [body.role],
        ...(body.council ? { council: body.council } : {}),
        ...(body.cin ? { cin: body.cin } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.address ? { address: body.address } : {}),
      },
      {
        expiresIn: '2h',
        ...(this.config.jwt.issuer ? { issuer: this.config.jwt.issuer } : {}),
        ...(this.config.jwt.audience ? { audience: this.config.jwt.audience } : {}),
      },
    );
    return { token, sub, roles: [body.role], council: body.council ?? null };
  }
}

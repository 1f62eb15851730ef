/** Shared OpenAPI annotations: the error shape and the idempotency header every command accepts. */
import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiPayloadTooLargeResponse,
  ApiTooManyRequestsResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';

export class ProblemDocument {
  @ApiProperty({ example: 'https://petitions.example/problems/already-signed' }) type!: string;
  @ApiProperty({ example: 'Conflict with the current state' }) title!: string;
  @ApiProperty({ example: 409 }) status!: number;
  @ApiProperty({ description: 'Stable machine-readable code', example: 'ALREADY_SIGNED' }) code!: string;
  @ApiPropertyOptional({ example: 'This person has already signed the petition' }) detail?: string;
  @ApiPropertyOptional({ example: '/petitions/0193…/signatures' }) instance?: string;
  @ApiPropertyOptional({
    description: 'Validation errors: each field and why',
    example: [{ field: 'title', messages: ['title must be longer than or equal to 10 characters'] }],
  })
  errors?: { field: string; messages: string[] }[];
  @ApiPropertyOptional({ description: 'Validation errors: how many fields failed in all (only the first 10 are listed)', example: 1 })
  errorCount?: number;
  @ApiPropertyOptional({ description: 'RATE_LIMITED: seconds before retrying (also in the Retry-After header)', example: 42 })
  retryAfterSeconds?: number;
  @ApiPropertyOptional({ description: 'Rule-specific facts, e.g. required and counted signatures' }) details?: Record<string, unknown>;
}

const PROBLEM = { type: ProblemDocument, description: '' };
const described = (description: string) => ({ ...PROBLEM, description: `${description} (application/problem+json)` });

/** What the HTTP edge may answer to any command: a refused body, a body too large, too many requests, no valid token. */
export const ApiEdgeErrors = () =>
  applyDecorators(
    ApiBadRequestResponse(
      described(
        'Invalid body: VALIDATION_FAILED names the first fields and counts them all (errorCount); MALFORMED_JSON (also invalid UTF-8); BODY_TOO_COMPLEX',
      ),
    ),
    ApiPayloadTooLargeResponse(described('PAYLOAD_TOO_LARGE: a body over 256 KB')),
    ApiTooManyRequestsResponse(
      described('RATE_LIMITED: too many requests of this kind from this address or account; the Retry-After header says when to retry'),
    ),
    ApiUnauthorizedResponse(described('UNAUTHENTICATED: missing, invalid or expired bearer token')),
  );

/** The errors of the petition's commands (problem+json, stable codes). */
export const ApiCommandErrors = () =>
  applyDecorators(
    ApiEdgeErrors(),
    ApiForbiddenResponse(described('ROLE_NOT_ALLOWED, NOT_PETITION_OWNER, NOT_COUNCIL_STAFF')),
    ApiNotFoundResponse(described('PETITION_NOT_FOUND')),
    ApiConflictResponse(described('Wrong state (e.g. PETITION_NOT_COLLECTING), ALREADY_SIGNED, CONCURRENT_CHANGE, IDEMPOTENCY_KEY_IN_PROGRESS')),
    ApiUnprocessableEntityResponse(described('Refused by a legal rule (e.g. THRESHOLD_NOT_MET, ASSOCIATION_TOO_RECENT), IDEMPOTENCY_KEY_REUSED')),
  );

export const ApiIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Any unique string (1–255 visible ASCII). A retry with the same key and body returns the first answer and appends nothing.',
  });

/** The errors of the dialogue's commands (problem+json, stable codes). */
export const ApiDialogueErrors = () =>
  applyDecorators(
    ApiEdgeErrors(),
    ApiForbiddenResponse(described('ROLE_NOT_ALLOWED, NOT_COUNCIL_OFFICIAL, NOT_REGISTERED_OFFICIAL, NOT_COUNCIL_STAFF, NOT_THREAD_OPENER')),
    ApiNotFoundResponse(described('THREAD_NOT_FOUND, MESSAGE_NOT_FOUND, COMMITMENT_NOT_FOUND, PETITION_NOT_FOUND, OFFICIAL_NOT_FOUND, COUNCIL_NOT_FOUND')),
    ApiConflictResponse(
      described(
        'Wrong state: THREAD_CLOSED, ALREADY_COUNCIL_ANSWER, COMMITMENT_NOT_OPEN, MESSAGE_ALREADY_HIDDEN, THREAD_ALREADY_ESCALATED, POSITION_UNCHANGED, CONCURRENT_CHANGE…',
      ),
    ),
    ApiUnprocessableEntityResponse(
      described('Refused by a rule: PERSONAL_DATA_IN_TEXT, UNKNOWN_CATEGORY, COMMITMENT_DATE_NOT_FUTURE, INVALID_TERM, IDEMPOTENCY_KEY_REUSED…'),
    ),
  );

/** The errors of the audit log's commands (problem+json, stable codes). */
export const ApiAuditErrors = () =>
  applyDecorators(
    ApiEdgeErrors(),
    ApiForbiddenResponse(described('ROLE_NOT_ALLOWED')),
    ApiConflictResponse(described('NOTHING_TO_CHECKPOINT, CONCURRENT_CHANGE, IDEMPOTENCY_KEY_IN_PROGRESS')),
    ApiUnprocessableEntityResponse(described('IDEMPOTENCY_KEY_REUSED')),
  );

/** What a read route may refuse: a query, cursor or path parameter that does not validate. */
export const ApiQueryErrors = (codes = 'VALIDATION_FAILED (a query parameter, cursor or identifier that does not validate)') =>
  ApiBadRequestResponse(described(codes));

/** What a read route for some roles only may refuse, besides its query. */
export const ApiAuthErrors = (forbidden = 'ROLE_NOT_ALLOWED') =>
  applyDecorators(ApiUnauthorizedResponse(described('UNAUTHENTICATED: missing, invalid or expired bearer token')), ApiForbiddenResponse(described(forbidden)));

type ResponsesObject = Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;

/**
 * Errors are served as application/problem+json: the document says so. Every error response whose
 * schema is the ProblemDocument is declared under that media type alone (rather than
 * application/json, or the media types the route produces on success).
 */
export function declareProblemMediaType(document: { paths: object }): void {
  for (const item of Object.values(document.paths) as object[]) {
    for (const operation of Object.values(item) as unknown[]) {
      const responses = (operation as { responses?: ResponsesObject }).responses ?? {};
      for (const [status, response] of Object.entries(responses)) {
        // Under application/json, or under what the route produces (text/csv, application/jsonl…).
        const problem = Object.values(response.content ?? {}).find((media) => media.schema?.$ref === '#/components/schemas/ProblemDocument');
        if (Number(status) < 400 || !problem) continue;
        response.content = { 'application/problem+json': problem };
      }
    }
  }
}

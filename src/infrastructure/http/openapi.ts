/** Shared OpenAPI annotations: the error shape and the idempotency header every command accepts. */
import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
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
  @ApiPropertyOptional({ description: 'Rule-specific facts, e.g. required and counted signatures' }) details?: Record<string, unknown>;
}

const PROBLEM = { type: ProblemDocument, description: '' };
const described = (description: string) => ({ ...PROBLEM, description: `${description} (application/problem+json)` });

export const ApiCommandErrors = () =>
  applyDecorators(
    ApiBadRequestResponse(described('Invalid body: VALIDATION_FAILED names each field; MALFORMED_JSON')),
    ApiUnauthorizedResponse(described('UNAUTHENTICATED: missing, invalid or expired bearer token')),
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
    ApiBadRequestResponse(described('Invalid body: VALIDATION_FAILED names each field; MALFORMED_JSON')),
    ApiUnauthorizedResponse(described('UNAUTHENTICATED: missing, invalid or expired bearer token')),
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

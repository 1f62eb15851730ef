/**
 * Every error leaves as application/problem+json (RFC 9457) with a stable `code`. Bad input is
 * a 4xx with what was wrong; a 500 means a bug on our side, and says nothing more to the caller.
 */
import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, ValidationError } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../domain/shared/domain-error';
import { WrongExpectedVersionError } from '../event-store/event-store.port';
import { UnauthenticatedError } from '../auth/auth.guard';
import { BodyTooComplexError, QueryTooComplexError, REQUEST_LIMITS } from './request-limits';

/** A rate limit was reached: the request did nothing; retry after the given number of seconds. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

const TYPE_BASE = 'https://petitions.example/problems/';

export function problem(status: number, code: string, title: string, detail?: string, extra: Record<string, unknown> = {}): Problem {
  return { type: TYPE_BASE + code.toLowerCase().replace(/_/g, '-'), title, status, code, ...(detail ? { detail } : {}), ...extra };
}

/** Thrown by the validation pipe: names every field that failed and why. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly errors: { field: string; messages: string[] }[]) {
    super('The request is not valid');
  }
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): { field: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

const DOMAIN_STATUS: Record<DomainError['kind'], number> = { forbidden: 403, not_found: 404, conflict: 409, rule: 422 };

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

/** Maps any thrown value to a problem document. */
export function toProblem(error: unknown, logger?: Logger): Problem {
  if (error instanceof RequestValidationError) {
    // A bounded document: the first few fields and how many there are in all.
    const listed = error.errors.slice(0, REQUEST_LIMITS.errorsListed);
    const more = error.errors.length - listed.length;
    const fields = listed.map((e) => e.field).join(', ') + (more > 0 ? ` and ${more} more` : '');
    return problem(400, 'VALIDATION_FAILED', 'The request is not valid', `Invalid field(s): ${fields}`, {
      errors: listed.map((e) => ({ field: e.field.slice(0, 200), messages: e.messages.slice(0, 5).map((m) => m.slice(0, 500)) })),
      errorCount: error.errors.length,
    });
  }
  if (error instanceof BodyTooComplexError) return problem(400, error.code, 'The request body is too complex', error.message);
  if (error instanceof QueryTooComplexError) return problem(400, error.code, 'The query string is too complex', error.message);
  if (error instanceof RateLimitedError) {
    return problem(429, 'RATE_LIMITED', 'Too many requests', error.message, { retryAfterSeconds: error.retryAfterSeconds });
  }
  if (error instanceof DomainError) {
    return problem(DOMAIN_STATUS[error.kind], error.code, titleOf(error.kind), error.message, error.details ? { details: error.details } : {});
  }
  if (error instanceof UnauthenticatedError) return problem(401, 'UNAUTHENTICATED', 'Authentication required', error.message);
  if (error instanceof WrongExpectedVersionError) {
    return problem(409, 'CONCURRENT_CHANGE', 'Changed concurrently', 'The petition changed while this request was decided; retry it');
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const body = typeof response === 'object' && response ? (response as Record<string, unknown>) : {};
    const message = Array.isArray(body.message) ? body.message.join('; ') : typeof body.message === 'string' ? body.message : error.message;
    // Fastify's body parser failures reach us as plain 400s.
    const code =
      typeof body.code === 'string' ? body.code : status === 400 && /JSON/.test(message) ? 'MALFORMED_JSON' : (STATUS_CODES[status] ?? `HTTP_${status}`);
    return problem(status, code, HttpStatus[status]?.replace(/_/g, ' ').toLowerCase() ?? 'error', message);
  }
  // Fastify's own errors (malformed JSON, wrong content type, body too large) carry a 4xx statusCode.
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (fastifyError && typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    const code =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(fastifyError.message ?? '')
        ? 'MALFORMED_JSON'
        : (STATUS_CODES[status] ?? `HTTP_${status}`);
    return problem(status, code, 'The request could not be read', fastifyError.message);
  }
  logger?.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return problem(500, 'INTERNAL_ERROR', 'Internal error', 'Something went wrong on our side; the request appended nothing unless its answer said so');
}

function titleOf(kind: DomainError['kind']): string {
  return { forbidden: 'Not allowed', not_found: 'Not found', conflict: 'Conflict with the current state', rule: 'Refused by a rule' }[kind];
}

/** The problem's instance: the request's path, without its query string, and never long. */
function instanceOf(url: string): string {
  const path = url.split('?')[0];
  return path.length > 300 ? `${path.slice(0, 300)}…` : path;
}

export function sendProblem(reply: FastifyReply, p: Problem, instance?: string): void {
  void reply
    .status(p.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(JSON.stringify(instance ? { ...p, instance: instanceOf(instance) } : p));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    sendProblem(http.getResponse<FastifyReply>(), toProblem(exception, this.logger), request?.url);
  }
}

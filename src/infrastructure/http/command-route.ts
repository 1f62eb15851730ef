/**
 * The HTTP route of a command, declared in one decorator: POST at `path`, the roles the command
 * declares (never written again on the route), its rate-limit category, its OpenAPI operation, the idempotency header,
 * the success response and the problem documents every command may answer.
 */
import { applyDecorators, HttpCode, Post, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import type { Role } from '../../domain/shared/actor';
import type { RateLimitCategory } from '../../config/app-config';
import { Roles } from '../auth/auth.guard';
import { RateLimited } from '../rate-limit/rate-limit.guard';
import { ApiAuditErrors, ApiCommandErrors, ApiDialogueErrors, ApiIdempotencyKey } from './openapi';

const ERRORS = { petition: ApiCommandErrors, dialogue: ApiDialogueErrors, audit: ApiAuditErrors };

export interface CommandRouteOptions {
  /** Below the controller's prefix; '' for the prefix itself. */
  path: string;
  /** 201 when the command creates a resource, 200 otherwise. */
  status: 200 | 201;
  summary: string;
  description: string;
  /** The success body's class. */
  response: Type;
  /** Which configured rate limits apply (per client address and per identity). */
  rateLimit: RateLimitCategory;
  /** The family of problem documents it may answer: the petition's (default), the dialogue's or the audit log's. */
  errors?: keyof typeof ERRORS;
}

/** Anything that declares who may issue it: a command class, or a route recording one of several commands. */
export interface RoutedCommand {
  readonly roles: readonly Role[];
}

export function CommandRoute(command: RoutedCommand, options: CommandRouteOptions): MethodDecorator {
  const success = options.status === 201 ? ApiCreatedResponse : ApiOkResponse;
  return applyDecorators(
    Post(options.path),
    RateLimited(options.rateLimit),
    HttpCode(options.status),
    Roles(...command.roles),
    ApiBearerAuth(),
    ApiOperation({ summary: options.summary, description: options.description }),
    ApiIdempotencyKey(),
    success({ type: options.response }),
    ERRORS[options.errors ?? 'petition'](),
  );
}

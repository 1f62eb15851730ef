import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, Observable, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { conflict, refused } from '../../domain/shared/domain-error';
import type { Actor } from '../../domain/shared/actor';
import { IDEMPOTENCY_STORE, IdempotencyStore } from '../idempotency/idempotency.port';
import { stableStringify } from '../../domain/shared/stable-json';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** `Idempotency-Key` on any POST: the first answer is stored and replayed; nothing is appended twice. */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    // An anonymous request has nobody to scope its key to: it is not made idempotent (and its answer,
    // e.g. a development token, is never stored).
    if (request.method !== 'POST' || header === undefined || !request.actor) return next.handle();
    const key = Array.isArray(header) ? header[0] : header;
    if (!KEY_PATTERN.test(key)) {
      return throwError(() => refused('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1 to 255 visible ASCII characters'));
    }
    // Keyed too: the store must not link an account to what it did (a signature id, a receipt).
    const scope = createHmac('sha256', this.config.signerKey).update(`idempotency-scope\n${request.actor.id}`).digest('hex');
    // Keyed: a plain hash of a sign request could be brute-forced back to its identity number.
    const fingerprint = createHmac('sha256', this.config.signerKey)
      .update(`idempotency\n${request.method} ${request.url}\n${stableStringify(request.body ?? null)}`)
      .digest('hex');
    return from(this.store.begin(scope, key, fingerprint, Date.now())).pipe(
      mergeMap((begun) => {
        switch (begun.state) {
          case 'done':
            // Only successes are stored, and a route always answers success with one status.
            void reply.header('idempotent-replayed', 'true');
            return of(begun.body);
          case 'mismatch':
            return throwError(() => refused('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request'));
          case 'in_progress':
            return throwError(() => conflict('IDEMPOTENCY_KEY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly'));
          case 'new':
            return next.handle().pipe(
              mergeMap((body) => from(this.store.complete(scope, key, successStatus(context), body).then(() => body))),
              catchError((error) => from(this.store.abandon(scope, key)).pipe(mergeMap(() => throwError(() => error)))),
            );
        }
      }),
    );
  }
}

/** The status Nest will answer with: @HttpCode on the handler, else 201 for a POST. */
function successStatus(context: ExecutionContext): number {
  return (Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) as number | undefined) ?? 201;
}

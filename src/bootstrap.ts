/** Builds the HTTP application: Fastify, OpenAPI at /docs, problem+json for every error. */
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { AppModule, AppModuleOptions } from './app.module';
import { problem, sendProblem, toProblem } from './infrastructure/http/problem-details';
import { boundedJsonParser, checkQueryShape, problemClientErrorHandler, REQUEST_LIMITS } from './infrastructure/http/request-limits';
import { registerHttpSecurity } from './infrastructure/http/security-headers';
import { registerPortal } from './infrastructure/http/portal-static';
import { loadRulebook } from './infrastructure/rulebook/rulebook.loader';
import { openStores } from './infrastructure/stores';
import { declareProblemMediaType } from './infrastructure/http/openapi';

export type CreateAppOptions = Omit<AppModuleOptions, 'stores' | 'rules'> &
  Partial<Pick<AppModuleOptions, 'stores' | 'rules'>> & {
    logger?: false | ('error' | 'warn' | 'log')[];
    /** The built portal's directory (default: dist/portal when built); false: no portal. */
    portal?: string | false;
  };

/** The app on the given stores, or on those the configuration selects (closed with the app). */
export async function createApp(input: CreateAppOptions): Promise<NestFastifyApplication> {
  const options: AppModuleOptions = { ...input, rules: input.rules ?? loadRulebook(), stores: input.stores ?? (await openStores(input.config)) };
  // Receipts (GET /receipts/:receipt) are about 250 characters: above Fastify's default 100-character
  // limit on a path parameter, which answered 414 to every genuine receipt.
  const adapter = new FastifyAdapter({
    genReqId: () => randomUUID(),
    bodyLimit: REQUEST_LIMITS.bodyBytes,
    // Only the proxies the configuration names may tell the client's address (X-Forwarded-For):
    // otherwise anyone could pick a new address per request and walk past the per-address limits.
    trustProxy: options.config.trustProxy === false ? false : options.config.trustProxy.join(','),
    // Headers and the URL too large (431), a request Node cannot parse: problem documents too.
    clientErrorHandler: problemClientErrorHandler,
    routerOptions: { maxParamLength: 1024 },
    // What Fastify's router refuses before Nest sees the request (a path parameter too long, a bad
    // percent-encoding) is a problem document too, not Fastify's own JSON.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendProblem(reply, toProblem(error), request.url),
    // While shutting down, the hook below answers a problem document instead of Fastify's own 503.
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: input.logger ?? ['error', 'warn', 'log'],
    // Fastify's own JSON parser only (set up below): no form bodies, no second JSON parser.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Shutting down (SIGTERM): requests already in flight finish; one arriving on a kept-alive
  // connection is refused with 503 and the connection closed, so clients retry elsewhere.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!closing) return done();
    void reply.header('connection', 'close').header('retry-after', '1');
    sendProblem(reply, problem(503, 'SHUTTING_DOWN', 'Shutting down', 'The service is stopping; retry the request'), request.url);
  });
  // JSON only: a text/plain body is a 415, not a string for the validator to puzzle over.
  fastify.removeContentTypeParser('text/plain');
  // Fastify's JSON parser (which refuses __proto__ tricks), fed strict UTF-8 and followed by the
  // shape bounds (depth, keys, items, string lengths), so that validation's work is bounded too.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, boundedJsonParser(parseJson as Parameters<typeof boundedJsonParser>[0]));
  await registerHttpSecurity(app, options.config);
  // A query string of a thousand parameters would be a thousand validation errors: refused first.
  fastify.addHook('preValidation', async (request) => checkQueryShape(request.query));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Local petitions')
      .setDescription(
        'Petitions and dialogue between citizens, associations and their local councils (communes, prefectures/provinces, regions). Every step is an immutable event; errors are application/problem+json with a stable `code`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  declareProblemMediaType(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  // The portal at `/`, when it has been built (npm run build): its files only, never a catch-all.
  if (options.role !== 'projector' && input.portal !== false) await registerPortal(app, input.portal);
  return app;
}

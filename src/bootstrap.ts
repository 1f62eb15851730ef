/** Builds the HTTP application: Fastify, OpenAPI at /docs, problem+json for every error. */
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { AppModule, AppModuleOptions } from './app.module';
import { problem, sendProblem, toProblem } from './infrastructure/http/problem-details';
import { loadRulebook } from './infrastructure/rulebook/rulebook.loader';
import { openStores } from './infrastructure/stores';

const MAX_JSON_DEPTH = 32;

/** Nesting depth of a parsed JSON value, without recursion. */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) max = depth;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

export type CreateAppOptions = Omit<AppModuleOptions, 'stores' | 'rules'> &
  Partial<Pick<AppModuleOptions, 'stores' | 'rules'>> & { logger?: false | ('error' | 'warn' | 'log')[] };

/** The app on the given stores, or on those the configuration selects (closed with the app). */
export async function createApp(input: CreateAppOptions): Promise<NestFastifyApplication> {
  const options: AppModuleOptions = { ...input, rules: input.rules ?? loadRulebook(), stores: input.stores ?? (await openStores(input.config)) };
  // Receipts (GET /receipts/:receipt) are about 250 characters: above Fastify's default 100-character
  // limit on a path parameter, which answered 414 to every genuine receipt.
  const adapter = new FastifyAdapter({
    genReqId: () => randomUUID(),
    bodyLimit: 1_048_576,
    trustProxy: true,
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
  // Fastify's JSON parser (which refuses __proto__ tricks), plus a depth limit: validators recurse,
  // and a body nested 50,000 deep would otherwise end as a stack overflow instead of a 400.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    void parseJson(request, body as string, (error: Error | null, value?: unknown) => {
      if (error) return done(error, undefined);
      if (depthOf(value) > MAX_JSON_DEPTH) {
        return done(
          Object.assign(new Error(`The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep`), {
            statusCode: 400,
            code: 'FST_ERR_CTP_INVALID_JSON_BODY',
          }),
          undefined,
        );
      }
      done(null, value);
    });
  });

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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

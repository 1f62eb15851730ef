/** Builds the HTTP application: Fastify, OpenAPI at /docs, problem+json for every error. */
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AppModule, AppModuleOptions } from './app.module';

export async function createApp(options: AppModuleOptions & { logger?: false | ('error' | 'warn' | 'log')[] }): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ genReqId: () => randomUUID(), bodyLimit: 1_048_576, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    logger: options.logger ?? ['error', 'warn', 'log'],
  });
  // JSON only: a text/plain body is a 415, not a string for the validator to puzzle over.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.enableShutdownHooks();

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

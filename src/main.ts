import 'reflect-metadata';
import { INestApplication, Logger } from '@nestjs/common';
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/app-config';
import type { ProcessRole } from './app.tokens';
import { createApp } from './bootstrap';
import { portalDirectory } from './infrastructure/http/portal-static';
import { loadRulebook } from './infrastructure/rulebook/rulebook.loader';
import { registerProcess } from './infrastructure/embedded-processes';
import { openStores, Stores, StoreUnavailableError, withStartupRetry } from './infrastructure/stores';
import { SqliteEventStore } from './infrastructure/event-store/sqlite-event-store';
import { oncePerTurn, supervise, SUPERVISED_ENV, type SupervisorMessage } from './supervisor';

const ROLES: ProcessRole[] = ['all', 'api', 'projector'];
/** A shutdown that takes longer than this (a request that never ends) exits with status 1. */
const SHUTDOWN_TIMEOUT_MS = 30_000;

async function main(): Promise<void> {
  const logger = new Logger('Petitions');
  const { values } = parseArgs({ options: { role: { type: 'string' } } });
  const role = (values.role ?? 'all') as ProcessRole;
  if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`, 2);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message, 78);
    throw e;
  }
  for (const line of config.generated) logger.warn(line);
  // No role given (npm start): API processes and a projector process under a supervisor, on a
  // machine with more than one core (src/supervisor.ts).
  if (values.role === undefined && cluster.isPrimary && config.apiProcesses > 0) return supervise(config, __filename);
  const supervised = process.env[SUPERVISED_ENV] === '1' && typeof process.send === 'function';
  const rules = loadRulebook();
  let stores;
  try {
    const budgetMs = config.eventStoreUrl || config.mongodbUrl ? config.startupTimeoutMs : 0;
    stores = await withStartupRetry(() => openStores(config), {
      budgetMs,
      onRetry: (e, attempt, delayMs) => logger.warn(`Stores not ready (attempt ${attempt}): ${(e as Error).message}. Retrying in ${delayMs} ms`),
    });
  } catch (e) {
    if (e instanceof StoreUnavailableError) fail(e.message, 69);
    throw e;
  }
  const app = await createApp({ config, stores, rules, role });
  const unregister = config.eventStoreUrl ? () => undefined : registerProcess(config.dataDir, role);
  stopOnSignals(app, logger, unregister, supervised);
  if (supervised) {
    relayAppends(stores, role);
    // The projector process serves no HTTP: the API processes hold the port.
    if (role === 'projector') await app.init();
    else await app.listen({ port: config.port, host: config.host });
    process.send!({ type: 'ready' } satisfies SupervisorMessage);
    logger.log(`Role: ${role}, process ${process.pid}. Event store: ${stores.describe.eventStore}. Read models: ${stores.describe.readStore}`);
    return;
  }
  await app.listen({ port: config.port, host: config.host });
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  logger.log(`Role: ${role}. Event store: ${stores.describe.eventStore}. Read models: ${stores.describe.readStore}`);
  logger.log(`Listening on ${url}`);
  if (role !== 'projector') logger.log(`API docs: ${url}/docs (OpenAPI JSON: ${url}/docs-json)`);
  if (role !== 'projector' && portalDirectory()) logger.log(`Portal: ${url}/`);
  if (role !== 'projector' && config.jwt.secret && !config.eventStoreUrl) logger.log('Development token: npm run token -- --role agent');
}

/**
 * SIGTERM / SIGINT: stop accepting connections, let the requests in flight finish (Fastify's
 * close; a request arriving on a kept-alive connection meanwhile gets 503), then the projector
 * projects what those requests appended and commits its checkpoint, the deadline watch stops, the
 * stores close, and the process exits 0. A second signal during the shutdown is ignored.
 */
function stopOnSignals(app: INestApplication, logger: Logger, unregister: () => void, supervised: boolean): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: no new connections; finishing the requests in flight`);
    const timer = setTimeout(() => {
      logger.error(`Shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS / 1000} s; exiting`);
      unregister();
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    // Fastify closes the connections idle when the shutdown starts; a kept-alive connection whose
    // request finishes later would otherwise hold the shutdown until the client lets it go.
    const server = app.getHttpServer() as { closeIdleConnections?: () => void };
    const sweep = setInterval(() => server.closeIdleConnections?.(), 50);
    sweep.unref();
    app
      .close()
      .then(() => {
        unregister();
        logger.log('Stopped cleanly');
        process.exit(0);
      })
      .catch((e: unknown) => {
        logger.error(`Shutdown failed: ${e instanceof Error ? e.stack : String(e)}`);
        unregister();
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  if (!supervised) {
    process.on('SIGINT', stop);
    return;
  }
  // Ctrl-C reaches every process of the group: the supervisor alone decides the order of the stop.
  process.on('SIGINT', () => undefined);
  // The supervisor is gone (killed outright): stop as on SIGTERM rather than serve on unsupervised.
  process.on('disconnect', () => stop('Supervisor gone'));
}

/**
 * Under the supervisor, on the embedded store: an API process says when it appended, and the
 * projector process's subscriptions read at once when told (at most one message per turn each way).
 */
function relayAppends(stores: Stores, role: ProcessRole): void {
  const store = stores.eventStore;
  if (!(store instanceof SqliteEventStore)) return;
  if (role === 'projector') {
    process.on('message', (message: SupervisorMessage) => message?.type === 'appended' && store.wake());
    return;
  }
  store.onAppend(oncePerTurn(() => process.connected && process.send!({ type: 'appended' } satisfies SupervisorMessage, () => undefined)));
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

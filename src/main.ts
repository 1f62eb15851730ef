import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/app-config';
import type { ProcessRole } from './app.tokens';
import { createApp } from './bootstrap';
import { loadRulebook } from './infrastructure/rulebook/rulebook.loader';
import { openStores, StoreUnavailableError, withStartupRetry } from './infrastructure/stores';

const ROLES: ProcessRole[] = ['all', 'api', 'projector'];

async function main(): Promise<void> {
  const logger = new Logger('Petitions');
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } } });
  const role = values.role as ProcessRole;
  if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`, 2);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message, 78);
    throw e;
  }
  for (const line of config.generated) logger.warn(line);
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
  await app.listen({ port: config.port, host: config.host });
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  logger.log(`Role: ${role}. Event store: ${stores.describe.eventStore}. Read models: ${stores.describe.readStore}`);
  logger.log(`Listening on ${url}`);
  if (role !== 'projector') logger.log(`API docs: ${url}/docs (OpenAPI JSON: ${url}/docs-json)`);
  if (role !== 'projector' && config.jwt.secret && !config.eventStoreUrl) logger.log('Development token: npm run token -- --role agent');
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  const logger = new Logger('Petitions');
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  for (const line of config.generated) logger.warn(line);
  const app = await createApp({ config });
  await app.listen({ port: config.port, host: config.host });
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  logger.log(`Event store: embedded SQLite in ${config.dataDir}`);
  logger.log(`Listening on ${url}`);
  logger.log(`API docs: ${url}/docs (OpenAPI JSON: ${url}/docs-json)`);
  logger.log(`Development token: npm run token -- --role agent`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

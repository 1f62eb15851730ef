/**
 * npm run restore -- <file>
 * Replaces the embedded event log with a backup made by `npm run backup`, after verifying it.
 * Refuses while a service process uses DATA_DIR. The replaced log and the read models are moved
 * to DATA_DIR/before-restore-<time>/; the next start rebuilds the read models from the log.
 */
import { ConfigError, loadConfig } from '../config/app-config';
import { BackupError, restoreEventLog } from '../infrastructure/event-store/sqlite-backup';

function main(): void {
  const [source] = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (!source) fail('Usage: npm run restore -- <file>', 2);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    fail(e instanceof ConfigError ? e.message : String(e), 78);
  }
  if (config.eventStoreUrl) fail('EVENTSTORE_URL is set: restore EventStoreDB with its own tools (docs/operations.md)', 2);
  try {
    const result = restoreEventLog(config.dataDir, source);
    console.log(
      `Restored ${result.events} events (${result.streams} streams, up to position ${result.headPosition}) from ${source}; every hash-chain link verified`,
    );
    if (result.setAside) console.log(`The previous event log and read models are in ${result.setAside}`);
    console.log('Start the service: it rebuilds the read models from the restored log');
  } catch (e) {
    fail(e instanceof BackupError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e), 1);
  }
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

main();

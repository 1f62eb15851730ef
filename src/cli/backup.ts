/**
 * npm run backup -- <file>
 * Copies the embedded event log (DATA_DIR/events.sqlite) to <file> with SQLite's online backup,
 * safe while the service runs and writes, then verifies the copy (integrity, every hash-chain
 * link). Exit 0 once the verified copy is in place. Keep DATA_DIR/secrets.json with it.
 */
import { ConfigError, loadConfig } from '../config/app-config';
import { backupEventLog, BackupError } from '../infrastructure/event-store/sqlite-backup';

async function main(): Promise<void> {
  const [target] = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  if (!target) fail('Usage: npm run backup -- <file>', 2);
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    fail(e instanceof ConfigError ? e.message : String(e), 78);
  }
  if (config.eventStoreUrl) fail('EVENTSTORE_URL is set: back up EventStoreDB with its own tools (docs/operations.md)', 2);
  const started = Date.now();
  try {
    const result = await backupEventLog(config.dataDir, target);
    console.log(
      `Backed up ${result.events} events (${result.streams} streams, up to position ${result.headPosition}) to ${target} in ${((Date.now() - started) / 1000).toFixed(1)} s; every hash-chain link verified`,
    );
  } catch (e) {
    fail(e instanceof BackupError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e), 1);
  }
}

function fail(message: string, code: number): never {
  console.error(message);
  process.exit(code);
}

void main();

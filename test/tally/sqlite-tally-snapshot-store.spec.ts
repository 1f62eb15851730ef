/**
 * The embedded tally-snapshot store: the contract, with two connections on one file standing for
 * two API processes on one DATA_DIR; and a row it did not write is dropped, never left to block saves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/infrastructure/embedded-stores';
import { SqliteTallySnapshotStore, TALLY_SNAPSHOTS_FILE } from '../../src/infrastructure/tally-snapshot/sqlite-tally-snapshot-store';
import { tallySnapshotStoreContract } from './tally-snapshot-store.contract';

function openFileStore() {
  const dir = mkdtempSync(join(tmpdir(), 'tally-snapshots-'));
  const file = join(dir, TALLY_SNAPSHOTS_FILE);
  const db = openSqlite(file, 'NORMAL');
  const otherDb = openSqlite(file, 'NORMAL');
  return {
    db,
    store: new SqliteTallySnapshotStore(db),
    other: new SqliteTallySnapshotStore(otherDb),
    teardown: async () => {
      db.close();
      otherDb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

tallySnapshotStoreContract('SQLite (two connections on one file)', async () => openFileStore());

it('opens its file in WAL mode with a busy timeout (several processes on one DATA_DIR)', async () => {
  const opened = openFileStore();
  try {
    expect(opened.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(opened.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
  } finally {
    await opened.teardown();
  }
});

it('drops a row whose position it cannot read, so that saves are not refused behind it', async () => {
  const opened = openFileStore();
  try {
    opened.db.prepare("INSERT INTO tally_snapshots (name, position, payload, saved_at) VALUES ('tallies', 'zzz', '{}', 'now')").run();
    expect(await opened.store.load('tallies')).toBeUndefined();
    expect(await opened.store.save('tallies', { position: 3n, payload: 'at 3' })).toBe(true);
    expect(await opened.store.load('tallies')).toEqual({ position: 3n, payload: 'at 3' });
  } finally {
    await opened.teardown();
  }
});

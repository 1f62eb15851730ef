import type Database from 'better-sqlite3';
import type { StoredTallySnapshot, TallySnapshotStore } from './tally-snapshot-store.port';

/** Under DATA_DIR. A restore sets it aside with the read models (it counts the replaced log's events). */
export const TALLY_SNAPSHOTS_FILE = 'tally-snapshots.sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS tally_snapshots (
  name     TEXT PRIMARY KEY,
  position TEXT NOT NULL,
  payload  TEXT NOT NULL,
  saved_at TEXT NOT NULL
) WITHOUT ROWID;
`;

/** Zero-padded to 20 digits, so text order is numeric order (EventStoreDB positions reach 2^64). */
const pad = (p: bigint) => p.toString().padStart(20, '0');

/**
 * Tally snapshots in their own SQLite file (DATA_DIR/tally-snapshots.sqlite, WAL, busy_timeout:
 * several API processes on one DATA_DIR share it). The position test is inside the upsert, one
 * statement, so two processes saving at once keep the later position whatever order they commit in.
 */
export class SqliteTallySnapshotStore implements TallySnapshotStore {
  private readonly stmt;

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    this.stmt = {
      load: db.prepare('SELECT position, payload FROM tally_snapshots WHERE name = ?'),
      save: db.prepare(
        `INSERT INTO tally_snapshots (name, position, payload, saved_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, payload = excluded.payload, saved_at = excluded.saved_at
         WHERE excluded.position > tally_snapshots.position`,
      ),
      discard: db.prepare('DELETE FROM tally_snapshots WHERE name = ? AND position = ?'),
    };
  }

  async load(name: string): Promise<StoredTallySnapshot | undefined> {
    const row = this.stmt.load.get(name) as { position: string; payload: string } | undefined;
    if (!row) return undefined;
    if (/^[0-9]{20}$/.test(row.position)) return { position: BigInt(row.position), payload: row.payload };
    // Not written by this adapter: drop it, or its position would block every later save.
    this.stmt.discard.run(name, row.position);
    return undefined;
  }

  async save(name: string, snapshot: StoredTallySnapshot): Promise<boolean> {
    return this.stmt.save.run(name, pad(snapshot.position), snapshot.payload, new Date().toISOString()).changes > 0;
  }

  async discard(name: string, position: bigint): Promise<void> {
    this.stmt.discard.run(name, pad(position));
  }
}

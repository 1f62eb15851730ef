/**
 * The embedded stores under DATA_DIR: the event log (`events.sqlite`) and the read models
 * (`read-models.sqlite`) in separate files, so projection writes never queue behind appends.
 * WAL mode lets readers work while one writer writes.
 *
 * Durability: the event log is the source of truth, so by default every append is on disk before
 * its answer (synchronous=FULL: an fsync per commit). The read models can be rebuilt from it, so
 * they use NORMAL (safe against a process crash; a power cut may lose their last commits, which
 * the projector then replays). EVENTS_SYNCHRONOUS=normal trades the log's power-cut safety for speed.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export function openEmbeddedDatabase(
  dataDir: string,
  file: 'events.sqlite' | 'read-models.sqlite' | 'rate-limits.sqlite',
  eventsSynchronous: 'full' | 'normal' = 'full',
): Database.Database {
  return openSqlite(join(dataDir, file), file === 'events.sqlite' && eventsSynchronous === 'full' ? 'FULL' : 'NORMAL');
}

/** A SQLite file (or ':memory:') with the pragmas every embedded store uses; closed again if they fail. */
export function openSqlite(file: string, synchronous: 'FULL' | 'NORMAL'): Database.Database {
  const db = new Database(file);
  try {
    // busy_timeout first, so that switching to WAL waits for another process instead of failing.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

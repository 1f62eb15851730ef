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

export function openEmbeddedDatabase(dataDir: string, file: 'events.sqlite' | 'read-models.sqlite', eventsSynchronous: 'full' | 'normal' = 'full'): Database.Database {
  const db = new Database(join(dataDir, file));
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${file === 'events.sqlite' && eventsSynchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  return db;
}

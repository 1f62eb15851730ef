/**
 * The embedded stores under DATA_DIR: the event log (`events.sqlite`) and the read models
 * (`read-models.sqlite`) in separate files, so projection writes never queue behind appends.
 * WAL mode lets readers work while one writer writes; synchronous=NORMAL is durable at each
 * WAL checkpoint and survives a process crash (a power cut may lose the last transactions).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export function openEmbeddedDatabase(dataDir: string, file: 'events.sqlite' | 'read-models.sqlite'): Database.Database {
  const db = new Database(join(dataDir, file));
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

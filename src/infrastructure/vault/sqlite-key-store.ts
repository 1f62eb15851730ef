/**
 * The embedded key store: its own SQLite file beside the event log (`DATA_DIR/signer-keys.sqlite`),
 * so deleting a key rewrites only small pages and never touches the log.
 *
 * Deleting for real: `secure_delete` makes SQLite overwrite deleted content with zeros instead of
 * leaving it in free pages, and after every deletion the write-ahead log — which still holds the
 * pages as they were before — is checkpointed into the file and truncated to zero bytes. Neither
 * file then contains the wrapped key. (What the file system or the disk keeps of blocks a file no
 * longer uses is out of SQLite's reach: full-disk encryption covers that.)
 */
import type Database from 'better-sqlite3';
import type { KeyStore, SignerKeyRecord } from './key-store.port';
import { SqliteGroupCommit } from '../sqlite-group-commit';
import type { SqliteWalSync } from '../sqlite-wal-sync';

interface Row {
  key_id: string;
  petition_id: string;
  signature_id: string;
  subject_hash: string;
  wrapped_key: Buffer;
  master_key_id: string;
  created_at: string;
}

const toRecord = (r: Row): SignerKeyRecord => ({
  keyId: r.key_id,
  petitionId: r.petition_id,
  signatureId: r.signature_id,
  subjectHash: r.subject_hash,
  wrappedKey: Buffer.from(r.wrapped_key),
  masterKeyId: r.master_key_id,
  createdAt: r.created_at,
});

const CHUNK = 500;

export class SqliteKeyStore implements KeyStore {
  private readonly insert;
  private readonly bySubject;
  private readonly bySubjectOnPetition;
  private readonly deleteOne;
  private readonly deleteOfPetition;
  private readonly commits: SqliteGroupCommit;

  /**
   * `walSync`: the file is opened at synchronous=NORMAL and each put is made durable by flushing
   * the write-ahead log on the thread pool (src/infrastructure/sqlite-wal-sync.ts).
   */
  constructor(
    private readonly db: Database.Database,
    private readonly walSync?: SqliteWalSync,
  ) {
    db.pragma('secure_delete = ON');
    this.commits = SqliteGroupCommit.of(db);
    db.exec(`CREATE TABLE IF NOT EXISTS signer_keys (
      key_id TEXT PRIMARY KEY, petition_id TEXT NOT NULL, signature_id TEXT NOT NULL,
      subject_hash TEXT NOT NULL, wrapped_key BLOB NOT NULL, master_key_id TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS signer_keys_petition ON signer_keys (petition_id);
      CREATE INDEX IF NOT EXISTS signer_keys_subject ON signer_keys (subject_hash, petition_id)`);
    this.insert = db.prepare(
      'INSERT INTO signer_keys (key_id, petition_id, signature_id, subject_hash, wrapped_key, master_key_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.bySubject = db.prepare('SELECT * FROM signer_keys WHERE subject_hash = ?');
    this.bySubjectOnPetition = db.prepare('SELECT * FROM signer_keys WHERE subject_hash = ? AND petition_id = ?');
    this.deleteOne = db.prepare('DELETE FROM signer_keys WHERE key_id = ?');
    this.deleteOfPetition = db.prepare('DELETE FROM signer_keys WHERE petition_id = ?');
  }

  /**
   * Durable when it resolves (with `walSync`, flushed off the event loop): the event that refers
   * to the key is appended after. Keys put together share one commit (one statement each: it fails alone).
   */
  async put(r: SignerKeyRecord): Promise<void> {
    await this.commits.run(() => this.insert.run(r.keyId, r.petitionId, r.signatureId, r.subjectHash, r.wrappedKey, r.masterKeyId, r.createdAt));
    await this.walSync?.sync();
  }

  async getMany(keyIds: string[]): Promise<Map<string, SignerKeyRecord>> {
    const found = new Map<string, SignerKeyRecord>();
    for (let i = 0; i < keyIds.length; i += CHUNK) {
      const chunk = keyIds.slice(i, i + CHUNK);
      const rows = this.db.prepare(`SELECT * FROM signer_keys WHERE key_id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as Row[];
      for (const row of rows) found.set(row.key_id, toRecord(row));
    }
    return found;
  }

  async findBySubject(subjectHash: string, petitionId?: string): Promise<SignerKeyRecord[]> {
    const rows = (petitionId ? this.bySubjectOnPetition.all(subjectHash, petitionId) : this.bySubject.all(subjectHash)) as Row[];
    return rows.map(toRecord);
  }

  async delete(keyIds: string[]): Promise<number> {
    const deleted = this.db.transaction((ids: string[]) => ids.reduce((n, id) => n + this.deleteOne.run(id).changes, 0))(keyIds);
    this.purge();
    return deleted;
  }

  async deletePetition(petitionId: string): Promise<number> {
    const deleted = this.deleteOfPetition.run(petitionId).changes;
    this.purge();
    return deleted;
  }

  async close(): Promise<void> {
    this.commits.flush();
    await this.walSync?.close();
    // The connection is closed by whoever opened the file (src/infrastructure/stores.ts).
  }

  /** The write-ahead log still holds the pages as they were before the deletion: fold it in and empty it. */
  private purge(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}

import type Database from 'better-sqlite3';
import type { IdempotencyBegin, IdempotencyStore } from './idempotency.port';
import { SqliteGroupCommit } from '../sqlite-group-commit';

/** A claim whose request never finished (a crashed process) may be taken over after this long. */
const STALE_CLAIM_MS = 5 * 60_000;
/** Answers are replayed for a day, as on the MongoDB store; then the key may be used again. */
const KEEP_MS = 86_400_000;

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly claim;
  private readonly find;
  private readonly takeOver;
  private readonly finish;
  private readonly release;
  private readonly expire;
  private lastExpiry = 0;
  private readonly commits: SqliteGroupCommit;

  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
      claimed_at INTEGER NOT NULL, status INTEGER, body TEXT,
      PRIMARY KEY (scope, key)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS idempotency_keys_claimed ON idempotency_keys (claimed_at)`);
    this.claim = db.prepare('INSERT OR IGNORE INTO idempotency_keys (scope, key, fingerprint, claimed_at) VALUES (?, ?, ?, ?)');
    this.find = db.prepare('SELECT fingerprint, claimed_at, status, body FROM idempotency_keys WHERE scope = ? AND key = ?');
    this.takeOver = db.prepare('UPDATE idempotency_keys SET claimed_at = ? WHERE scope = ? AND key = ? AND status IS NULL AND claimed_at = ?');
    this.finish = db.prepare('UPDATE idempotency_keys SET status = ?, body = ? WHERE scope = ? AND key = ?');
    this.release = db.prepare('DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND status IS NULL');
    this.expire = db.prepare('DELETE FROM idempotency_keys WHERE claimed_at < ?');
    this.commits = SqliteGroupCommit.of(db);
  }

  async begin(scope: string, key: string, fingerprint: string, nowMs: number): Promise<IdempotencyBegin> {
    if (nowMs - this.lastExpiry > 60_000) {
      this.lastExpiry = nowMs;
      this.expire.run(nowMs - KEEP_MS);
    }
    // Claims and answers share the log's group commit (src/infrastructure/sqlite-group-commit.ts).
    if (await this.commits.run(() => this.claim.run(scope, key, fingerprint, nowMs).changes === 1)) return { state: 'new' };
    const row = this.find.get(scope, key) as { fingerprint: string; claimed_at: number; status: number | null; body: string | null } | undefined;
    if (!row) return this.begin(scope, key, fingerprint, nowMs); // released meanwhile
    if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (row.status !== null) return { state: 'done', status: row.status, body: row.body === null ? undefined : JSON.parse(row.body) };
    if (nowMs - row.claimed_at > STALE_CLAIM_MS && this.takeOver.run(nowMs, scope, key, row.claimed_at).changes === 1) return { state: 'new' };
    return { state: 'in_progress' };
  }

  async complete(scope: string, key: string, status: number, body: unknown): Promise<void> {
    const text = body === undefined ? null : JSON.stringify(body);
    await this.commits.run(() => this.finish.run(status, text, scope, key));
  }

  async abandon(scope: string, key: string): Promise<void> {
    await this.commits.run(() => this.release.run(scope, key));
  }
}

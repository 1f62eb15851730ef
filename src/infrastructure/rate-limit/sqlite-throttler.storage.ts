import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;
import type Database from 'better-sqlite3';

/**
 * Rate-limit counters in an embedded SQLite file: every API process on the same DATA_DIR shares
 * them (SQLite serialises the writers), so two instances cannot each grant the full limit.
 *
 * A fixed window per key: the first hit opens a window of `ttl` ms; hits beyond `limit` in it
 * block the key for `blockDuration` ms, during which hits are refused and not counted. One
 * UPSERT…RETURNING statement does the whole increment, so it is atomic across processes.
 * Kept in DATA_DIR/rate-limits.sqlite, synchronous=NORMAL (no fsync per hit: a counter is worth
 * less than an fsync), apart from the read models so that a hit never waits behind a projection's commit.
 */
export class SqliteThrottlerStorage implements ThrottlerStorage {
  private readonly hit;
  private readonly sweep;
  private lastSweep = 0;

  constructor(
    db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS rate_limits (
      key TEXT PRIMARY KEY, hits INTEGER NOT NULL, window_ends INTEGER NOT NULL, blocked_until INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS rate_limits_window_ends ON rate_limits (window_ends)`);
    // In the UPDATE, every column on the right is the row's value before the hit.
    this.hit = db.prepare(`INSERT INTO rate_limits (key, hits, window_ends, blocked_until) VALUES (@key, 1, @now + @ttl, 0)
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN blocked_until > @now THEN hits WHEN window_ends <= @now THEN 1 ELSE hits + 1 END,
        window_ends = CASE WHEN blocked_until > @now THEN window_ends WHEN window_ends <= @now THEN @now + @ttl ELSE window_ends END,
        blocked_until = CASE WHEN blocked_until > @now THEN blocked_until
                             WHEN window_ends > @now AND hits + 1 > @limit THEN @now + @block ELSE 0 END
      RETURNING hits, window_ends, blocked_until`);
    this.sweep = db.prepare('DELETE FROM rate_limits WHERE window_ends < @now AND blocked_until < @now');
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName?: string): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    if (now - this.lastSweep > 60_000) {
      this.lastSweep = now;
      this.sweep.run({ now });
    }
    const row = this.hit.get({ key, now, ttl, limit, block: blockDuration }) as { hits: number; window_ends: number; blocked_until: number };
    return toRecord(row.hits, row.window_ends, row.blocked_until, now);
  }
}

export function toRecord(hits: number, windowEnds: number, blockedUntil: number, now: number): ThrottlerStorageRecord {
  const isBlocked = blockedUntil > now;
  return {
    totalHits: hits,
    timeToExpire: Math.max(0, Math.ceil((windowEnds - now) / 1000)),
    isBlocked,
    timeToBlockExpire: isBlocked ? Math.ceil((blockedUntil - now) / 1000) : 0,
  };
}

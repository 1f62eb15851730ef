import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '../../src/infrastructure/embedded-stores';
import { SqliteThrottlerStorage } from '../../src/infrastructure/rate-limit/sqlite-throttler.storage';
import { MINUTE, TestClock } from '../support/test-clock';
import { throttlerStorageContract } from './throttler-storage.contract';

// Two connections on one file: what two API processes on the same DATA_DIR share.
throttlerStorageContract('SqliteThrottlerStorage on a file, two connections', async (clock) => {
  const dir = mkdtempSync(join(tmpdir(), 'rate-limits-'));
  const one = openSqlite(join(dir, 'rate-limits.sqlite'), 'NORMAL');
  const two = openSqlite(join(dir, 'rate-limits.sqlite'), 'NORMAL');
  return {
    storage: new SqliteThrottlerStorage(one, () => clock.ms()),
    other: new SqliteThrottlerStorage(two, () => clock.ms()),
    teardown: async () => {
      one.close();
      two.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteThrottlerStorage', () => {
  it('forgets counters whose window and block have passed (the sweep runs at most once a minute)', async () => {
    const db = new Database(':memory:');
    const clock = new TestClock();
    const storage = new SqliteThrottlerStorage(db, () => clock.ms());
    for (let i = 0; i < 50; i++) await storage.increment(`k${i}`, MINUTE, 10, MINUTE, 'address');
    expect(db.prepare('SELECT count(*) AS n FROM rate_limits').get()).toEqual({ n: 50 });
    clock.advance(2 * MINUTE);
    await storage.increment('fresh', MINUTE, 10, MINUTE, 'address');
    expect(db.prepare('SELECT count(*) AS n FROM rate_limits').get()).toEqual({ n: 1 });
    db.close();
  });
});

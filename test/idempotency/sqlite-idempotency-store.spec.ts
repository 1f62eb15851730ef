import Database from 'better-sqlite3';
import { SqliteIdempotencyStore } from '../../src/infrastructure/idempotency/sqlite-idempotency.store';
import { DAY, MINUTE, TestClock } from '../support/test-clock';
import { idempotencyStoreContract, uniqueScope } from './idempotency-store.contract';

idempotencyStoreContract('SqliteIdempotencyStore in memory', async () => {
  const db = new Database(':memory:');
  return { store: new SqliteIdempotencyStore(db), teardown: async () => void db.close() };
});

describe('SqliteIdempotencyStore', () => {
  let db: Database.Database;
  let store: SqliteIdempotencyStore;
  const clock = new TestClock();

  beforeEach(() => {
    db = new Database(':memory:');
    store = new SqliteIdempotencyStore(db);
  });
  afterEach(() => db.close());

  it('forgets an answer once a day has passed since its claim: the key may then be used again', async () => {
    const scope = uniqueScope();
    await store.begin(scope, 'k', 'fp-a', clock.ms());
    await store.complete(scope, 'k', 201, { id: 'old' });
    clock.advance(DAY - MINUTE);
    expect(await store.begin(scope, 'k', 'fp-b', clock.ms())).toEqual({ state: 'mismatch' });
    clock.advance(2 * MINUTE);
    expect(await store.begin(scope, 'k', 'fp-b', clock.ms())).toEqual({ state: 'new' });
  });

  it('keeps its keys across reopening the database file (state lives in the database)', async () => {
    const scope = uniqueScope();
    await store.begin(scope, 'k', 'fp', clock.ms());
    await store.complete(scope, 'k', 201, { id: 'kept' });
    const again = new SqliteIdempotencyStore(db);
    expect(await again.begin(scope, 'k', 'fp', clock.ms())).toEqual({ state: 'done', status: 201, body: { id: 'kept' } });
  });
});

/**
 * Group commit: appends (and key writes) that arrive together share one transaction; each is
 * checked and fails alone; every caller is answered after the shared commit.
 */
import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openSqlite } from '../../src/infrastructure/embedded-stores';
import { WrongExpectedVersionError } from '../../src/infrastructure/event-store/event-store.port';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite-event-store';
import { SqliteGroupCommit } from '../../src/infrastructure/sqlite-group-commit';
import { SqliteWalSync } from '../../src/infrastructure/sqlite-wal-sync';
import { SqliteKeyStore } from '../../src/infrastructure/vault/sqlite-key-store';
import { SqliteAppendThread } from '../../src/infrastructure/event-store/sqlite-append-thread';
import { tsWorker } from '../support/ts-worker';
import { event, streamName } from './event-store.contract';

describe('SqliteGroupCommit', () => {
  let dir: string;
  let writer: Database.Database;
  let reader: Database.Database;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
    writer = openSqlite(path.join(dir, 'db.sqlite'), 'FULL');
    writer.exec('CREATE TABLE t (v TEXT UNIQUE)');
    reader = openSqlite(path.join(dir, 'db.sqlite'), 'FULL');
  });
  afterEach(() => {
    writer.close();
    reader.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const count = (db: Database.Database) => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

  it('runs the writes queued in one turn in one transaction, committed before any caller is answered', async () => {
    const commits = SqliteGroupCommit.of(writer);
    const insert = writer.prepare('INSERT INTO t (v) VALUES (?)');
    const seenByOthers: number[] = [];
    const results = await Promise.all(
      ['a', 'b', 'c'].map((v) =>
        commits.run(() => {
          // Another connection sees none of the batch until it commits: the three share one transaction.
          seenByOthers.push(count(reader));
          expect(writer.inTransaction).toBe(true);
          return insert.run(v).changes;
        }),
      ),
    );
    expect(results).toEqual([1, 1, 1]);
    expect(seenByOthers).toEqual([0, 0, 0]);
    expect(count(reader)).toBe(3);
  });

  it('fails a write alone: its savepoint rolls back, the others commit', async () => {
    const commits = SqliteGroupCommit.of(writer);
    const insertTwo = writer.transaction((first: string, second: string) => {
      writer.prepare('INSERT INTO t (v) VALUES (?)').run(first);
      writer.prepare('INSERT INTO t (v) VALUES (?)').run(second);
    });
    const outcomes = await Promise.allSettled([
      commits.run(() => insertTwo('p', 'x')),
      commits.run(() => insertTwo('q', 'x')), // 'x' again: fails after inserting 'q'
      commits.run(() => insertTwo('r', 'y')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(reader.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual(['p', 'r', 'x', 'y']);
  });

  it('answers every caller with the error when the commit itself cannot happen', async () => {
    const commits = SqliteGroupCommit.of(writer);
    // Another connection holds the write lock past the busy timeout.
    writer.pragma('busy_timeout = 50');
    reader.exec('BEGIN IMMEDIATE');
    const outcomes = await Promise.allSettled([commits.run(() => 1), commits.run(() => 2)]);
    reader.exec('ROLLBACK');
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
  });
});

const APPEND_WORKER = path.resolve(__dirname, '../../src/infrastructure/event-store/sqlite-append-worker.ts');

describe.each([
  ['on the service’s connection', false],
  ['on the append thread', true],
])('SqliteEventStore appends arriving together, %s', (_, threaded) => {
  let store: SqliteEventStore;
  let dir: string;
  let db: Database.Database;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appends-together-'));
    const file = path.join(dir, 'events.sqlite');
    db = openSqlite(file, 'FULL');
    store = new SqliteEventStore(db, threaded ? { appendThread: new SqliteAppendThread(file, 'FULL', (data) => tsWorker(APPEND_WORKER, data)) } : {});
  });
  afterEach(async () => {
    await store.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks each expected revision on its own within the shared transaction', async () => {
    const stream = streamName();
    await store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' });
    const others = Array.from({ length: 20 }, () => streamName());
    const [won, lost, ...rest] = await Promise.allSettled([
      store.appendToStream(stream, [event()], { expectedRevision: 0n }),
      store.appendToStream(stream, [event()], { expectedRevision: 0n }),
      ...others.map((s) => store.appendToStream(s, [event(), event()], { expectedRevision: 'no_stream' })),
    ]);
    expect(won).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1n } });
    expect(lost.status).toBe('rejected');
    expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(rest.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await store.readStream(stream)).toHaveLength(2);
    for (const s of others) expect((await store.readStream(s)).map((e) => e.revision)).toEqual([0n, 1n]);
    // Positions follow the order the appends were made in.
    const positions = rest.map((r) => (r as PromiseFulfilledResult<{ position: bigint }>).value.position);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
  });

  it('a batch retried in the same turn answers the first append’s result, stored once', async () => {
    const stream = streamName();
    const batch = [event(), event()];
    const [first, retry] = await Promise.all([
      store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }),
      store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }),
    ]);
    expect(retry).toEqual(first);
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('commits what is queued when the store closes', async () => {
    const stream = streamName();
    const db = new Database(':memory:');
    const own = new SqliteEventStore(db);
    const pending = own.appendToStream(stream, [event()]);
    await own.close();
    await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 0n });
    expect((db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(1);
    db.close();
  });
});

describe('SqliteWalSync (the signatory-data keys, flushed off the event loop)', () => {
  it('makes puts durable with flushes shared by the puts that arrive together', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-sync-'));
    const file = path.join(dir, 'signer-keys.sqlite');
    const db = openSqlite(file, 'NORMAL');
    const wal = new SqliteWalSync(`${file}-wal`);
    const keys = new SqliteKeyStore(db, wal);
    try {
      const record = (i: number) => ({
        keyId: `key-${i}`,
        petitionId: 'p',
        signatureId: `s-${i}`,
        subjectHash: `h-${i}`,
        wrappedKey: Buffer.from([i]),
        masterKeyId: 'mk',
        createdAt: new Date(0).toISOString(),
      });
      await Promise.all(Array.from({ length: 50 }, (_, i) => keys.put(record(i))));
      // One flush for the first caller, one shared by everyone who arrived while it ran.
      expect(wal.flushes).toBeGreaterThanOrEqual(1);
      expect(wal.flushes).toBeLessThanOrEqual(2);
      expect((await keys.getMany(['key-0', 'key-49'])).size).toBe(2);
      // A put after the flushes waits for a flush of its own.
      await keys.put(record(50));
      expect(wal.flushes).toBeGreaterThan(1);
      // Another connection sees them all (they were committed before they were flushed).
      const other = openSqlite(file, 'NORMAL');
      expect((other.prepare('SELECT count(*) AS n FROM signer_keys').get() as { n: number }).n).toBe(51);
      other.close();
    } finally {
      await keys.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteAppendThread that dies', () => {
  it('fails the appends it held, then starts again for the next append', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'append-thread-dies-'));
    const file = path.join(dir, 'events.sqlite');
    const db = openSqlite(file, 'FULL');
    let started = 0;
    // The first thread ends as soon as it gets a batch (as a crash would); the next ones are real.
    const thread = new SqliteAppendThread(file, 'FULL', (data) =>
      ++started === 1
        ? new Worker("require('node:worker_threads').parentPort.once('message', () => process.exit(3))", { eval: true })
        : tsWorker(APPEND_WORKER, data),
    );
    const store = new SqliteEventStore(db, { appendThread: thread });
    try {
      const stream = streamName();
      await expect(store.appendToStream(stream, [event()])).rejects.toThrow(/append thread stopped \(exit 3\)/);
      await expect(store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 0n });
      expect(started).toBe(2);
      expect(await store.readStream(stream)).toHaveLength(1);
    } finally {
      await store.close();
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Group commit for an embedded SQLite file: writes that arrive together share one transaction,
 * and so one commit and (at synchronous=FULL) one fsync.
 *
 * better-sqlite3 is synchronous, so a commit's fsync blocks the event loop; with one transaction
 * per write, 32 signers at once meant 32 fsyncs in a row while every other request waited. Here a
 * write is queued and the queue is flushed once the current turn of the event loop has handled its
 * I/O (setImmediate): everything queued meanwhile runs in one `BEGIN IMMEDIATE … COMMIT`. The more
 * a commit costs, the more writes arrive during it and share the next one.
 *
 * - Each write runs in its own savepoint (a better-sqlite3 transaction nested in the batch's): a
 *   write that throws — a wrong expected revision, a duplicate id — rolls back alone and its
 *   caller gets its error; the others commit.
 * - Every caller is answered after the batch's COMMIT has returned, that is once its own write is
 *   as durable as the file's `synchronous` level makes it. If the commit itself fails (disk full,
 *   I/O error), every write of the batch was rolled back and every caller gets that error.
 * - Across processes sharing the file, batches serialise on SQLite's write lock as single writes did.
 */
import type Database from 'better-sqlite3';

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** At most this many writes share a transaction (bounds the time the write lock is held). */
const MAX_BATCH = 512;

const byConnection = new WeakMap<Database.Database, SqliteGroupCommit>();

export class SqliteGroupCommit {
  /** The one group commit of a connection: every store writing through it shares its batches. */
  static of(db: Database.Database): SqliteGroupCommit {
    let commits = byConnection.get(db);
    if (!commits) byConnection.set(db, (commits = new SqliteGroupCommit(db)));
    return commits;
  }

  private queue: Pending[] = [];
  private scheduled = false;
  private readonly batch: Database.Transaction<(writes: Pending[]) => { ok: boolean; value: unknown }[]>;

  private constructor(private readonly db: Database.Database) {
    this.batch = db.transaction((writes: Pending[]) =>
      writes.map((w) => {
        try {
          return { ok: true, value: w.write() };
        } catch (error) {
          // An error that made SQLite roll the whole transaction back (I/O, disk full): the batch
          // fails as one, rather than the writes after it committing one by one outside it.
          if (!db.inTransaction) throw error;
          return { ok: false, value: error };
        }
      }),
    );
  }

  /**
   * Runs `write` (synchronous SQLite work) in the next shared transaction and resolves with its
   * result after the commit. Wrap `write` in `db.transaction(...)` for it to roll back alone when it
   * throws: a nested better-sqlite3 transaction is a savepoint.
   */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued now (also called by close, so nothing queued is dropped). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const writes = this.queue.splice(0, MAX_BATCH);
      let outcomes: { ok: boolean; value: unknown }[];
      try {
        outcomes = this.batch.immediate(writes);
      } catch (error) {
        for (const w of writes) w.reject(error);
        continue;
      }
      writes.forEach((w, i) => (outcomes[i].ok ? w.resolve(outcomes[i].value) : w.reject(outcomes[i].value)));
    }
  }
}

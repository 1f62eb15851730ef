/**
 * One append to the embedded log, as SQL: check the expected revision and reserve the new
 * revisions in one statement, then insert the events. A better-sqlite3 transaction, so inside a
 * group commit's batch it is a savepoint that rolls back alone. Used on the service's own
 * connection, or on the append thread's (sqlite-append-thread.ts).
 */
import type Database from 'better-sqlite3';
import { AppendResult, EventData, ExpectedRevision, WrongExpectedVersionError } from './event-store.port';

export class SqliteAppender {
  readonly append: Database.Transaction<(streamId: string, events: EventData[], expected: ExpectedRevision) => AppendResult>;
  private readonly stmt;

  constructor(db: Database.Database) {
    const prepare = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.stmt = {
      upsertStreamAny: prepare(
        `INSERT INTO streams (stream_id, revision) VALUES (?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET revision = streams.revision + ? RETURNING revision`,
      ),
      insertStreamNew: prepare('INSERT INTO streams (stream_id, revision) VALUES (?, ?) ON CONFLICT (stream_id) DO NOTHING'),
      bumpStreamExisting: prepare('UPDATE streams SET revision = revision + ? WHERE stream_id = ? RETURNING revision'),
      bumpStreamExact: prepare('UPDATE streams SET revision = revision + ? WHERE stream_id = ? AND revision = ?'),
      insertEvent: prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
      streamRevision: prepare('SELECT revision FROM streams WHERE stream_id = ?').pluck(),
    };
    this.append = db.transaction((streamId: string, events: EventData[], expected: ExpectedRevision) => this.appendInTransaction(streamId, events, expected));
  }

  private appendInTransaction(streamId: string, events: EventData[], expected: ExpectedRevision): AppendResult {
    const count = BigInt(events.length);
    let first: bigint;
    if (expected === 'any') {
      const last = (this.stmt.upsertStreamAny.get(streamId, count - 1n, count) as { revision: bigint }).revision;
      first = last - count + 1n;
    } else if (expected === 'no_stream') {
      if (this.stmt.insertStreamNew.run(streamId, count - 1n).changes === 0) throw this.wrongVersion(streamId, expected);
      first = 0n;
    } else if (expected === 'stream_exists') {
      const row = this.stmt.bumpStreamExisting.get(count, streamId) as { revision: bigint } | undefined;
      if (!row) throw this.wrongVersion(streamId, expected);
      first = row.revision - count + 1n;
    } else {
      if (this.stmt.bumpStreamExact.run(count, streamId, expected).changes === 0) {
        throw this.wrongVersion(streamId, expected);
      }
      first = expected + 1n;
    }

    let position = 0n;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      position = this.stmt.insertEvent.run(event.id, streamId, first + BigInt(i), event.type, JSON.stringify(event.data), JSON.stringify(event.metadata))
        .lastInsertRowid as bigint;
    }
    return { nextExpectedRevision: first + count - 1n, position };
  }

  private wrongVersion(streamId: string, expected: ExpectedRevision): WrongExpectedVersionError {
    const actual = this.stmt.streamRevision.get(streamId) as bigint | undefined;
    return new WrongExpectedVersionError(streamId, expected, actual ?? 'no_stream');
  }
}

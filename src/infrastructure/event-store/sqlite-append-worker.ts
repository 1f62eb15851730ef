/**
 * The append thread's side (see sqlite-append-thread.ts): its own connection to the log, with the
 * service's pragmas; each message is a batch of appends, committed as one transaction (one fsync),
 * each append in its own savepoint; the answer lists each append's result or error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlite } from '../embedded-stores';
import { SqliteAppender } from './sqlite-appender';
import { type AppendRequest, type AppendOutcome, outcomeOfError } from './sqlite-append-protocol';

const { file, synchronous } = workerData as { file: string; synchronous: 'FULL' | 'NORMAL' };
const db = openSqlite(file, synchronous);
const appender = new SqliteAppender(db);
const batch = db.transaction((requests: AppendRequest[]): AppendOutcome[] =>
  requests.map((r) => {
    try {
      return { ok: true, result: appender.append(r.streamId, r.events, r.expected) };
    } catch (error) {
      // An error that rolled the whole transaction back (I/O, disk full) fails the batch as one.
      if (!db.inTransaction) throw error;
      return outcomeOfError(error);
    }
  }),
);

parentPort!.on('message', (requests: AppendRequest[] | 'close') => {
  if (requests === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  let outcomes: AppendOutcome[];
  try {
    outcomes = batch.immediate(requests);
  } catch (error) {
    const failed = outcomeOfError(error);
    outcomes = requests.map(() => failed);
  }
  parentPort!.postMessage(outcomes);
});

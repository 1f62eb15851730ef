/**
 * Backup, verification and restore of the embedded event log (`DATA_DIR/events.sqlite`).
 *
 * - Backup uses SQLite's online backup API on a connection of its own, copying every page in one
 *   step: one read transaction, so the copy is the log as it stood at one instant, while the
 *   service keeps appending (WAL mode: readers never block the writer, nor the writer them). The
 *   copy is written beside the target and renamed into place only once complete and verified; it
 *   is a single self-contained file (rollback journal, no -wal/-shm).
 * - Verification: SQLite's integrity check, then every event in log order against its hash-chain
 *   link (content hash, the link to the previous event of its stream, revisions without gaps).
 * - Restore replaces the log with a verified backup, only while no service process uses
 *   DATA_DIR. The read models are set aside with the old log: they may describe events the
 *   backup does not hold, so the next start projects them again from the restored log; so is the
 *   signature tally's snapshot, and the next start counts again from the log. The idempotency keys
 *   live in the log's file and are restored with it.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chainHash, type ChainLink } from '../../domain/shared/event-chain';
import { runningProcesses } from '../embedded-processes';
import { TALLY_SNAPSHOTS_FILE } from '../tally-snapshot/sqlite-tally-snapshot-store';

export const EVENT_LOG_FILE = 'events.sqlite';
const READ_MODELS_FILE = 'read-models.sqlite';

export interface LogVerification {
  ok: boolean;
  events: number;
  streams: number;
  headPosition: string;
  /** What failed first, when not ok. */
  problem?: string;
}

export class BackupError extends Error {
  override name = 'BackupError';
}

/** Copies the live event log of `dataDir` to `target` (which must not exist), then verifies the copy. */
export async function backupEventLog(dataDir: string, target: string): Promise<LogVerification> {
  const source = join(dataDir, EVENT_LOG_FILE);
  if (!existsSync(source)) throw new BackupError(`No event log at ${source}`);
  const destination = resolve(target);
  if (existsSync(destination)) throw new BackupError(`${destination} already exists: choose a new file name`);
  if (!existsSync(dirname(destination))) throw new BackupError(`The directory ${dirname(destination)} does not exist`);
  const partial = `${destination}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // Every remaining page in the next step: the copy is taken in one read transaction.
    await db.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  try {
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const verification = verifyEventLog(partial);
    if (!verification.ok) throw new BackupError(`The copy does not verify: ${verification.problem}`);
    renameSync(partial, destination);
    return verification;
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

interface Row {
  position: bigint;
  id: string;
  stream_id: string;
  revision: bigint;
  type: string;
  data: string;
  metadata: string;
}

/** Integrity check and hash-chain verification of every event of a log file (not in use by a service). */
export function verifyEventLog(file: string): LogVerification {
  const db = new Database(file, { fileMustExist: true, readonly: true });
  try {
    const fail = (problem: string, events = 0, streams = 0, head = 0n): LogVerification => ({
      ok: false,
      events,
      streams,
      headPosition: head.toString(),
      problem,
    });
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') return fail(`SQLite integrity check: ${String(integrity)}`);
    const hasEvents = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get();
    if (!hasEvents) return fail('no events table: not an event log');
    const last = new Map<string, { revision: bigint; hash: string }>();
    let events = 0;
    let head = 0n;
    const rows = db
      .prepare('SELECT position, id, stream_id, revision, type, data, metadata FROM events ORDER BY position')
      .safeIntegers(true)
      .iterate() as IterableIterator<Row>;
    for (const row of rows) {
      events += 1;
      head = row.position;
      const at = `${row.stream_id}@${row.revision} (position ${row.position})`;
      let data: unknown;
      let metadata: { chain?: ChainLink; [key: string]: unknown };
      try {
        data = JSON.parse(row.data);
        metadata = JSON.parse(row.metadata) as typeof metadata;
      } catch {
        return fail(`${at}: not JSON`, events, last.size, head);
      }
      const link = metadata.chain;
      if (!link) return fail(`${at}: no chain link`, events, last.size, head);
      const before = last.get(row.stream_id);
      const expectedRevision = before ? before.revision + 1n : 0n;
      if (row.revision !== expectedRevision) return fail(`${at}: expected revision ${expectedRevision}`, events, last.size, head);
      if (link.previousHash !== (before?.hash ?? null)) return fail(`${at}: does not link to the event before it`, events, last.size, head);
      if (chainHash(link.previousHash, row.stream_id, row.revision, { id: row.id, type: row.type, data, metadata }) !== link.hash) {
        return fail(`${at}: content does not match its hash`, events, last.size, head);
      }
      last.set(row.stream_id, { revision: row.revision, hash: link.hash });
    }
    return { ok: true, events, streams: last.size, headPosition: head.toString() };
  } finally {
    db.close();
  }
}

export interface RestoreResult extends LogVerification {
  /** Where the replaced log and read models were moved. */
  setAside: string | null;
}

/** Replaces the event log of `dataDir` with a verified backup; refuses while a service process uses `dataDir`. */
export function restoreEventLog(dataDir: string, backupFile: string): RestoreResult {
  const source = resolve(backupFile);
  if (!existsSync(source)) throw new BackupError(`No backup at ${source}`);
  const running = runningProcesses(dataDir);
  if (running.length) {
    throw new BackupError(`The service is running on ${dataDir} (${running.map((p) => `pid ${p.pid}, role ${p.role}`).join('; ')}): stop it before restoring`);
  }
  const verification = verifyEventLog(source);
  if (!verification.ok) throw new BackupError(`The backup does not verify: ${verification.problem}`);
  mkdirSync(dataDir, { recursive: true });
  const present = [EVENT_LOG_FILE, READ_MODELS_FILE, TALLY_SNAPSHOTS_FILE]
    .flatMap((f) => [f, `${f}-wal`, `${f}-shm`])
    .filter((f) => existsSync(join(dataDir, f)));
  let setAside: string | null = null;
  if (present.length) {
    setAside = join(dataDir, `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(setAside);
    for (const f of present) renameSync(join(dataDir, f), join(setAside, f));
  }
  const partial = join(dataDir, `${EVENT_LOG_FILE}.restoring`);
  copyFileSync(source, partial);
  renameSync(partial, join(dataDir, EVENT_LOG_FILE));
  return { ...verification, setAside };
}

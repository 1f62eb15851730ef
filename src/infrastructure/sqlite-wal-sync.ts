/**
 * Durability off the event loop for a SQLite file in WAL mode at synchronous=NORMAL: a commit
 * writes its frames to the write-ahead log without an fsync, and `sync()` then flushes the log
 * with fdatasync on libuv's thread pool. Everything committed before the call is on disk when it
 * resolves (a checkpoint in between syncs the log and the database itself, so frames it moved are
 * safe too). Callers that arrive while a flush runs share the next one: under load, one fdatasync
 * covers many commits and the event loop never waits for the disk.
 *
 * For files whose readers may see a commit before it is durable without harm — the signatory-data
 * keys: nothing reads a key before the event that refers to it, and that event is appended only
 * after the key's `sync()` resolved. The event log itself keeps synchronous=FULL (a reader there
 * must never act on an event a power cut could take back).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { RunAfterCall } from '../application/run-after-call';

export class SqliteWalSync {
  private handle: Promise<FileHandle> | null = null;
  /** A flush under way may have started before a caller's commit: such a caller waits for the next. */
  private readonly flushesAfterCall = new RunAfterCall(() => this.flush());
  /** How many flushes ran (diagnostics, tests). */
  flushes = 0;

  /** `walFile`: the database file's name followed by `-wal`. */
  constructor(private readonly walFile: string) {}

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    return this.flushesAfterCall.request();
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle).close();
  }

  private async flush(): Promise<void> {
    this.flushes += 1;
    const handle = await (this.handle ??= open(this.walFile, 'r'));
    await handle.datasync();
  }
}

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

export class SqliteWalSync {
  private handle: Promise<FileHandle> | null = null;
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  /** How many flushes ran (diagnostics, tests). */
  flushes = 0;

  /** `walFile`: the database file's name followed by `-wal`. */
  constructor(private readonly walFile: string) {}

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (!this.current) return (this.current = this.run());
    // A flush is under way and may have started before our commit: wait for the one after it.
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return (this.current = this.run());
      });
    return this.next;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle) await (await handle).close();
  }

  private run(): Promise<void> {
    const flush = (async () => {
      this.flushes += 1;
      const handle = await (this.handle ??= open(this.walFile, 'r'));
      await handle.datasync();
    })().finally(() => {
      if (this.current === flush) this.current = null;
    });
    return flush;
  }
}

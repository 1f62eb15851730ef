/**
 * Appends to the embedded log committed on a worker thread, so that the commit's fsync
 * (synchronous=FULL) never blocks the event loop: HTTP, validation and reads go on while the disk
 * works. Group commit falls out of it: the first append goes at once; every append that arrives
 * while a batch is on the thread waits and goes in the next batch — one transaction, one fsync,
 * each append in its own savepoint (its expected revision checked alone). Each caller is answered
 * after its batch committed: as durable, and as visible to other connections, as before (in WAL
 * mode a commit becomes visible only after its fsync).
 *
 * Reads stay on the service's connection; the thread has its own connection to the same file,
 * which SQLite serialises with every other writer (other processes included) as before.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { AppendResult, EventData, ExpectedRevision } from './event-store.port';
import { type AppendOutcome, type AppendRequest, errorOfOutcome } from './sqlite-append-protocol';

interface Pending extends AppendRequest {
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** At most this many appends share a transaction (bounds the time the write lock is held). */
const MAX_BATCH = 512;

export type AppendWorkerFactory = (workerData: { file: string; synchronous: 'FULL' | 'NORMAL' }) => Worker;

/**
 * Whether the compiled worker is there: the service runs compiled (`npm start`, `node dist/…`);
 * tests running the TypeScript sources pass a factory of their own, or append on the connection.
 */
export const compiledWorkerAvailable = __filename.endsWith('.js');

/** The compiled worker beside this file. */
const compiledWorker: AppendWorkerFactory = (workerData) => new Worker(join(__dirname, 'sqlite-append-worker.js'), { workerData });

export class SqliteAppendThread {
  private readonly worker: Worker;
  private queue: Pending[] = [];
  private inFlight: Pending[] | null = null;
  private failure: Error | null = null;
  private drained: (() => void) | null = null;

  constructor(file: string, synchronous: 'FULL' | 'NORMAL', start: AppendWorkerFactory = compiledWorker) {
    this.worker = start({ file, synchronous });
    this.worker.unref();
    this.worker.on('message', (outcomes: AppendOutcome[]) => this.settle(outcomes));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`The append thread stopped (exit ${code})`)));
  }

  append(streamId: string, events: EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      if (!this.inFlight) this.send();
    });
  }

  /** After the appends already made are answered; the thread closes its connection and ends. */
  async close(): Promise<void> {
    if (this.inFlight || this.queue.length > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    if (this.failure) return;
    this.failure = new Error('The event store is closed');
    await new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      // Referenced until it has ended: nothing else may be keeping the process alive meanwhile.
      this.worker.ref();
      this.worker.postMessage('close');
    });
  }

  private send(): void {
    const batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight = batch;
    // Referenced while a batch is out: the process does not exit under an append.
    this.worker.ref();
    this.worker.postMessage(batch.map(({ streamId, events, expected }) => ({ streamId, events, expected }) satisfies AppendRequest));
  }

  private settle(outcomes: AppendOutcome[]): void {
    const batch = this.inFlight ?? [];
    this.inFlight = null;
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) p.resolve(outcome.result);
      else p.reject(errorOfOutcome(outcome));
    });
    if (this.queue.length > 0) return this.send();
    this.worker.unref();
    this.drained?.();
    this.drained = null;
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error instanceof Error ? error : new Error(String(error));
    for (const p of [...(this.inFlight ?? []), ...this.queue.splice(0)]) p.reject(this.failure);
    this.inFlight = null;
    this.drained?.();
    this.drained = null;
  }
}

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
  private worker: Worker | null = null;
  private queue: Pending[] = [];
  private inFlight: Pending[] | null = null;
  private closed = false;
  private drained: (() => void) | null = null;

  constructor(
    private readonly file: string,
    private readonly synchronous: 'FULL' | 'NORMAL',
    private readonly start: AppendWorkerFactory = compiledWorker,
  ) {
    this.spawn();
  }

  append(streamId: string, events: EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('The event store is closed'));
    // A thread that died (its connection could not open, it crashed) is started again for the next append.
    if (!this.worker) this.spawn();
    return new Promise((resolve, reject) => {
      this.queue.push({ streamId, events, expected, resolve, reject });
      if (!this.inFlight) this.send();
    });
  }

  /** After the appends already made are answered; the thread closes its connection and ends. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inFlight || this.queue.length > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      // Referenced until it has ended: nothing else may be keeping the process alive meanwhile.
      worker.ref();
      worker.postMessage('close');
    });
  }

  private spawn(): void {
    const worker = this.start({ file: this.file, synchronous: this.synchronous });
    worker.unref();
    worker.on('message', (outcomes: AppendOutcome[]) => this.settle(outcomes));
    worker.on('error', (error) => this.died(worker, error));
    worker.on('exit', (code) => this.died(worker, new Error(`The append thread stopped (exit ${code})`)));
    this.worker = worker;
  }

  private send(): void {
    const batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight = batch;
    // Referenced while a batch is out: the process does not exit under an append.
    this.worker!.ref();
    this.worker!.postMessage(batch.map(({ streamId, events, expected }) => ({ streamId, events, expected }) satisfies AppendRequest));
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
    this.worker?.unref();
    this.drained?.();
    this.drained = null;
  }

  /**
   * The thread ended without being asked to: the appends it held fail (whether their batch
   * committed is unknown to them; a retry is safe, event ids being unique), as do those queued.
   */
  private died(worker: Worker, error: unknown): void {
    if (worker !== this.worker) return;
    this.worker = null;
    const failure = error instanceof Error ? error : new Error(String(error));
    for (const p of [...(this.inFlight ?? []), ...this.queue.splice(0)]) p.reject(failure);
    this.inFlight = null;
    this.drained?.();
    this.drained = null;
  }
}

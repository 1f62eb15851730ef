/**
 * A task whose callers each need one run that started after their call (a catch-up read, a disk
 * flush): one runs, and everyone who arrives meanwhile shares the single run queued behind it. A
 * caller waits at most two runs however many arrive; the task never runs twice at once.
 */
export class RunAfterCall {
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(private readonly task: () => Promise<void>) {}

  /** Resolves (or rejects) with a run that started after this call. */
  request(): Promise<void> {
    if (!this.current) return (this.current = this.start());
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        return (this.current = this.start());
      });
    return this.next;
  }

  /** Once the runs under way and queued have ended (whatever their outcome). */
  async settled(): Promise<void> {
    await this.current?.catch(() => undefined);
    await this.next?.catch(() => undefined);
  }

  private start(): Promise<void> {
    const run = this.task().finally(() => {
      if (this.current === run) this.current = null;
    });
    return run;
  }
}

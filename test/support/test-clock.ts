/**
 * The one clock of the tests: the application's `Clock` (`now()`), moved forwards by hand. Used by
 * the e2e harness, the command-side Scenario and the idempotency contract.
 */

/** Mondays at 09:00 UTC make due dates easy to read; any instant works. */
export const START = '2027-01-11T09:00:00.000Z';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export class TestClock {
  private current: number;

  constructor(start: string | Date = START) {
    this.current = typeof start === 'string' ? Date.parse(start) : start.getTime();
    if (Number.isNaN(this.current)) throw new Error(`Not an instant: ${String(start)}`);
  }

  now = (): Date => new Date(this.current);

  /** The current instant in milliseconds (what ports taking `nowMs` expect). */
  ms(): number {
    return this.current;
  }

  iso(): string {
    return new Date(this.current).toISOString();
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('The test clock only moves forwards');
    this.current += ms;
  }

  advanceDays(days: number): void {
    this.advance(days * DAY);
  }
}

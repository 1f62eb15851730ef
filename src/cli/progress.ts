/** A one-line progress bar with rate and ETA; plain periodic lines when not on a terminal. */
export class ProgressBar {
  private lastLine = 0;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stdout,
  ) {}

  update(done: bigint, total: bigint, events: number, elapsedMs: number): void {
    const now = Date.now();
    const tty = this.out.isTTY;
    if (!tty && now - this.lastLine < 2000) return;
    this.lastLine = now;
    const ratio = total > 0n ? Math.min(1, Number((done * 10_000n) / total) / 10_000) : 1;
    const rate = elapsedMs > 0 ? (events * 1000) / elapsedMs : 0;
    const remaining = total > done ? Number(total - done) : 0;
    const eta = rate > 0 ? Math.ceil(remaining / rate) : 0;
    const width = 30;
    const filled = Math.round(ratio * width);
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(1)}% ${done}/${total}  ${Math.round(rate).toLocaleString('en')} events/s  ETA ${eta}s`;
    this.out.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  done(message: string): void {
    this.out.write(`${this.out.isTTY ? '\r\x1b[K' : ''}${message}\n`);
  }
}

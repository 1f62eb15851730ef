/**
 * `npm start` on a machine with several cores: one supervising process that opens no store and
 * serves nothing itself, and under it
 *   - API processes (node:cluster workers, `--role api`) sharing the port: HTTP, validation,
 *     commands and queries, spread over the cores; and
 *   - one process (`--role projector`, not listening) for the projector and the scheduled
 *     processes (deadline and commitment watches, audit checkpoints, signatory-data retention),
 *     so that projecting never takes a request's turn on the event loop.
 * How many API processes: API_PROCESSES (default one fewer than the cores; 0 keeps everything in
 * one process, which is also what `--role all` asks for).
 *
 * All of them share the stores. On the embedded store, appends serialise on SQLite's write lock
 * and every check that must be atomic (a stream's expected revision, the one-signature-per-signer
 * reservation) is made inside the append's transaction, so it holds across processes. An API
 * process tells the supervisor when it appended, and the supervisor tells the projector process,
 * whose subscriptions then read at once instead of at their next poll (read-your-writes stays fast).
 *
 * Lifecycle:
 *   - ready when every API process listens and the projector process has started; then the
 *     supervisor says where it listens, as a single process would;
 *   - SIGTERM / SIGINT: the API processes stop first (finishing their requests), then the projector
 *     projects what they appended and stops; the supervisor exits 0 when all exited 0;
 *   - a process that dies is started again (after 1 s, doubling to 30 s while it keeps dying), but
 *     one that fails before it was ever ready stops the whole service with its exit status (a bad
 *     setting would otherwise be retried for ever);
 *   - the supervisor killed outright: each process sees its channel close; an API process exits at
 *     once (node:cluster's rule for an orphaned worker), the projector stops as on SIGTERM.
 */
import { Logger } from '@nestjs/common';
import cluster, { type Worker } from 'node:cluster';
import { ChildProcess, fork } from 'node:child_process';
import type { AppConfig } from './config/app-config';
import { portalDirectory } from './infrastructure/http/portal-static';

/** Messages between the supervisor and its processes. */
export type SupervisorMessage = { type: 'appended' } | { type: 'ready' };

/** A process started by the supervisor (set in its environment). */
export const SUPERVISED_ENV = 'PETITIONS_SUPERVISED';

const STOP_TIMEOUT_MS = 35_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A process that ran this long is healthy again: its next restart waits 1 s. */
const HEALTHY_AFTER_MS = 60_000;

interface Slot {
  name: string;
  start: () => ChildProcess | Worker;
  current?: ChildProcess | Worker;
  ready: boolean;
  everReady: boolean;
  startedAt: number;
  delayMs: number;
}

export function supervise(config: AppConfig, mainScript: string): void {
  const logger = new Logger('Supervisor');
  const env = { [SUPERVISED_ENV]: '1' };
  let stopping = false;
  let announced = false;
  let listeningOn = '';
  let exitCode = 0;

  cluster.setupPrimary({ exec: mainScript, args: ['--role', 'api'], silent: false });
  const slots: Slot[] = [];
  const projector: Slot = slot('projector', () => fork(mainScript, ['--role', 'projector'], { env: { ...process.env, ...env }, stdio: 'inherit' }));
  for (let i = 0; i < config.apiProcesses; i++) slot(`api ${i + 1}`, () => cluster.fork(env));

  function slot(name: string, start: () => ChildProcess | Worker): Slot {
    const s: Slot = { name, start, ready: false, everReady: false, startedAt: 0, delayMs: 1000 };
    slots.push(s);
    return s;
  }

  // Wakes the projector process's subscriptions.
  const wakeProjector = oncePerTurn(() => {
    const child = projector.current as ChildProcess | undefined;
    if (child?.connected) child.send({ type: 'appended' } satisfies SupervisorMessage, () => undefined);
  });

  const processOf = (p: ChildProcess | Worker): ChildProcess => ('process' in p ? p.process : p);

  function launch(s: Slot): void {
    s.ready = false;
    s.startedAt = Date.now();
    const child = s.start();
    s.current = child;
    child.on('message', (message: SupervisorMessage) => {
      if (message?.type === 'appended') wakeProjector();
      else if (message?.type === 'ready') markReady(s);
    });
    if ('process' in child) child.on('listening', (address) => ((listeningOn = urlOf(address.address, address.port)), markReady(s)));
    processOf(child).once('exit', (code, signal) => exited(s, child, code, signal));
  }

  function markReady(s: Slot): void {
    s.ready = true;
    s.everReady = true;
    if (announced || !slots.every((x) => x.ready)) return;
    announced = true;
    const url = listeningOn.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
    logger.log(`${config.apiProcesses} API process${config.apiProcesses === 1 ? '' : 'es'} and one projector process (API_PROCESSES to change)`);
    logger.log(`Listening on ${url}`);
    logger.log(`API docs: ${url}/docs (OpenAPI JSON: ${url}/docs-json)`);
    if (portalDirectory()) logger.log(`Portal: ${url}/`);
    if (config.jwt.secret && !config.eventStoreUrl) logger.log('Development token: npm run token -- --role agent');
  }

  function exited(s: Slot, child: ChildProcess | Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (s.current !== child) return;
    s.current = undefined;
    s.ready = false;
    if (stopping) {
      // SIGTERM's default action ends a process still starting (before it set its handlers): not a failure.
      if (code !== 0 && signal !== 'SIGTERM') exitCode = 1;
      return;
    }
    if (!s.everReady) {
      logger.error(`The ${s.name} process could not start (exit ${code ?? signal}); stopping`);
      exitCode = code && code > 0 ? code : 1;
      stop();
      return;
    }
    if (Date.now() - s.startedAt > HEALTHY_AFTER_MS) s.delayMs = 1000;
    logger.error(`The ${s.name} process ended (exit ${code ?? signal}); starting it again in ${s.delayMs / 1000} s`);
    setTimeout(() => !stopping && launch(s), s.delayMs).unref();
    s.delayMs = Math.min(s.delayMs * 2, MAX_RESTART_DELAY_MS);
  }

  /** API processes first, then the projector, which then projects what they appended. */
  function stop(): void {
    if (stopping) return;
    stopping = true;
    const api = slots.filter((s) => s !== projector);
    const timer = setTimeout(() => {
      logger.error(`The processes did not stop within ${STOP_TIMEOUT_MS / 1000} s; killing them`);
      for (const s of slots) if (s.current) processOf(s.current).kill('SIGKILL');
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    timer.unref();
    void stopAll(api)
      .then(() => stopAll([projector]))
      .then(() => {
        clearTimeout(timer);
        if (exitCode === 0) logger.log('Stopped cleanly');
        process.exit(exitCode);
      });
  }

  async function stopAll(group: Slot[]): Promise<void> {
    await Promise.all(
      group.map((s) => {
        const child = s.current;
        if (!child) return Promise.resolve();
        const proc = processOf(child);
        if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
        return new Promise<void>((resolve) => {
          proc.once('exit', () => resolve());
          proc.kill('SIGTERM');
        });
      }),
    );
  }

  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  for (const s of slots) launch(s);
}

/** `fn` at most once per turn of the event loop, however often the result is called during it. */
export function oncePerTurn(fn: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      fn();
    });
  };
}

function urlOf(address: string | null | undefined, port: number): string {
  const host = !address || address === '::' || address === '0.0.0.0' ? 'localhost' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

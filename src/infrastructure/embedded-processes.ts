/**
 * Which service processes have the embedded store (DATA_DIR) open: each writes
 * `DATA_DIR/run/<pid>.json` when it starts and removes it when it stops. A process killed outright
 * leaves its file behind; it counts only while that process id is alive. Offline operations that
 * replace the store's files (restore) refuse while any is.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunningProcess {
  pid: number;
  role: string;
  startedAt: string;
}

const runDir = (dataDir: string) => join(dataDir, 'run');

/** Records this process as using the store; returns what removes the record again. */
export function registerProcess(dataDir: string, role: string): () => void {
  mkdirSync(runDir(dataDir), { recursive: true });
  const file = join(runDir(dataDir), `${process.pid}.json`);
  const record: RunningProcess = { pid: process.pid, role, startedAt: new Date().toISOString() };
  writeFileSync(file, JSON.stringify(record));
  return () => rmSync(file, { force: true });
}

/** The recorded processes that are still alive (stale records of killed processes are removed). */
export function runningProcesses(dataDir: string): RunningProcess[] {
  let names: string[];
  try {
    names = readdirSync(runDir(dataDir)).filter((n) => /^\d+\.json$/.test(n));
  } catch {
    return [];
  }
  const alive: RunningProcess[] = [];
  for (const name of names) {
    const file = join(runDir(dataDir), name);
    let record: RunningProcess;
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as RunningProcess;
    } catch {
      continue;
    }
    if (record.pid !== process.pid && isAlive(record.pid)) alive.push(record);
    else if (record.pid !== process.pid) rmSync(file, { force: true });
  }
  return alive;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `npm start`'s layout: a supervisor, API processes sharing the port and a projector process, on
 * one embedded store. Real processes and real signals: signing spreads over the API processes and
 * every citizen counts once; a killed API process is started again while the other serves; SIGTERM
 * stops everything cleanly; a supervisor killed outright leaves no process behind, and a restart on
 * the same store counts the same.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { call, filePetition, newDataDir, newSecrets, projectedToHead, sign, signedInLog, startService, waitFor, type ServiceProcess } from './service-process';

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function countOf(base: string, petitionId: string, minPosition: string): Promise<number> {
  const res = await call(base, 'GET', `/petitions/${petitionId}?minPosition=${minPosition}`);
  return res.body?.signatureCount as number;
}

describe('npm start: API processes and a projector process under a supervisor', () => {
  const dataDir = newDataDir();
  const secrets = newSecrets();
  const started: ServiceProcess[] = [];

  afterAll(async () => {
    for (const s of started) {
      for (const pid of childrenOf(s.pid)) process.kill(pid, 'SIGKILL');
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.kill('SIGKILL');
        await s.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves through the shared port, restarts an API process that dies, and stops cleanly on SIGTERM', async () => {
    const service = await startService(dataDir, secrets, { role: null, env: { API_PROCESSES: '2' } });
    started.push(service);
    expect(childrenOf(service.pid)).toHaveLength(3);
    expect(service.output()).toMatch(/2 API processes and one projector process/);

    const petitionId = await filePetition(service.url, secrets);
    const first = await Promise.all(Array.from({ length: 40 }, (_, i) => sign(service.url, secrets, petitionId, i)));
    expect(first.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const last = first.map((a) => BigInt(a.body.position as string)).reduce((a, b) => (a > b ? a : b));
    // The projector process (told of the appends by the supervisor) has them when asked to.
    expect(await countOf(service.url, petitionId, String(last))).toBe(40);

    // An API process killed outright: the other serves meanwhile, and the supervisor starts a new one.
    const before = childrenOf(service.pid);
    const apiPid = before.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--role\0api'))!;
    process.kill(apiPid, 'SIGKILL');
    const during = await Promise.all(Array.from({ length: 10 }, (_, i) => sign(service.url, secrets, petitionId, 100 + i)));
    // A request on a connection the killed process held may be cut (status 0); none is refused or fails.
    expect(during.map((a) => a.status).filter((s) => s !== 201 && s !== 0)).toEqual([]);
    await waitFor(() => /process ended \(exit SIGKILL\); starting it again/.test(service.output()), 'the restart in the log');
    let newPid = 0;
    await waitFor(() => {
      newPid = childrenOf(service.pid).find((pid) => !before.includes(pid)) ?? 0;
      return newPid > 0 && service.output().includes(`Role: api, process ${newPid}`);
    }, 'a new API process, ready');
    expect(childrenOf(service.pid)).toHaveLength(3);

    const after = await Promise.all(Array.from({ length: 10 }, (_, i) => sign(service.url, secrets, petitionId, 200 + i)));
    expect(after.map((a) => a.status)).toEqual(Array(10).fill(201));

    const children = childrenOf(service.pid);
    service.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(children.filter(alive)).toEqual([]);
    expect(service.output()).toMatch(/Supervisor\] Stopped cleanly/);
    // Every signature the clients saw acknowledged is in the log, once.
    const logged = signedInLog(dataDir, petitionId);
    expect(new Set(logged.map((s) => s.signerHash)).size).toBe(logged.length);
    const acked = [...first, ...during, ...after].filter((a) => a.status === 201).map((a) => a.body.signatureId as string);
    expect(logged.map((s) => s.signatureId)).toEqual(expect.arrayContaining(acked));
  });

  it('leaves no process behind when the supervisor is killed outright, and counts the same after a restart', async () => {
    const service = await startService(dataDir, secrets, { role: null, env: { API_PROCESSES: '2' } });
    started.push(service);
    const children = childrenOf(service.pid);
    expect(children).toHaveLength(3);
    service.kill('SIGKILL');
    await service.exited;
    await waitFor(() => children.every((pid) => !alive(pid)), 'the orphaned processes to stop', 30_000);

    const again = await startService(dataDir, secrets, { role: null, env: { API_PROCESSES: '1' } });
    started.push(again);
    await projectedToHead(again.url);
    const petitions = await call(again.url, 'GET', '/petitions');
    const petitionId = petitions.body.items[0].id as string;
    const logged = signedInLog(dataDir, petitionId).length;
    expect((await call(again.url, 'GET', `/petitions/${petitionId}`)).body.signatureCount).toBe(logged);
    const next = await sign(again.url, secrets, petitionId, 300);
    expect(next.status).toBe(201);
    again.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  });
});

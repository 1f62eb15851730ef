/**
 * SIGTERM while citizens sign and a slow read is in flight: the service stops accepting requests,
 * finishes those in flight, projects what they appended and commits the projector's checkpoint,
 * then exits 0.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  call,
  checkpointsOnDisk,
  filePetition,
  headOfLog,
  newDataDir,
  newSecrets,
  signedInLog,
  signingLoad,
  startService,
  waitFor,
  type Answer,
  type ServiceProcess,
} from './service-process';

describe('graceful shutdown', () => {
  const dataDir = newDataDir();
  const secrets = newSecrets();
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) {
      service.kill('SIGKILL');
      await service.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on SIGTERM stops accepting, finishes the requests in flight, checkpoints the projector and exits 0', async () => {
    service = await startService(dataDir, secrets, { env: { READ_WAIT_MAX_MS: '10000' } });
    const s = service;
    const petitionId = await filePetition(s.url, secrets);
    expect(readdirSync(join(dataDir, 'run'))).toEqual([`${s.pid}.json`]);

    // A read that waits (up to 10 s) for a position the log will not reach: in flight until then.
    const health = await call(s.url, 'GET', '/health');
    const unreachable = (BigInt(health.body.eventStore.headPosition) + 1_000_000n).toString();
    let slowDone = false;
    const slow = call(s.url, 'GET', `/petitions/${petitionId}`, undefined, undefined, { 'x-min-position': unreachable }).then((r) => {
      slowDone = true;
      return r;
    });

    const load = signingLoad(s.url, secrets, petitionId, 8);
    await waitFor(() => load.acknowledged() >= 10, '10 acknowledged signatures');
    expect(slowDone).toBe(false); // still in flight when the signal comes
    s.kill('SIGTERM');

    // It stops accepting while the slow read is still being served.
    let refused: Answer | undefined;
    await waitFor(async () => {
      const r = await call(s.url, 'GET', '/health/live');
      if (r.status !== 200) refused = r;
      return refused !== undefined;
    }, 'the service to stop accepting requests');
    expect([0, 503]).toContain(refused!.status);
    if (refused!.status === 503) expect(refused!.body.code).toBe('SHUTTING_DOWN');
    expect(slowDone).toBe(false);

    await load.stop();
    // The read in flight was answered, not cut off.
    const answered = await slow;
    expect(answered.status).toBe(200);
    expect(answered.body.id).toBe(petitionId);

    const exit = await s.exited;
    expect({ exit, output: exit.code === 0 ? '' : s.output() }).toEqual({ exit: { code: 0, signal: null }, output: '' });
    expect(s.output()).toMatch(/SIGTERM: no new connections/);
    expect(s.output()).toMatch(/Stopped cleanly/);

    // Nothing half-done: only acknowledgements, refusals while closing (503) or closed connections.
    const answers = [...load.answers.values()];
    expect(answers.filter((a) => ![0, 201, 503].includes(a.status))).toEqual([]);
    expect(answers.filter((a) => a.status === 503 && a.body?.code !== 'SHUTTING_DOWN')).toEqual([]);
    const acked = answers.filter((a) => a.status === 201).map((a) => a.body.signatureId as string);
    const logged = new Set(signedInLog(dataDir, petitionId).map((x) => x.signatureId));
    expect(acked.filter((id) => !logged.has(id))).toEqual([]);

    // The projector projected everything stored before it stopped, checkpoint committed.
    const head = headOfLog(dataDir);
    const checkpoints = [...checkpointsOnDisk(dataDir).entries()];
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.filter(([, position]) => position !== head)).toEqual([]);
    // It no longer counts as running on DATA_DIR.
    expect(existsSync(join(dataDir, 'run', `${s.pid}.json`))).toBe(false);
  });
});

/**
 * SIGKILL under load: the service is killed outright while citizens sign concurrently, then
 * started again on the same DATA_DIR. Every acknowledged signature (201) must be in the event log
 * and in the read model exactly once, and the projector must resume from its checkpoint.
 */
import { rmSync } from 'node:fs';
import {
  call,
  checkpointsOnDisk,
  filePetition,
  newDataDir,
  newSecrets,
  projectedToHead,
  sign,
  signaturesInReadModel,
  signedInLog,
  signingLoad,
  startService,
  waitFor,
  type ServiceProcess,
} from './service-process';

describe('SIGKILL mid-load, then restart', () => {
  const dataDir = newDataDir();
  const secrets = newSecrets();
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.kill('SIGKILL');
      await service.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged signature exactly once, in the log and the read model, and resumes projecting', async () => {
    service = await startService(dataDir, secrets);
    const petitionId = await filePetition(service.url, secrets);

    const load = signingLoad(service.url, secrets, petitionId, 12);
    await waitFor(() => load.acknowledged() >= 150, '150 acknowledged signatures', 60_000);
    service.kill('SIGKILL');
    const exit = await service.exited;
    await load.stop();
    expect(exit.signal).toBe('SIGKILL');

    const answers = [...load.answers.values()];
    const acked = answers.filter((a) => a.status === 201).map((a) => a.body as { signatureId: string; position: string });
    const unexpected = answers.filter((a) => a.status !== 201 && a.status !== 0);
    // On failure, the killed process's error log says why.
    const killedLog = unexpected.length
      ? service
          .output()
          .split('\n')
          .filter((l) => /ERROR|Error/.test(l))
      : [];
    expect({ unexpected, killedLog }).toEqual({ unexpected: [], killedLog: [] });
    // Some requests were cut off by the kill: their outcome is unknown to the client.
    expect(answers.some((a) => a.status === 0)).toBe(true);

    // The log: every acknowledged signature, once; no signer twice.
    const logged = signedInLog(dataDir, petitionId);
    const loggedIds = logged.map((s) => s.signatureId);
    expect(new Set(loggedIds).size).toBe(loggedIds.length);
    expect(new Set(logged.map((s) => s.signerHash)).size).toBe(logged.length);
    const inLog = new Set(loggedIds);
    expect(acked.filter((a) => !inLog.has(a.signatureId))).toEqual([]);
    // Each acknowledgement's position is the position of that very event.
    const positionOf = new Map(logged.map((s) => [s.signatureId, s.position.toString()]));
    expect(acked.filter((a) => positionOf.get(a.signatureId) !== a.position)).toEqual([]);

    const checkpointsAtKill = checkpointsOnDisk(dataDir);
    expect(checkpointsAtKill.size).toBeGreaterThan(0);

    // Restart on the same files.
    service = await startService(dataDir, secrets);
    const restarted = service;
    // Resumed, not replayed from zero: from its first answer until it reaches the head, no projection
    // is ever behind the checkpoint it had committed when it was killed (checkpoints are upserted
    // unconditionally, so a replay from zero would show).
    const behind: string[] = [];
    await waitFor(
      async () => {
        const status = await call(restarted.url, 'GET', '/projections');
        if (status.status !== 200) return false;
        const list = status.body.projections as { name: string; generation: number; position: string; lag: string }[];
        for (const p of list) {
          const atKill = checkpointsAtKill.get(`${p.name}@g${p.generation}`) ?? 0n;
          if (BigInt(p.position) < atKill) behind.push(`${p.name} at ${p.position} < ${atKill}`);
        }
        return list.every((p) => p.lag === '0');
      },
      'the read models to reach the head',
      60_000,
    );
    expect(behind).toEqual([]);
    await projectedToHead(restarted.url);

    // The read model: exactly the logged signatures, each once, all counted.
    const projected = await signaturesInReadModel(restarted.url, petitionId);
    const projectedIds = projected.map((s) => s.id);
    expect(new Set(projectedIds).size).toBe(projectedIds.length);
    expect([...projectedIds].sort()).toEqual([...loggedIds].sort());
    const page = await call(restarted.url, 'GET', `/petitions/${petitionId}`);
    expect(page.status).toBe(200);
    expect(page.body.signatureCount).toBe(logged.length);

    // The restarted service counts on from there: a signer already in the log is refused, a new one counted.
    const firstAcked = answers.findIndex((a) => a.status === 201);
    const again = await sign(restarted.url, secrets, petitionId, [...load.answers.entries()].find(([, a]) => a.status === 201)![0]);
    expect(firstAcked).toBeGreaterThanOrEqual(0);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_SIGNED');
    const fresh = await sign(restarted.url, secrets, petitionId, 100_000);
    expect(fresh.status).toBe(201);
    await projectedToHead(restarted.url);
    expect((await call(restarted.url, 'GET', `/petitions/${petitionId}`)).body.signatureCount).toBe(logged.length + 1);

    restarted.kill('SIGTERM');
    expect(await restarted.exited).toEqual({ code: 0, signal: null });
  });
});

/**
 * Two service processes on one DATA_DIR (the embedded store shared through SQLite's WAL; one holds
 * the projector lease, the other waits on it): every citizen signs through both at the same
 * instant. Exactly one signature per citizen, the exact count, the threshold reached once, and a
 * submission through the other process counts the same.
 */
import { rmSync } from 'node:fs';
import {
  call,
  filePetition,
  lifecycleInLog,
  newDataDir,
  newSecrets,
  projectedToHead,
  sign,
  signaturesInReadModel,
  signedInLog,
  startService,
  token,
  type Answer,
  type ServiceProcess,
} from './service-process';

const SIGNERS = 200; // the commune of Tan-Tan's threshold

describe('two service processes on one embedded store', () => {
  const dataDir = newDataDir();
  const secrets = newSecrets();
  const services: ServiceProcess[] = [];

  afterAll(async () => {
    for (const s of services) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.kill('SIGKILL');
        await s.exited;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('count every signer exactly once when both sign the same petition concurrently', async () => {
    services.push(await startService(dataDir, secrets));
    services.push(await startService(dataDir, secrets));
    const [a, b] = services;
    const petitionId = await filePetition(a.url, secrets);

    // Each citizen through both processes at once; 10 citizens at a time.
    const outcomes: [Answer, Answer][] = [];
    for (let start = 0; start < SIGNERS; start += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, SIGNERS - start) }, (_, k) =>
          Promise.all([sign(a.url, secrets, petitionId, start + k), sign(b.url, secrets, petitionId, start + k)]),
        ),
      );
      outcomes.push(...batch);
    }
    const statuses = outcomes.map(([x, y]) => [x.status, y.status].sort().join('+'));
    const errors = outcomes.flatMap(([x, y]) => [x, y]).filter((r) => r.status >= 500);
    expect({
      errors,
      logs: errors.length
        ? services.map((s) =>
            s
              .output()
              .split('\n')
              .filter((l) => /ERROR|Error/.test(l))
              .join('\n'),
          )
        : [],
    }).toEqual({ errors: [], logs: [] });
    expect(statuses.filter((s) => s !== '201+409')).toEqual([]);
    const refusals = outcomes.flatMap(([x, y]) => [x, y]).filter((r) => r.status === 409);
    expect(refusals.filter((r) => r.body.code !== 'ALREADY_SIGNED')).toEqual([]);
    // Both processes acknowledged some.
    expect(outcomes.filter(([x]) => x.status === 201).length).toBeGreaterThan(0);
    expect(outcomes.filter(([, y]) => y.status === 201).length).toBeGreaterThan(0);

    const logged = signedInLog(dataDir, petitionId);
    expect(logged.length).toBe(SIGNERS);
    expect(new Set(logged.map((s) => s.signerHash)).size).toBe(SIGNERS);
    const acked = outcomes.map(([x, y]) => (x.status === 201 ? x : y).body.signatureId as string);
    expect([...acked].sort()).toEqual(logged.map((s) => s.signatureId).sort());
    expect(lifecycleInLog(dataDir, petitionId).filter((e) => e.type === 'SignatureThresholdReached')).toHaveLength(1);

    for (const s of services) {
      await projectedToHead(s.url);
      expect((await call(s.url, 'GET', `/petitions/${petitionId}`)).body.signatureCount).toBe(SIGNERS);
      expect(await signaturesInReadModel(s.url, petitionId)).toHaveLength(SIGNERS);
    }

    // The process that did not file counts the same when it submits.
    const submitted = await call(b.url, 'POST', `/petitions/${petitionId}/submission`, undefined, await token(secrets, 'agent-amina', ['agent']));
    expect(submitted.status).toBeLessThan(300);
    const submission = lifecycleInLog(dataDir, petitionId).find((e) => e.type === 'PetitionSubmittedToCouncil');
    expect(submission?.data.signatureCount).toBe(SIGNERS);

    // Both stop cleanly (one held the projector lease, the other waited on it).
    for (const s of services) s.kill('SIGTERM');
    expect(await Promise.all(services.map((s) => s.exited))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });
});

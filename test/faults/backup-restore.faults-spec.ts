/**
 * npm run backup while the service signs, npm run restore into a fresh DATA_DIR: the restored log
 * verifies (integrity, every hash-chain link), the service started on it rebuilds read models
 * identical to the original's, a tampered backup is refused, and restore refuses while a service
 * runs on the target.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  call,
  filePetition,
  newDataDir,
  newSecrets,
  projectedToHead,
  runCli,
  signaturesInReadModel,
  signingLoad,
  startService,
  token,
  waitFor,
  type ServiceProcess,
} from './service-process';

describe('backup and restore of the embedded store', () => {
  const original = newDataDir();
  const restored = newDataDir();
  const backups = newDataDir();
  const secrets = newSecrets();
  const services: ServiceProcess[] = [];
  const envFor = (dataDir: string) => ({ ...secrets, DATA_DIR: dataDir });

  afterAll(async () => {
    for (const s of services) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.kill('SIGKILL');
        await s.exited;
      }
    }
    for (const dir of [original, restored, backups]) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up while serving, and a restore verifies the history and rebuilds identical read models', async () => {
    const a = await startService(original, secrets);
    services.push(a);
    const petitionId = await filePetition(a.url, secrets);

    // 1. A backup taken while citizens sign.
    const load = signingLoad(a.url, secrets, petitionId, 6);
    await waitFor(() => load.acknowledged() >= 20, '20 acknowledged signatures');
    const ackedBefore = [...load.answers.values()].filter((r) => r.status === 201).map((r) => r.body.signatureId as string);
    const underLoad = join(backups, 'under-load.sqlite');
    const backup1 = await runCli('backup', [underLoad], envFor(original));
    const ackedDuring = load.acknowledged();
    await load.stop();
    expect({ status: backup1.status, stderr: backup1.stderr }).toEqual({ status: 0, stderr: '' });
    expect(backup1.stdout).toMatch(/^Backed up \d+ events .* every hash-chain link verified/);
    expect(load.acknowledged()).toBeGreaterThan(ackedBefore.length); // the service kept signing meanwhile
    expect(ackedDuring).toBeGreaterThanOrEqual(ackedBefore.length);
    expect(readdirSync(backups)).toEqual(['under-load.sqlite']); // a single self-contained file
    const copy = new Database(underLoad, { readonly: true });
    const inCopy = new Set(
      (copy.prepare("SELECT data FROM events WHERE type LIKE 'PetitionSigned.%'").pluck().all() as string[]).map((d) => JSON.parse(d).signatureId as string),
    );
    copy.close();
    expect(ackedBefore.filter((id) => !inCopy.has(id))).toEqual([]);

    // 2. A second backup once signing stopped; the service still runs.
    await projectedToHead(a.url);
    const quiet = join(backups, 'quiet.sqlite');
    expect((await runCli('backup', [quiet], envFor(original))).status).toBe(0);
    // Never over an existing file.
    const again = await runCli('backup', [quiet], envFor(original));
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists/);

    // 3. Restore refuses while the service runs on the target.
    const refused = await runCli('restore', [quiet], envFor(original));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`The service is running on .*pid ${a.pid}.*stop it before restoring`));

    // 4. A tampered backup is refused: one signature's basis changed after the fact.
    const tampered = join(backups, 'tampered.sqlite');
    copyFileSync(quiet, tampered);
    const t = new Database(tampered);
    t.prepare(
      "UPDATE events SET data = json_set(data, '$.basis', 'economic_activity') WHERE position = (SELECT max(position) FROM events WHERE type LIKE 'PetitionSigned.%')",
    ).run();
    t.close();
    const tamperedRestore = await runCli('restore', [tampered], envFor(restored));
    expect(tamperedRestore.status).toBe(1);
    expect(tamperedRestore.stderr).toMatch(/content does not match its hash/);
    expect(existsSync(join(restored, 'events.sqlite'))).toBe(false);

    // 5. Restore into a fresh DATA_DIR and start on it: the same history, the same read models.
    const restore = await runCli('restore', [quiet], envFor(restored));
    expect({ status: restore.status, stderr: restore.stderr }).toEqual({ status: 0, stderr: '' });
    expect(restore.stdout).toMatch(/^Restored \d+ events .* every hash-chain link verified/);
    const b = await startService(restored, secrets);
    services.push(b);
    await projectedToHead(b.url);

    const auditor = await token(secrets, 'auditor-1', ['auditor']);
    const reads = [
      `/petitions/${petitionId}`,
      `/petitions/${petitionId}/history?lang=ar`,
      `/petitions/${petitionId}/signatures/daily`,
      `/petitions?council=commune-tan-tan&sort=signatures`,
      '/councils/commune-tan-tan/dashboard',
      '/overdue',
      '/exports/petitions.json',
      '/exports/councils.json',
    ];
    for (const path of reads) {
      const [x, y] = await Promise.all([call(a.url, 'GET', path), call(b.url, 'GET', path)]);
      expect({ path, status: y.status, body: y.body }).toEqual({ path, status: x.status, body: x.body });
    }
    expect(await signaturesInReadModel(b.url, petitionId)).toEqual(await signaturesInReadModel(a.url, petitionId));
    const [historyA, historyB] = await Promise.all([
      call(a.url, 'GET', `/petitions/${petitionId}/events?limit=1000`, undefined, auditor),
      call(b.url, 'GET', `/petitions/${petitionId}/events?limit=1000`, undefined, auditor),
    ]);
    expect(historyB.body).toEqual(historyA.body);
    expect(historyB.body.lifecycleIntegrity.verified).toBe(true);
    expect(historyB.body.pageIntegrity.verified).toBe(true);

    // The restored service goes on: a receipt given before the backup still proves its signature.
    const signed = [...load.answers.values()].find((r) => r.status === 201)!.body as { receipt: string };
    expect((await call(b.url, 'GET', `/receipts/${encodeURIComponent(signed.receipt)}`)).status).toBe(200);

    // 6. Restoring over an existing store sets the old files aside.
    b.kill('SIGTERM');
    expect(await b.exited).toEqual({ code: 0, signal: null });
    const over = await runCli('restore', [underLoad], envFor(restored));
    expect(over.status).toBe(0);
    expect(over.stdout).toMatch(/The previous event log and read models are in .*before-restore-/);
    const c = await startService(restored, secrets);
    services.push(c);
    await projectedToHead(c.url);
    expect((await call(c.url, 'GET', `/petitions/${petitionId}`)).body.signatureCount).toBe(inCopy.size);
    for (const s of [a, c]) s.kill('SIGTERM');
    expect(await Promise.all([a.exited, c.exited])).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
  });
});

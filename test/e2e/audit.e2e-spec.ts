/**
 * Verifiable history: the Merkle log over every event, signed checkpoints, proofs checked here with
 * the pure verifiers an auditor runs offline, the petition's audit export and `audit:verify`,
 * receipts proven offline, time travel at each step of a lifecycle, and tampering with the stored
 * events (altered, deleted) caught and named.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditExport, ExportLine } from '../../src/domain/audit/audit-export';
import { parsePublicKey, verifyCheckpoint } from '../../src/domain/audit/checkpoint';
import { eventLeaf, verifyConsistency, verifyInclusion } from '../../src/domain/audit/merkle';
import { associationPetition, citizensPetition, expectProblem, HOUR, Signed, useApp } from './harness';

const hexes = (xs: string[]) => xs.map((x) => Buffer.from(x, 'hex'));
const parseLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ExportLine);

describe('a full lifecycle, checkpointed and verified', () => {
  const h = useApp();
  let id: string;
  let signed: Signed[];
  let admin: string;
  let auditor: string;
  let agent: string;
  let publicKey: ReturnType<typeof parsePublicKey>;
  /** Each step: its last position, a moment just after it, and what the petition was then. */
  const steps: Array<{ name: string; position: string; time: string; status: string; count: number; closed?: boolean }> = [];

  beforeAll(async () => {
    admin = await h.token('admin-audit', ['admin']);
    auditor = await h.token('auditor-audit', ['auditor']);
    agent = await h.token('agent-audit', ['agent']);
    const step = (name: string, position: string, status: string, count: number, closed = false) => {
      steps.push({ name, position, time: h.clock.iso(), status, count, closed });
      h.clock.advance(HOUR);
    };
    const filed = await h.post('/petitions', citizensPetition('commune-tan-tan', 'Éclairage public du quartier Al Massira'), agent);
    expect(filed.status).toBe(201);
    id = filed.body.id;
    step('filed', filed.body.position, 'collecting', 0);
    const key = await h.get('/audit/public-key');
    publicKey = parsePublicKey(key.body.publicKey);
  });

  it('refuses proofs and exports before any checkpoint', async () => {
    expectProblem(await h.get(`/petitions/${id}/audit`, auditor), 409, 'NO_CHECKPOINT_YET');
    expectProblem(await h.get(`/audit/proofs/inclusion?position=1`), 409, 'NO_CHECKPOINT_YET');
  });

  it('signs a first checkpoint on demand (admin only), once', async () => {
    expectProblem(await h.post('/audit/checkpoints', undefined, agent), 403, 'ROLE_NOT_ALLOWED');
    expectProblem(await h.post('/audit/checkpoints', undefined), 401, 'UNAUTHENTICATED');
    const first = await h.post('/audit/checkpoints', undefined, admin);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: true, checkpoint: { treeSize: 1, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) } });
    expect(verifyCheckpoint(first.body.checkpoint, publicKey!)).toBe(true);
    // Covering only itself since: nothing new to sign.
    const again = await h.post('/audit/checkpoints', undefined, admin);
    expect(again.body).toMatchObject({ created: false, checkpoint: { treeSize: 1 } });
  });

  it('runs the lifecycle', async () => {
    signed = await h.signMany(id, 200, { subPrefix: 'citizen-audit' });
    const last = signed.reduce((a, b) => (BigInt(a.position) > BigInt(b.position) ? a : b));
    steps.push({ name: 'threshold reached', position: last.position, time: h.clock.iso(), status: 'collecting', count: 200 });
    h.clock.advance(HOUR);
    const submitted = await h.post(`/petitions/${id}/submission`, undefined, agent);
    expect(submitted.status).toBe(200);
    steps.push({ name: 'submitted', position: submitted.body.position, time: h.clock.iso(), status: 'submitted', count: 200 });
    h.clock.advance(HOUR);
    const clerk = await h.token('clerk-tan-tan', ['clerk'], 'commune-tan-tan');
    const admissible = await h.post(
      `/petitions/${id}/admissibility`,
      { decision: 'admissible', agendaSession: 'Session ordinaire de février 2027', committee: 'Commission des services publics' },
      clerk,
    );
    expect(admissible.status).toBe(200);
    steps.push({ name: 'admissible', position: admissible.body.position, time: h.clock.iso(), status: 'admissible', count: 200 });
    h.clock.advance(HOUR);
    const official = await h.token('official-tan-tan', ['official'], 'commune-tan-tan');
    const answered = await h.post(
      `/petitions/${id}/response`,
      {
        decision: 'adopted',
        text: 'Le conseil a inscrit 40 lampadaires solaires au budget 2027.',
        respondingOfficial: { name: 'Président du conseil communal', title: 'Président' },
      },
      official,
    );
    expect(answered.status).toBe(200);
    steps.push({ name: 'answered', position: answered.body.position, time: h.clock.iso(), status: 'answered', count: 200 });
    h.clock.advance(HOUR);
    const closed = await h.post(`/petitions/${id}/closure`, {}, clerk);
    expect(closed.status).toBe(200);
    steps.push({ name: 'closed', position: closed.body.position, time: h.clock.iso(), status: 'answered', count: 200, closed: true });
    h.clock.advance(HOUR);
    const second = await h.post('/audit/checkpoints', undefined, admin);
    expect(second.body).toMatchObject({ created: true, checkpoint: { treeSize: Number(second.body.checkpoint.position) - 1 } });
  });

  it('lists signed checkpoints, and proves the second extends the first', async () => {
    const list = await h.get('/audit/checkpoints');
    expect(list.status).toBe(200);
    const [newest, oldest] = list.body.items;
    expect(list.body.items).toHaveLength(2);
    expect(newest.treeSize).toBe(Number(await h.headPosition()) - 1); // every event but the newest checkpoint itself
    for (const c of list.body.items) expect(verifyCheckpoint(c, publicKey!)).toBe(true);
    const proof = await h.get(`/audit/proofs/consistency?from=${oldest.treeSize}&to=${newest.treeSize}`);
    expect(proof.status).toBe(200);
    expect(proof.body.fromRoot).toBe(oldest.rootHash);
    expect(proof.body.toRoot).toBe(newest.rootHash);
    expect(
      verifyConsistency(oldest.treeSize, newest.treeSize, hexes(proof.body.proof), Buffer.from(oldest.rootHash, 'hex'), Buffer.from(newest.rootHash, 'hex')),
    ).toBe(true);
    // A forged older root does not pass.
    expect(verifyConsistency(oldest.treeSize, newest.treeSize, hexes(proof.body.proof), Buffer.alloc(32), Buffer.from(newest.rootHash, 'hex'))).toBe(false);
    expectProblem(await h.get(`/audit/proofs/consistency?from=${newest.treeSize}&to=${oldest.treeSize}`), 400, 'VALIDATION_FAILED');
    expectProblem(await h.get(`/audit/proofs/consistency?from=1&to=${newest.treeSize + 100}`), 409, 'TREE_SIZE_NOT_REACHED');
  });

  it('proves every event of the petition included in the signed root (chain and Merkle over the whole lifecycle)', async () => {
    const [checkpoint] = (await h.get('/audit/checkpoints?limit=1')).body.items;
    const history = await h.history(id);
    expect(history.events.length).toBe(206);
    for (const e of history.events) {
      const res = await h.get(`/audit/proofs/inclusion?position=${e.position}`);
      expect(res.status).toBe(200);
      expect(res.body.rootHash).toBe(checkpoint.rootHash);
      expect(
        verifyInclusion(
          res.body.leafIndex,
          checkpoint.treeSize,
          eventLeaf(e.metadata.chain.hash),
          hexes(res.body.proof),
          Buffer.from(checkpoint.rootHash, 'hex'),
        ),
      ).toBe(true);
    }
    expectProblem(await h.get('/audit/proofs/inclusion?position=abc'), 400, 'VALIDATION_FAILED');
    expectProblem(await h.get('/audit/proofs/inclusion?position=999999'), 404, 'POSITION_NOT_IN_LOG');
  });

  it('exports the petition and the export verifies offline, with the council’s key', async () => {
    const res = await h.get(`/petitions/${id}/audit`, auditor);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/jsonl/);
    const lines = parseLines(res.text);
    expect(lines[0]).toMatchObject({ kind: 'header', petitionId: id });
    expect(lines.filter((l) => l.kind === 'event')).toHaveLength(206);
    expect(lines[lines.length - 1]).toEqual({ kind: 'end', events: 206, missing: 0, uncovered: 0 });
    const result = verifyAuditExport(lines, publicKey!);
    expect(result).toMatchObject({ verified: true, warnings: [] });
    expect(result.checks.join('\n')).toMatch(/consistent with the earlier checkpoint/);
    expect(result.checks.join('\n')).toMatch(/submission's 200 signatures recounted/);
    // A signature stream left out of the export altogether: the submission's recount names the submission.
    const victim = lines.find((l) => l.kind === 'event' && l.type.startsWith('PetitionSigned.')) as Extract<ExportLine, { kind: 'event' }>;
    const submission = lines.find((l) => l.kind === 'event' && l.type.startsWith('PetitionSubmittedToCouncil.')) as Extract<ExportLine, { kind: 'event' }>;
    expect(
      verifyAuditExport(
        lines.filter((l) => !(l.kind === 'event' && l.streamId === victim.streamId)),
        publicKey!,
      ),
    ).toMatchObject({
      verified: false,
      failure: { streamId: submission.streamId, revision: submission.revision, reason: expect.stringMatching(/counted 200 signatures; the export holds 199/) },
    });
    // Another key does not vouch for it.
    const { generateKeyPairSync } = await import('node:crypto');
    expect(verifyAuditExport(lines, generateKeyPairSync('ed25519').publicKey)).toMatchObject({ verified: false });
  });

  it('exports only for auditors, admins and the staff of the petition’s council', async () => {
    expectProblem(await h.get(`/petitions/${id}/audit`, agent), 403, 'ROLE_NOT_ALLOWED');
    expectProblem(await h.get(`/petitions/${id}/audit`, await h.token('clerk-other', ['clerk'], 'commune-tanger')), 403, 'NOT_COUNCIL_STAFF');
    expect((await h.get(`/petitions/${id}/audit`, await h.token('clerk-tan-tan', ['clerk'], 'commune-tan-tan'))).status).toBe(200);
    expectProblem(await h.get(`/petitions/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/audit`, auditor), 404, 'PETITION_NOT_FOUND');
  });

  it('a signer verifies their receipt offline; an altered one fails', async () => {
    const s = signed[17] as Signed & { eventHash: string };
    expect(s.eventHash).toMatch(/^[0-9a-f]{64}$/);
    const res = await h.get(`/receipts/${encodeURIComponent(s.receipt)}/proof`);
    expect(res.status).toBe(200);
    expect(res.body.eventHash).toBe(s.eventHash);
    const { checkpoint } = res.body;
    const check = (eventHash: string, proof: string[]) =>
      verifyCheckpoint(checkpoint, publicKey!) &&
      verifyInclusion(res.body.leafIndex, checkpoint.treeSize, eventLeaf(eventHash), hexes(proof), Buffer.from(checkpoint.rootHash, 'hex'));
    expect(check(s.eventHash, res.body.proof)).toBe(true);
    const altered = s.eventHash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(check(altered, res.body.proof)).toBe(false);
    expect(check(s.eventHash, [...res.body.proof].reverse())).toBe(false);
    expect((await h.get(`/receipts/${encodeURIComponent(s.receipt)}`)).body.eventHash).toBe(s.eventHash);
    expectProblem(await h.get(`/receipts/${encodeURIComponent(s.receipt.slice(0, -2) + 'xx')}/proof`), 404, 'RECEIPT_INVALID');
  });

  it('time travel: the petition at each step, by position and by time', async () => {
    expect(steps.map((s) => s.name)).toEqual(['filed', 'threshold reached', 'submitted', 'admissible', 'answered', 'closed']);
    for (const s of steps) {
      for (const query of [`atPosition=${s.position}`, `asOf=${encodeURIComponent(s.time)}`]) {
        const res = await h.get(`/petitions/${id}?${query}`);
        expect(res.status).toBe(200);
        expect({ step: s.name, query, status: res.body.status, count: res.body.signatureCount, closed: res.body.closed }).toEqual({
          step: s.name,
          query,
          status: s.status,
          count: s.count,
          closed: s.closed ?? false,
        });
        expect(res.body).not.toHaveProperty('ownerId');
      }
    }
    // Half-way through the signatures.
    const middle = [...signed].sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1))[99];
    expect((await h.get(`/petitions/${id}?atPosition=${middle.position}`)).body).toMatchObject({
      status: 'collecting',
      signatureCount: 100,
      thresholdReached: false,
    });
    expect((await h.get(`/petitions/${id}?atPosition=${steps[2].position}`)).body).toMatchObject({ signatureCountAtSubmission: 200 });
    expect((await h.get(`/petitions/${id}?atPosition=${steps[4].position}`)).body).toMatchObject({ decision: 'adopted' });
    expectProblem(await h.get(`/petitions/${id}?asOf=2000-01-01T00:00:00Z`), 404, 'PETITION_NOT_FOUND');
    expectProblem(await h.get(`/petitions/${id}?asOf=yesterday`), 400, 'VALIDATION_FAILED');
    expectProblem(await h.get(`/petitions/${id}?atPosition=-3`), 400, 'VALIDATION_FAILED');
    expectProblem(await h.get(`/petitions/${id}?atPosition=3&asOf=${encodeURIComponent(steps[0].time)}`), 400, 'VALIDATION_FAILED');
  });
});

describe('a fraud check before submission, checkpointed and verified', () => {
  const h = useApp();

  it('recounts the submission as the service counted it: an invalidated signature does not count', async () => {
    const rep = await h.token('rep-fraud-audit', ['association_rep']);
    const clerk = await h.token('clerk-fraud-audit', ['clerk'], 'commune-tan-tan');
    const filed = await h.post('/petitions', associationPetition('commune-tan-tan'), rep);
    expect(filed.status).toBe(201);
    const id = filed.body.id as string;
    const signatureIds: string[] = [];
    for (const [i, name] of ['Amina Alaoui', 'Karim Tazi', 'Salma Fassi'].entries()) {
      const body = {
        identityNumber: `FA${100001 + i}`,
        basis: 'residence',
        meetsElectoralRegistrationConditions: true,
        channel: 'paper',
        paperSheet: { sheet: 1, line: i + 1 },
        fullName: name,
        address: `${i + 1} rue Atlas, Tan-Tan`,
      };
      const signedRes = await h.post(`/petitions/${id}/signatures`, body, rep);
      expect(signedRes.status).toBe(201);
      signatureIds.push(signedRes.body.signatureId as string);
    }
    const checked = await h.post(
      `/petitions/${id}/signatures/invalidations`,
      { reasonCode: 'automated_or_forged', criteria: { signatureIds: [signatureIds[1]] } },
      clerk,
    );
    expect(checked.status).toBe(201);
    expect((await h.post(`/petitions/${id}/submission`, undefined, rep)).status).toBe(200);
    expect((await h.post('/audit/checkpoints', undefined, await h.token('admin-fraud-audit', ['admin']))).status).toBe(200);

    const res = await h.get(`/petitions/${id}/audit`, await h.token('auditor-fraud-audit', ['auditor']));
    expect(res.status).toBe(200);
    const lines = parseLines(res.text);
    const publicKey = parsePublicKey((await h.get('/audit/public-key')).body.publicKey);
    const result = verifyAuditExport(lines, publicKey!);
    expect(result).toMatchObject({ verified: true });
    expect(result.checks.join('\n')).toMatch(/submission's 2 signatures recounted/);
    // The fraud check is part of the export; without it the recount no longer matches the submission.
    const withoutCheck = lines.filter((l) => !(l.kind === 'event' && l.type.startsWith('SignaturesInvalidated.')));
    expect(withoutCheck.length).toBe(lines.length - 1);
    expect(verifyAuditExport(withoutCheck, publicKey!)).toMatchObject({
      verified: false,
      failure: { reason: expect.stringMatching(/counted 2 signatures; the export holds 3/) },
    });
  });
});

describe('tampering with the stored events', () => {
  const h = useApp();
  let id: string;
  let auditor: string;
  let keyFile: string;

  const exportNow = async () => {
    const res = await h.get(`/petitions/${id}/audit`, auditor);
    expect(res.status).toBe(200);
    return res.text;
  };
  const verify = (text: string) => verifyAuditExport(parseLines(text), parsePublicKey(JSON.parse(readFileSync(keyFile, 'utf8')).publicKey)!);

  beforeAll(async () => {
    auditor = await h.token('auditor-tamper', ['auditor']);
    const filed = await h.post(
      '/petitions',
      citizensPetition('commune-tan-tan', 'Aménagement du jardin public de Tan-Tan'),
      await h.token('agent-tamper', ['agent']),
    );
    id = filed.body.id;
    await h.signMany(id, 6, { subPrefix: 'citizen-tamper' });
    expect((await h.post('/audit/checkpoints', undefined, await h.token('admin-tamper', ['admin']))).status).toBe(200);
    keyFile = join(h.dataDir, 'audit-public-key.json');
    writeFileSync(keyFile, (await h.get('/audit/public-key')).text);
  });

  it('an intact export verifies with the CLI, offline', () => {
    const file = join(h.dataDir, 'intact.jsonl');
    return exportNow().then((text) => {
      writeFileSync(file, text);
      const run = spawnSync(process.execPath, ['scripts/built.js', 'dist/src/cli/audit-verify.js', file, '--public-key', keyFile], { encoding: 'utf8' });
      expect(run.stdout).toMatch(/verified\n$/);
      expect(run.status).toBe(0);
    });
  }, 180_000);

  it('an event altered in the SQLite file: audit:verify names that stream and revision', async () => {
    const victim = await h.history(id).then((hist) => hist.events.find((e) => e.type.startsWith('PetitionSigned.'))!);
    const db = new Database(join(h.dataDir, 'events.sqlite'));
    const original = db.prepare('SELECT data FROM events WHERE stream_id = ? AND revision = ?').pluck().get(victim.streamId, Number(victim.revision)) as string;
    db.prepare(`UPDATE events SET data = json_set(data, '$.basis', 'economic_activity') WHERE stream_id = ? AND revision = ?`).run(
      victim.streamId,
      Number(victim.revision),
    );
    try {
      const text = await exportNow();
      expect(verify(text)).toMatchObject({
        verified: false,
        failure: { streamId: victim.streamId, revision: victim.revision, reason: expect.stringMatching(/altered/) },
      });
      const file = join(h.dataDir, 'altered.jsonl');
      writeFileSync(file, text);
      const run = spawnSync(process.execPath, ['scripts/built.js', 'dist/src/cli/audit-verify.js', file, '--public-key', keyFile], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`FAIL  ${victim.streamId} revision ${victim.revision}`);
      // Rewritten with a recomputed chain hash too: the leaf no longer matches the signed tree.
      const lines = parseLines(text);
      const line = lines.find((l) => l.kind === 'event' && l.streamId === victim.streamId) as Extract<ExportLine, { kind: 'event' }>;
      const { chainHash } = await import('../../src/domain/shared/event-chain');
      line.metadata.chain!.hash = chainHash(null, line.streamId, BigInt(line.revision), line);
      expect(verifyAuditExport(lines, parsePublicKey(JSON.parse(readFileSync(keyFile, 'utf8')).publicKey)!)).toMatchObject({
        verified: false,
        failure: { streamId: victim.streamId, revision: victim.revision, reason: expect.stringMatching(/not leaf/) },
      });
    } finally {
      db.prepare('UPDATE events SET data = ? WHERE stream_id = ? AND revision = ?').run(original, victim.streamId, Number(victim.revision));
      db.close();
    }
    expect(verify(await exportNow())).toMatchObject({ verified: true });
  }, 180_000);

  it('a deleted signature stream is detected and named', async () => {
    const hist = await h.history(id);
    const victim = hist.events.filter((e) => e.type.startsWith('PetitionSigned.'))[3];
    const db = new Database(join(h.dataDir, 'events.sqlite'));
    db.prepare('DELETE FROM events WHERE stream_id = ?').run(victim.streamId);
    db.close();
    const text = await exportNow();
    expect(text).toContain('"kind":"missing"');
    expect(verify(text)).toMatchObject({ verified: false, failure: { streamId: victim.streamId, revision: '0', reason: expect.stringMatching(/deleted/) } });
  });
});

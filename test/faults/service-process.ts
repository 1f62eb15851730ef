/**
 * The built service (`node dist/src/main.js`) as a real child process on the embedded store in a
 * temporary DATA_DIR, spoken to over loopback HTTP. Nothing is mocked: the faults are real signals.
 */
import Database from 'better-sqlite3';
import { ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Role } from '../../src/domain/shared/actor';
import { signDevToken } from '../../src/infrastructure/auth/jwt-verifier';

export const ROOT = resolve(__dirname, '../..');
const MAIN = join(ROOT, 'dist/src/main.js');

if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm run test:faults builds it first (npm run build)`);

export interface Secrets {
  JWT_SECRET: string;
  SIGNER_HASH_KEY: string;
  /** As on the production stack: all four secrets given, so the process writes none to DATA_DIR. */
  VAULT_MASTER_KEY: string;
  AUDIT_SIGNING_KEY: string;
}

export function newSecrets(): Secrets {
  return {
    JWT_SECRET: randomBytes(48).toString('base64'),
    SIGNER_HASH_KEY: randomBytes(48).toString('base64'),
    VAULT_MASTER_KEY: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'petitions-faults-'));
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  exited: Promise<Exit>;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

/** Starts the service and resolves once it listens (its port is chosen by the system). */
export async function startService(
  dataDir: string,
  secrets: Secrets,
  { role = 'all', env = {}, timeoutMs = 60_000 }: { role?: string | null; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ServiceProcess> {
  // Crash safety under load, not throttling (which has tests of its own): rate limits off.
  // role null: as `npm start` runs it (API processes and a projector process under a supervisor).
  const child = spawn(process.execPath, role === null ? [MAIN] : [MAIN, '--role', role], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...secrets, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', RATE_LIMITS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  // 'close': after the process exited and its output was read to the end.
  const exited = new Promise<Exit>((done) => child.on('close', (code: number | null, signal: NodeJS.Signals | null) => done({ code, signal })));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`The service did not listen within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const look = () => {
      const m = /Listening on (http:\/\/[\w.:[\]-]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', look);
        done(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout.on('data', look);
    void exited.then((e) => fail(new Error(`The service exited (${e.code ?? e.signal}) before listening:\n${output}`)));
  });
  return { url, pid: child.pid!, child, exited, output: () => output, kill: (signal) => child.kill(signal) };
}

export interface Answer {
  status: number;
  body: any;
}

/** One HTTP request; a connection that fails (refused, reset) resolves to status 0. */
export async function call(base: string, method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed };
  } catch (e) {
    if (process.env.FAULTS_DEBUG) console.error(e);
    return { status: 0, body: null };
  }
}

/** A token; with a `cin`, the identity provider also attests a name and an address, as online signing needs. */
export const token = (secrets: Secrets, sub: string, roles: Role[], extra: { council?: string; cin?: string } = {}) =>
  signDevToken(secrets.JWT_SECRET, {
    sub,
    roles,
    ...extra,
    ...(extra.cin ? { name: `Citoyen ${sub}`, address: `Quartier ${sub}, Tan-Tan` } : {}),
  });

export const identityNumber = (i: number, prefix = 'AB') => `${prefix}${100000 + i}`;

export function petitionBody(councilId = 'commune-tan-tan') {
  return {
    councilId,
    petitionerType: 'citizens',
    title: 'Éclairage public du quartier El Wahda',
    subject: "Installer l'éclairage public dans les rues du quartier El Wahda, restées sans lumière depuis 2024.",
    requests: 'Inscrire au budget 2027 la pose de quarante lampadaires solaires.',
    reasons: 'La sécurité des habitants, des élèves et des commerçants le soir.',
  };
}

export async function filePetition(base: string, secrets: Secrets): Promise<string> {
  const res = await call(base, 'POST', '/petitions', petitionBody(), await token(secrets, 'agent-amina', ['agent']));
  if (res.status !== 201) throw new Error(`Filing answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** Citizen `i` signs online as the identity their token attests. */
export async function sign(base: string, secrets: Secrets, petitionId: string, i: number, prefix = 'AB'): Promise<Answer> {
  const id = identityNumber(i, prefix);
  const t = await token(secrets, `citizen-${prefix}-${i}`, ['citizen'], { cin: id });
  return call(base, 'POST', `/petitions/${petitionId}/signatures`, { identityNumber: id, basis: 'residence', electoralListRegistered: true }, t);
}

/** Asks until `condition` holds or the deadline passes (then throws); never a fixed sleep. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Waited ${timeoutMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface LoggedSignature {
  signatureId: string;
  signerHash: string;
  position: bigint;
}

/** The PetitionSigned events of a petition, read from the log file itself (WAL: safe beside a running service). */
export function signedInLog(dataDir: string, petitionId: string): LoggedSignature[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db
      .prepare("SELECT position, data FROM events WHERE type LIKE 'PetitionSigned.%' AND stream_id LIKE ? ORDER BY position")
      .safeIntegers(true)
      .all(`signature-${petitionId}-%`) as { position: bigint; data: string }[];
    return rows.map((r) => {
      const d = JSON.parse(r.data) as { signatureId: string; signerHash: string };
      return { signatureId: d.signatureId, signerHash: d.signerHash, position: r.position };
    });
  } finally {
    db.close();
  }
}

export function headOfLog(dataDir: string): bigint {
  const db = new Database(join(dataDir, 'events.sqlite'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare('SELECT coalesce(max(position), 0) FROM events').pluck().safeIntegers(true).get() as bigint;
  } finally {
    db.close();
  }
}

/** Every signature of the petition in the public read model (all pages). */
export async function signaturesInReadModel(base: string, petitionId: string): Promise<{ id: string; status: string }[]> {
  const items: { id: string; status: string }[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(base, 'GET', `/petitions/${petitionId}/signatures?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    if (res.status !== 200) throw new Error(`GET signatures answered ${res.status}: ${JSON.stringify(res.body)}`);
    items.push(...(res.body.items as { id: string; status: string }[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return items;
}

/** Waits until every read model has projected the log's head. */
export async function projectedToHead(base: string, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    async () => {
      const res = await call(base, 'GET', '/projections');
      if (res.status !== 200) return false;
      const list = (res.body.projections ?? res.body) as { lag: string }[];
      return Array.isArray(list) && list.length > 0 && list.every((p) => p.lag === '0');
    },
    'the read models to reach the head',
    timeoutMs,
  );
}

/** A compiled CLI of the service (npm run backup / restore), as a child process (the test's own load keeps running). */
export function runCli(
  script: 'backup' | 'restore',
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, `dist/src/cli/${script}.js`), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

/** The projections' checkpoints as committed in the read-model file (name → position). */
export function checkpointsOnDisk(dataDir: string): Map<string, bigint> {
  const db = new Database(join(dataDir, 'read-models.sqlite'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db.prepare('SELECT name, position FROM checkpoints').safeIntegers(true).all() as { name: string; position: bigint }[];
    return new Map(rows.map((r) => [r.name, r.position]));
  } finally {
    db.close();
  }
}

/**
 * Signs with `workers` concurrent clients, each taking the next signer index, until `stop()` says
 * so. Returns every answer by signer index.
 */
export function signingLoad(base: string, secrets: Secrets, petitionId: string, workers: number, prefix = 'AB') {
  const answers = new Map<number, Answer>();
  let next = 0;
  let stopped = false;
  const done = Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stopped) {
        const i = next++;
        answers.set(i, await sign(base, secrets, petitionId, i, prefix));
      }
    }),
  );
  return {
    answers,
    acknowledged: () => [...answers.values()].filter((a) => a.status === 201).length,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}

/** The events of a petition's lifecycle stream, from the log file (type without its version, data). */
export function lifecycleInLog(dataDir: string, petitionId: string): { type: string; data: any }[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db.prepare('SELECT type, data FROM events WHERE stream_id = ? ORDER BY revision').all(`petition-${petitionId}`) as {
      type: string;
      data: string;
    }[];
    return rows.map((r) => ({ type: r.type.replace(/\.v\d+$/, ''), data: JSON.parse(r.data) }));
  } finally {
    db.close();
  }
}

'use strict';
/**
 * Shared helpers for the benchmark: the compiled service (dist/), temp data directories,
 * statistics, the service as a child process, and a keep-alive HTTP client for loopback.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { spawn, fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist', 'src');

/** A module of the compiled service (run `npm run build` first; `npm run bench` does). */
function dist(relative) {
  const file = path.join(DIST, relative);
  if (!fs.existsSync(`${file}.js`)) throw new Error(`${file}.js not found: run npm run build first`);
  return require(file);
}

/** Fixed secrets for one benchmark run: the bench signs tokens and computes signer hashes with them. */
function benchSecrets() {
  return {
    jwtSecret: process.env.BENCH_JWT_SECRET || `bench-jwt-${randomBytes(24).toString('hex')}`,
    signerKey: process.env.BENCH_SIGNER_KEY || `bench-signer-${randomBytes(24).toString('hex')}`,
  };
}

function makeTmp(label) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `petitions-bench-${label}-`));
}

function rmTmp(dir) {
  if (dir && dir.startsWith(os.tmpdir())) fs.rmSync(dir, { recursive: true, force: true });
}

function dirSizeMb(dir) {
  let total = 0;
  for (const name of fs.readdirSync(dir)) {
    const st = fs.statSync(path.join(dir, name));
    if (st.isFile()) total += st.size;
  }
  return total / 1048576;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

function latencyStats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (x, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : 0);

/** Seeded PRNG (mulberry32): the same data set every run. */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  next.pick = (arr) => arr[Math.floor(next() * arr.length)];
  return next;
}

/** A CNIE-shaped identity number, unique per counter value: two letters then 8 digits. */
function identityNumber(prefixIndex, counter) {
  const a = String.fromCharCode(65 + (Math.floor(prefixIndex / 26) % 26));
  const b = String.fromCharCode(65 + (prefixIndex % 26));
  return `${a}${b}${String(counter).padStart(8, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// The service as a child process

const ANSI = /\x1b\[[0-9;]*m/g;

/** Services started by this process: killed if it exits or is told to stop before stopping them. */
const running = new Set();
let cleanupInstalled = false;
function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = () => {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      killAll();
      process.exit(1);
    });
  }
}

/**
 * Starts `node dist/src/main.js` (role all: API + projector, embedded SQLite) on a free loopback
 * port with DATA_DIR = dataDir. Resolves once it logs "Listening on" (within listenTimeoutMs).
 */
function startServer(dataDir, secrets, extraEnv = {}, { listenTimeoutMs = 60_000 } = {}) {
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    JWT_SECRET: secrets.jwtSecret,
    SIGNER_HASH_KEY: secrets.signerKey,
    NO_COLOR: '1',
    // The benchmark is one client on one address measuring throughput: rate limits would measure themselves.
    RATE_LIMITS: 'off',
    ...extraEnv,
  };
  delete env.EVENTSTORE_URL;
  delete env.MONGODB_URL;
  const args = [...(process.env.BENCH_SERVER_NODE_ARGS ? process.env.BENCH_SERVER_NODE_ARGS.split(' ').filter(Boolean) : []), path.join(DIST, 'main.js')];
  const spawnedAt = Date.now();
  installCleanup();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start within ${listenTimeoutMs / 1000} s:\n${output.slice(-2000)}`));
    }, listenTimeoutMs);
    const onData = (chunk) => {
      output += chunk.toString().replace(ANSI, '');
      if (output.length > 100_000) output = output.slice(-50_000);
      const m = /Listening on https?:\/\/[^\s:]+:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout.removeListener('data', onData);
        child.stdout.on('data', (c) => (output = (output + c.toString().replace(ANSI, '')).slice(-50_000)));
        const port = Number(m[1]);
        resolve({
          child,
          port,
          pid: child.pid,
          spawnedAt,
          log: () => output,
          stop: () => stopChild(child),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => (output += c.toString().replace(ANSI, '')));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before listening:\n${output.slice(-2000)}`));
    });
  });
}

/** SIGTERM (graceful: Nest shutdown hooks close the stores), SIGKILL after 15 s. */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Forks a bench script (IPC); resolves with the `result` it sends ({ ok, result | error }).
 * `timeoutMs` bounds it: the child is killed past that.
 */
function forkResult(file, arg, { env = {}, execArgv = [], timeoutMs = 600_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(file, [JSON.stringify(arg ?? {})], { env: { ...process.env, ...env }, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let message = null;
    const timer = setTimeout(() => {
      // SIGTERM first: a phase then kills the service it started; SIGKILL if it does not exit.
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      reject(new Error(`${path.basename(file)} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (m) => (message = m));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (message && message.ok) resolve(message.result);
      else reject(new Error(message && message.error ? message.error : `${path.basename(file)} exited with ${code ?? signal}`));
    });
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function processCpuSeconds(pid) {
  // The process and everything under it (npm start's API and projector processes): user + system
  // time of the living ones, plus what their reaped children used (cutime, cstime).
  const stats = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      stats.set(Number(entry), stat.slice(stat.lastIndexOf(')') + 2).split(' '));
    } catch {
      /* gone meanwhile */
    }
  }
  if (!stats.has(pid)) return NaN;
  let total = 0;
  const visit = (p) => {
    const fields = stats.get(p);
    total += Number(fields[11]) + Number(fields[12]) + (p === pid ? Number(fields[13]) + Number(fields[14]) : 0);
    for (const [child, f] of stats) if (Number(f[1]) === p) visit(child);
  };
  visit(pid);
  return total / 100;
}

/** Peak resident set of a process so far (VmHWM, MiB), from /proc (Linux); NaN elsewhere. */
function processPeakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** 1-minute load average: other work on the machine skews every figure. */
function loadAverage() {
  return os.loadavg()[0];
}

// ---------------------------------------------------------------------------------------------
// HTTP on loopback

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request; resolves with status, parsed body and the round-trip time in ms (rejects past timeoutMs). */
function request(port, method, urlPath, { body, headers = {}, timeoutMs = 30_000 } = {}) {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, body: json, text, ms, headers: res.headers });
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${urlPath}: no answer in ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function expectOk(promise, what) {
  const res = await promise;
  if (res.status < 200 || res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 500)}`);
  return res;
}

/** Waits until every projection has applied the event store's head (GET /projections). */
async function waitForProjections(port, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request(port, 'GET', '/projections');
    if (res.status === 200 && res.body.projections.length > 0 && res.body.projections.every((p) => p.lag === '0')) return res.body;
    if (Date.now() > deadline) throw new Error(`projections not caught up after ${timeoutMs} ms: ${res.text.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function closeAgent() {
  agent.destroy();
}

/** Runs a phase module's `run(options)` when the file is executed as a forked child. */
function phaseMain(mod, run) {
  if (require.main !== mod) return;
  const options = JSON.parse(process.argv[2] || '{}');
  run(options)
    .then((result) => {
      closeAgent();
      if (process.send) process.send({ ok: true, result }, () => process.exit(0));
      else {
        console.log(JSON.stringify(result, null, 2));
        process.exit(0);
      }
    })
    .catch((error) => {
      closeAgent();
      const message = error && error.stack ? error.stack : String(error);
      if (process.send) process.send({ ok: false, error: message }, () => process.exit(1));
      else {
        console.error(message);
        process.exit(1);
      }
    });
}

function log(...args) {
  if (!process.env.BENCH_SILENT) console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...args);
}

module.exports = {
  ROOT,
  DIST,
  dist,
  benchSecrets,
  makeTmp,
  rmTmp,
  dirSizeMb,
  percentile,
  latencyStats,
  median,
  round,
  rng,
  identityNumber,
  startServer,
  stopChild,
  processCpuSeconds,
  processPeakRssMb,
  loadAverage,
  forkResult,
  request,
  expectOk,
  waitForProjections,
  closeAgent,
  phaseMain,
  log,
};

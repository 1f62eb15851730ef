#!/usr/bin/env node
'use strict';
/**
 * npm run bench [-- --quick] [-- --only append,query]
 *
 * Runs each phase in its own child process, in a fresh temp DATA_DIR, prints a table
 * (metric, value, target, met?) and writes bench/results.json with exactly the keys of the
 * issue (numbers only) plus bench/diagnostics.json (everything else measured: machine, load,
 * per-run figures, latency distributions, server CPU per request).
 * Targets are goals for the code, not assertions: a missed target does not fail the run; a
 * phase that cannot run does (exit 1), so CI notices when the benchmark rots.
 * The benchmark's peers (Emmett, node-sqlite3: bench/peers) are installed on first use, before
 * any timing starts. Phases that read the same generated history (rebuild, cold_start) share it
 * through a temp directory of the run (lib/shared-history.js), deleted at the end.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { benchSecrets, forkResult, loadAverage, log, makeTmp, rmTmp } = require('./lib/common');
const { ensurePeers, peerRequire, peerVersion } = require('./lib/peers');

const QUICK = {
  append: { count: 5000, streams: 1000, repeats: 1, publicCount: 500 },
  http_sign: { connections: 32, warmSeconds: 2, noopSeconds: 4, signSeconds: 8 },
  large_petition: { signatures: 5000, samples: 200, warm: 150 },
  rebuild: { events: 100_000, petitions: 2000, replayRepeats: 3 },
  cold_start: { events: 100_000, petitions: 2000, repeats: 2, readyTimeoutMs: 300_000 },
  query: { petitions: 2000, events: 40_000, samples: 250, warm: 30 },
  merkle: { count: 2000, streams: 500, followEvery: 500, repeats: 2, treeSize: 100_000, samples: 200 },
};
const FULL = {
  append: { count: 20_000, streams: 1000, repeats: 3, publicCount: 2000 },
  http_sign: { connections: 32, warmSeconds: 5, noopSeconds: 20, signSeconds: 30 },
  large_petition: { signatures: 100_000, samples: 1000, warm: 250 },
  rebuild: { events: 1_000_000, petitions: 10_000, replayRepeats: 3 },
  cold_start: { events: 1_000_000, petitions: 10_000, repeats: 3, readyTimeoutMs: 1_200_000 },
  query: { petitions: 10_000, events: 200_000, samples: 1500, warm: 100 },
  merkle: { count: 20_000, streams: 1000, followEvery: 1000, repeats: 3, treeSize: 1_000_000, samples: 1000 },
};

/**
 * `peers`: needs bench/peers installed (lib/peers.js). `from`: the figures come from another phase's
 * run (its `sections`), so asking for either runs that one.
 */
const PHASES = {
  append: { file: 'append.js', peers: true, keys: ['project_per_s', 'raw_sqlite_per_s', 'emmett_sqlite_per_s', 'ratio_vs_raw', 'ratio_vs_emmett'] },
  http_sign: { file: 'http-sign.js', keys: ['sign_rps', 'p50_ms', 'p99_ms', 'noop_rps', 'ratio'] },
  large_petition: { file: 'large-petition.js', keys: ['signatures', 'empty_p50_ms', 'large_p50_ms', 'ratio'] },
  replay_baseline: { from: 'rebuild', keys: ['events', 'events_per_s'] },
  rebuild: { file: 'rebuild.js', keys: ['events', 'events_per_s', 'peak_rss_mb', 'ratio_vs_replay'] },
  cold_start: { file: 'cold-start.js', keys: ['events', 'empty_ms', 'large_ms', 'ratio'] },
  query: { file: 'query.js', keys: ['petitions', 'list_p99_ms'] },
  merkle: { file: 'merkle.js', keys: ['append_off_per_s', 'append_on_per_s', 'ratio_on_off', 'tree_size', 'proof_p50_ms', 'proof_p99_ms'] },
};

/** Goals from the issue; the sizes are required of the full run only. */
function targets(quick) {
  const t = {
    'append.ratio_vs_raw': ['>=', 0.5],
    'append.ratio_vs_emmett': ['>=', 1.0],
    'http_sign.ratio': ['>=', 0.4],
    'large_petition.ratio': ['<=', 1.5],
    'rebuild.events_per_s': ['>=', 50_000],
    'rebuild.peak_rss_mb': ['<=', 300],
    'rebuild.ratio_vs_replay': ['>=', 0.35],
    'cold_start.ratio': ['<=', 3],
    'query.list_p99_ms': ['<=', 20],
    'merkle.ratio_on_off': ['>=', 0.9],
  };
  if (!quick) {
    t['large_petition.signatures'] = ['>=', 100_000];
    t['rebuild.events'] = ['>=', 1_000_000];
    t['cold_start.events'] = ['>=', 1_000_000];
    t['query.petitions'] = ['>=', 10_000];
    t['merkle.tree_size'] = ['>=', 1_000_000];
  }
  return t;
}

function parseArgs(argv) {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only'));
  let only = null;
  if (onlyArg) {
    const value = onlyArg.includes('=') ? onlyArg.split('=')[1] : argv[argv.indexOf(onlyArg) + 1];
    only = (value || '').split(',').filter(Boolean);
    const unknown = only.filter((p) => !PHASES[p]);
    if (unknown.length) throw new Error(`unknown phase(s) ${unknown.join(', ')}; phases: ${Object.keys(PHASES).join(', ')}`);
  }
  return { quick, only };
}

function sqliteVersions() {
  const versions = {};
  try {
    const Database = require('better-sqlite3');
    const db = new Database(':memory:');
    versions.better_sqlite3 = `${packageVersion('better-sqlite3')} (SQLite ${db.prepare('select sqlite_version() v').get().v})`;
    db.close();
  } catch (e) {
    versions.better_sqlite3 = String(e.message);
  }
  try {
    versions.sqlite3 = `${peerVersion('sqlite3')} (SQLite ${peerRequire('sqlite3').VERSION})`;
  } catch (e) {
    versions.sqlite3 = String(e.message);
  }
  return versions;
}

function packageVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu_model: cpus[0] && cpus[0].model,
    memory_gb: Math.round(os.totalmem() / 1073741824),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    tmpdir: os.tmpdir(),
    ...sqliteVersions(),
    autocannon: packageVersion('autocannon'),
    emmett_sqlite: peerVersion('@event-driven-io/emmett-sqlite'),
  };
}

const fmt = (x) => {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en');
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
};

/** Rounds for results.json: integers for counts and rates, 3 decimals otherwise. */
const tidy = (x) => (Math.abs(x) >= 1000 ? Math.round(x) : Math.round(x * 1000) / 1000);

function printTable(results, goals) {
  const rows = [['metric', 'value', 'target', 'met?']];
  for (const [phase, { keys }] of Object.entries(PHASES)) {
    if (!results[phase]) continue;
    for (const key of keys) {
      const name = `${phase}.${key}`;
      const value = results[phase][key];
      const goal = goals[name];
      const met = goal ? (goal[0] === '>=' ? value >= goal[1] : value <= goal[1]) : null;
      rows.push([name, fmt(value), goal ? `${goal[0] === '>=' ? '≥' : '≤'} ${fmt(goal[1])}` : '', met === null ? '' : met ? 'yes' : 'NO']);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log('');
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
  console.log('');
}

/** The phases to run: those asked for (all by default), a `from` phase standing for its source. */
function selectedPhases(only) {
  const wanted = new Set(only ?? Object.keys(PHASES));
  for (const name of [...wanted]) if (PHASES[name].from) wanted.add(PHASES[name].from);
  return Object.keys(PHASES).filter((name) => wanted.has(name) && PHASES[name].file);
}

/** A phase's figures, checked: every key a finite number. */
function figures(phase, keys, metrics) {
  const out = {};
  for (const key of keys) {
    const value = metrics && metrics[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${phase}.${key} is not a finite number: ${value}`);
    out[key] = tidy(value);
  }
  return out;
}

async function main() {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const settings = quick ? QUICK : FULL;
  const started = Date.now();
  const collected = {};
  const toRun = selectedPhases(only);
  // Installed on first use (and when their lockfile changes), before any timing starts.
  const peers = toRun.some((p) => PHASES[p].peers) ? ensurePeers(log) : null;
  const diagnostics = { mode: quick ? 'quick' : 'full', machine: machine(), settings, peers_install: peers, load_average_1m_start: loadAverage(), phases: {} };
  log(
    `benchmark (${quick ? 'quick' : 'full'}) on ${diagnostics.machine.cpus} × ${diagnostics.machine.cpu_model}, Node ${process.version}; 1-min load average ${loadAverage().toFixed(2)}`,
  );
  // One set of secrets for the run, so phases can share a generated history (lib/shared-history.js).
  const secrets = benchSecrets();
  process.env.BENCH_JWT_SECRET = secrets.jwtSecret;
  process.env.BENCH_SIGNER_KEY = secrets.signerKey;
  const shared = makeTmp('shared');
  process.env.BENCH_SHARED_DIR = shared;
  try {
    for (const phase of toRun) {
      const spec = PHASES[phase];
      const t0 = Date.now();
      log(`— ${phase} ${JSON.stringify(settings[phase])}`);
      const out = await forkResult(path.join(__dirname, 'phases', spec.file), settings[phase], { timeoutMs: 2_400_000 });
      collected[phase] = figures(phase, spec.keys, out.metrics);
      diagnostics.phases[phase] = { seconds: (Date.now() - t0) / 1000, load_average_1m_after: loadAverage(), ...out.diagnostics };
      for (const [name, other] of Object.entries(PHASES)) {
        if (other.from !== phase) continue;
        const section = out.sections && out.sections[name];
        if (!section) throw new Error(`${phase} did not report ${name}`);
        collected[name] = figures(name, other.keys, section.metrics);
        diagnostics.phases[name] = { measured_in: phase, ...section.diagnostics };
      }
      log(`  ${phase} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    rmTmp(shared);
  }
  // results.json in the order of PHASES, whatever order they ran in.
  const results = {};
  for (const name of Object.keys(PHASES)) if (collected[name]) results[name] = collected[name];
  const seconds = (Date.now() - started) / 1000;
  diagnostics.total_seconds = seconds;
  diagnostics.load_average_1m_end = loadAverage();
  printTable(results, targets(quick));
  if (!only) {
    fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    fs.writeFileSync(path.join(__dirname, 'diagnostics.json'), JSON.stringify(diagnostics, null, 2) + '\n');
    console.log(`Wrote bench/results.json and bench/diagnostics.json (${quick ? 'quick' : 'full'} run, ${seconds.toFixed(0)} s).`);
  } else {
    console.log(`Partial run (--only ${only.join(',')}): bench/results.json left as it was (${seconds.toFixed(0)} s).`);
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});

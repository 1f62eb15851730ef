'use strict';
/**
 * The benchmark's peers: libraries it measures the event log against (Emmett's SQLite event store
 * and its driver, node-sqlite3, which compiles from source for about two minutes). They are not
 * dependencies of the service, so `npm ci` / `npm install` at the root never installs them; they
 * live in bench/peers/ with a package.json and a committed package-lock.json of their own, and
 * `npm run bench` installs them there (`npm ci --prefix bench/peers`) the first time a phase that
 * needs them runs, or again when the lockfile or the Node ABI changed since.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { createRequire } = require('node:module');

const PEERS = path.join(__dirname, '..', 'peers');
const MODULES = path.join(PEERS, 'node_modules');
/** Written after a successful install: what it was installed from and for. */
const STAMP = path.join(MODULES, '.bench-peers-installed.json');

/** What an install must match: the lockfile's content and the Node ABI the native driver was built for. */
function wanted() {
  const lock = fs.readFileSync(path.join(PEERS, 'package-lock.json'));
  return { lock_sha256: createHash('sha256').update(lock).digest('hex'), node_abi: process.versions.modules, platform: `${process.platform}-${process.arch}` };
}

/** Why the peers need installing, or null when the installed ones match. */
function staleness() {
  if (!fs.existsSync(MODULES)) return 'not installed';
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
  } catch {
    return 'no record of a completed install';
  }
  const want = wanted();
  for (const key of Object.keys(want)) if (stamp[key] !== want[key]) return `${key} changed (${stamp[key]} → ${want[key]})`;
  return null;
}

/** The npm that runs `npm run bench` (npm_execpath), else the npm on PATH. */
function npmCommand() {
  const execpath = process.env.npm_execpath;
  if (execpath && /npm-cli\.js$/.test(execpath) && fs.existsSync(execpath)) return [process.execPath, [execpath]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
}

/**
 * Installs the peers when they are missing or stale; returns { installed, seconds, reason }.
 * Throws when npm fails (a phase that needs them cannot run without them).
 */
function ensurePeers(log = () => {}) {
  const reason = staleness();
  if (!reason) return { installed: false, seconds: 0, reason: 'up to date' };
  log(`benchmark peers (bench/peers: Emmett, node-sqlite3): ${reason}; installing with npm ci (node-sqlite3 compiles from source, about 2 minutes) …`);
  const started = Date.now();
  fs.rmSync(STAMP, { force: true });
  // Settings npm passes to the scripts it runs would point the nested npm at the project root.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(config_(local_)?prefix|package_|lifecycle_)/i.test(k)));
  const [command, prefixArgs] = npmCommand();
  const result = spawnSync(command, [...prefixArgs, 'ci', '--prefix', PEERS, '--no-audit', '--no-fund'], {
    cwd: PEERS,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.error) throw new Error(`npm ci --prefix bench/peers: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`npm ci --prefix bench/peers exited with ${result.status ?? result.signal}`);
  const seconds = (Date.now() - started) / 1000;
  // Loads, native driver included? A skipped or failed build shows here, not in the middle of a phase.
  peerRequire('sqlite3');
  peerRequire('@event-driven-io/emmett-sqlite');
  fs.writeFileSync(STAMP, JSON.stringify({ ...wanted(), installed_at: new Date().toISOString(), seconds }, null, 2) + '\n');
  log(`benchmark peers installed in ${seconds.toFixed(0)} s`);
  return { installed: true, seconds, reason };
}

const requireFromPeers = createRequire(path.join(PEERS, 'package.json'));

/** A peer, resolved from bench/peers/node_modules only (never from the project's own). */
function peerRequire(name) {
  const resolved = requireFromPeers.resolve(name);
  if (!resolved.startsWith(MODULES + path.sep))
    throw new Error(`${name} resolved to ${resolved}, outside bench/peers/node_modules: run npm ci --prefix bench/peers`);
  return requireFromPeers(name);
}

/** An installed peer's version, or 'not installed'. */
function peerVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(MODULES, name, 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

module.exports = { PEERS, ensurePeers, peerRequire, peerVersion, staleness };

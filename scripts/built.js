#!/usr/bin/env node
/**
 * Runs a compiled entry point of the service, building first only when the build is missing or
 * older than what it is built from (src/, tsconfig*.json, package.json). Usage:
 *   node scripts/built.js dist/src/cli/token.js [args…]
 * The build's output goes to stderr: stdout stays the entry point's alone (`$(npm run --silent token …)`).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync, utimesSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('Usage: node scripts/built.js <compiled entry point> [args…]');
  process.exit(2);
}

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The newest modification time under `dir` (files and directories: a deleted file touches its directory). */
function newestUnder(dir) {
  let newest = mtimeOf(dir) ?? 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : (mtimeOf(path) ?? 0));
  }
  return newest;
}

const target = resolve(root, entry);
const built = mtimeOf(target);
// A deployed image ships dist/ without src/: nothing to build from, run what is there.
const hasSources = mtimeOf(join(root, 'src')) !== undefined;
const sources = !hasSources
  ? 0
  : Math.max(newestUnder(join(root, 'src')), ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => mtimeOf(join(root, f)) ?? 0));
if (hasSources && (built === undefined || built < sources)) {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // An incremental build rewrites only what changed: mark the entry point as built now.
  const now = new Date();
  utimesSync(target, now, now);
}
// The entry point reads its own arguments (util.parseArgs takes process.argv from index 2).
process.argv = [process.argv[0], target, ...args];
require(target);

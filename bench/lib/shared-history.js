'use strict';
/**
 * Generated histories shared by the phases of one run: `rebuild` (with its replay baseline) and
 * `cold_start` read the same million-event store, so it is written once (by generate-child.js,
 * in its own process) into the run's shared directory (BENCH_SHARED_DIR, created and deleted by
 * run.js) and each phase works on a copy of its files. A phase run on its own (no
 * BENCH_SHARED_DIR) generates its own history and deletes it afterwards.
 *
 * Every history ends with `witnesses` witness petitions: citizens' petitions at commune-tan-tan,
 * each one signature short of its threshold, whose counts are known exactly (no withdrawals). A
 * signature on one must make the command side record SignatureThresholdReached with a count of
 * exactly its threshold: the proof that the command side's tally, not only the read model, counted
 * every signature of the history.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createHash } = require('node:crypto');
const { makeTmp, rmTmp, forkResult } = require('./common');

const GENERATOR = path.join(__dirname, '..', 'phases', 'generate-child.js');

/**
 * The history for these settings: { dir, info, shared }. `dir` holds events.sqlite and is not to
 * be written to (copy it with copyHistory); when `shared` is false the caller owns it (releaseHistory).
 */
async function obtainHistory({ events, petitions, seed = 7, witnesses = 3, signerKey }) {
  const base = process.env.BENCH_SHARED_DIR && fs.existsSync(process.env.BENCH_SHARED_DIR) ? process.env.BENCH_SHARED_DIR : null;
  const key = `history-${events}-${petitions}-${seed}-${witnesses}`;
  const dir = base ? path.join(base, key) : makeTmp(key);
  const infoFile = `${dir}.json`;
  if (base && fs.existsSync(infoFile)) {
    const info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
    if (info.signerKeyDigest !== digest(signerKey)) throw new Error(`shared history ${key} was written with another SIGNER_HASH_KEY`);
    return { dir, info: { ...info, reused: true }, shared: true };
  }
  fs.mkdirSync(dir, { recursive: true });
  const generated = await forkResult(GENERATOR, { dir, petitions, events, seed, signerKey, witnesses }, { timeoutMs: 1_800_000 });
  const info = { ...generated, signerKeyDigest: digest(signerKey), reused: false };
  if (base) fs.writeFileSync(infoFile, JSON.stringify(info));
  return { dir, info, shared: Boolean(base) };
}

const digest = (key) => createHash('sha256').update(String(key)).digest('hex');

function releaseHistory(history) {
  if (history && !history.shared) rmTmp(history.dir);
}

/** A fresh DATA_DIR (under os.tmpdir()) holding a copy of the history's event log. */
function copyHistory(history, label) {
  const target = makeTmp(label);
  for (const name of fs.readdirSync(history.dir)) {
    if (!name.startsWith('events.sqlite')) continue;
    fs.copyFileSync(path.join(history.dir, name), path.join(target, name), fs.constants.COPYFILE_FICLONE);
  }
  return target;
}

module.exports = { obtainHistory, releaseHistory, copyHistory };

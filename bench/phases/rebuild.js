'use strict';
/**
 * rebuild: a fresh DATA_DIR gets a realistic history of `events` events over `petitions`
 * petitions (bench/lib/dataset.js, through the service's command side), then a child process
 * rebuilds every projection of allProjections() from zero, one after another, exactly as
 * `npm run projections:rebuild` does (bench/phases/rebuild-child.js).
 *   events_per_s = events in the store / wall time of the whole rebuild (all four projections);
 *   peak_rss_mb  = the child's process.resourceUsage().maxRSS. The history is written by another
 *                  child first, so this process stays small when it forks the measured one (a
 *                  child's maxRSS starts from its parent's resident set at fork time on Linux).
 */
const path = require('node:path');
const { benchSecrets, makeTmp, rmTmp, dirSizeMb, forkResult, loadAverage, log, phaseMain } = require('../lib/common');

async function run({ events = 100_000, petitions = 2000, seed = 7 }) {
  const secrets = benchSecrets();
  const dir = makeTmp('rebuild');
  try {
    const generated = await forkResult(
      path.join(__dirname, 'generate-child.js'),
      { dir, petitions, events, seed, signerKey: secrets.signerKey },
      { timeoutMs: 1_200_000 },
    );
    log(
      `rebuild: history of ${generated.events.toLocaleString('en')} events over ${generated.petitions.toLocaleString('en')} petitions written in ${generated.seconds.toFixed(1)} s`,
    );
    const load0 = loadAverage();
    // The same Node flags as `npm run projections:rebuild` (see package.json).
    const child = await forkResult(
      path.join(__dirname, 'rebuild-child.js'),
      {},
      {
        env: { DATA_DIR: dir, JWT_SECRET: secrets.jwtSecret, SIGNER_HASH_KEY: secrets.signerKey },
        execArgv: ['--max-old-space-size=256'],
        timeoutMs: 1_200_000,
      },
    );
    const seconds = child.elapsed_ms / 1000;
    for (const p of child.projections)
      log(`  ${p.name.padEnd(18)} ${Math.round(p.events_per_s).toLocaleString('en').padStart(9)} events/s  (${(p.ms / 1000).toFixed(1)} s)`);
    return {
      metrics: {
        events: child.head,
        events_per_s: child.head / seconds,
        peak_rss_mb: child.max_rss_kb / 1024,
      },
      diagnostics: {
        petitions: generated.petitions,
        fates: generated.fates,
        generate_seconds: generated.seconds,
        rebuild_seconds: seconds,
        rebuild_cpu_seconds: child.cpu_s,
        per_projection: child.projections,
        sampled_peak_memory: child.sampled_peak,
        vm_hwm_mb: child.vm_hwm_mb,
        data_dir_mb: dirSizeMb(dir),
        load_average_1m_before: load0,
      },
    };
  } finally {
    rmTmp(dir);
  }
}

module.exports = { run };
phaseMain(module, run);

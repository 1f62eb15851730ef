'use strict';
/**
 * rebuild: a realistic history of `events` events over `petitions` petitions (bench/lib/dataset.js,
 * through the service's command side; shared with cold_start, bench/lib/shared-history.js), copied
 * into a fresh DATA_DIR. On that copy, first the replay limit, then the rebuild:
 *   replay_baseline — a child process reads every event in position order and parses it with
 *                  better-sqlite3 directly (bench/phases/replay-child.js): events_per_s, the
 *                  median of `replayRepeats` runs of the faster of its two ways of reading;
 *   rebuild      — a child process rebuilds every projection of allProjections() from zero,
 *                  exactly as `npm run projections:rebuild` does (bench/phases/rebuild-child.js).
 *   events_per_s = events in the store / wall time of the whole rebuild (all four projections);
 *   ratio_vs_replay = rebuild events_per_s / replay_baseline events_per_s;
 *   peak_rss_mb  = the child's process.resourceUsage().maxRSS. The history is written by another
 *                  child first, so this process stays small when it forks the measured one (a
 *                  child's maxRSS starts from its parent's resident set at fork time on Linux).
 */
const path = require('node:path');
const { benchSecrets, rmTmp, dirSizeMb, forkResult, loadAverage, log, phaseMain } = require('../lib/common');
const { obtainHistory, releaseHistory, copyHistory } = require('../lib/shared-history');

async function run({ events = 100_000, petitions = 2000, seed = 7, replayRepeats = 3 }) {
  const secrets = benchSecrets();
  const history = await obtainHistory({ events, petitions, seed, signerKey: secrets.signerKey });
  const generated = history.info;
  log(
    `rebuild: history of ${generated.events.toLocaleString('en')} events over ${generated.petitions.toLocaleString('en')} petitions ${generated.reused ? 'reused from this run' : 'written'} (${generated.seconds.toFixed(1)} s to write)`,
  );
  const copyStarted = Date.now();
  const dir = copyHistory(history, 'rebuild');
  const copySeconds = (Date.now() - copyStarted) / 1000;
  try {
    const replay = await forkResult(path.join(__dirname, 'replay-child.js'), { dir, repeats: replayRepeats }, { timeoutMs: 1_200_000 });
    log(
      `  replay baseline: ${Math.round(replay.events_per_s).toLocaleString('en')} events/s (${replay.mode}; iterate ${replay.runs.iterate.map((r) => Math.round(r)).join(', ')}; keyset ${replay.runs.keyset.map((r) => Math.round(r)).join(', ')})`,
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
    if (replay.events !== child.head) throw new Error(`the replay read ${replay.events} events, the rebuild's store has ${child.head}`);
    const eventsPerS = child.head / seconds;
    return {
      metrics: {
        events: child.head,
        events_per_s: eventsPerS,
        peak_rss_mb: child.max_rss_kb / 1024,
        ratio_vs_replay: eventsPerS / replay.events_per_s,
      },
      diagnostics: {
        petitions: generated.petitions,
        fates: generated.fates,
        generate_seconds: generated.seconds,
        history_reused: generated.reused,
        copy_seconds: copySeconds,
        rebuild_seconds: seconds,
        rebuild_cpu_seconds: child.cpu_s,
        per_projection: child.projections,
        sampled_peak_memory: child.sampled_peak,
        vm_hwm_mb: child.vm_hwm_mb,
        data_dir_mb: dirSizeMb(dir),
        load_average_1m_before: load0,
      },
      // A key of its own in results.json (run.js): the limit the rebuild is compared with.
      sections: {
        replay_baseline: {
          metrics: { events: replay.events, events_per_s: replay.events_per_s },
          diagnostics: { mode: replay.mode, runs_events_per_s: replay.runs, keyset_batch: replay.batch, peak_rss_mb: replay.max_rss_kb / 1024 },
        },
      },
    };
  } finally {
    rmTmp(dir);
    releaseHistory(history);
  }
}

module.exports = { run };
phaseMain(module, run);

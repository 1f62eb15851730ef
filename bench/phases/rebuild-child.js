'use strict';
/**
 * Runs in its own process (forked by rebuild.js): what `npm run projections:rebuild` does —
 * openStores(loadConfig()) on DATA_DIR, then rebuildProjections over allProjections() in one
 * pass, from zero — and reports the wall time and the peak RSS of this
 * process (process.resourceUsage().maxRSS, KiB). The only difference from the CLI: the
 * 2-second pause before dropping the old generation (kept for queries in flight) is 0 here.
 *
 * argv[2]: JSON { projections?: string[] } (names; all when absent).
 */
const { dist } = require('../lib/common');

/** This process's own peak resident set (VmHWM), which, unlike maxRSS, starts afresh at exec. */
function vmHwmMb() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function main() {
  const options = JSON.parse(process.argv[2] || '{}');
  const { loadConfig } = dist('config/app-config');
  const { loadRulebook } = dist('infrastructure/rulebook/rulebook.loader');
  const { openStores } = dist('infrastructure/stores');
  const { allProjections } = dist('projections/index');
  const { rebuildProjections } = dist('projections/rebuild');

  const config = loadConfig();
  const all = allProjections(loadRulebook());
  const projections = options.projections ? all.filter((p) => options.projections.includes(p.name)) : all;
  const stores = await openStores(config);
  const head = await stores.eventStore.headPosition();
  const per = [];
  // Where the peak resident set happens, and what it is made of (JS heap or native memory).
  let current = 'open';
  let peak = { rss_mb: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss / 1048576 > peak.rss_mb) {
      peak = {
        rss_mb: m.rss / 1048576,
        heap_used_mb: m.heapUsed / 1048576,
        heap_total_mb: m.heapTotal / 1048576,
        external_mb: m.external / 1048576,
        during: current,
      };
    }
  };
  const sampler = setInterval(sample, 20);
  const cpu0 = process.cpuUsage();
  const started = process.hrtime.bigint();
  try {
    // What the CLI does: every projection in one pass over the history.
    current = projections.map((p) => p.name).join(',');
    const t = process.hrtime.bigint();
    const results = await rebuildProjections(stores.eventStore, stores.readStore, projections, { dropDelayMs: 0 });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    for (const r of results)
      per.push({ name: r.projection, events: r.events, ms, events_per_s: (r.events * 1000) / ms, rss_mb_after: process.memoryUsage().rss / 1048576 });
  } finally {
    clearInterval(sampler);
    sample();
    await stores.close();
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return {
    head: Number(head),
    elapsed_ms: ms,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    max_rss_kb: process.resourceUsage().maxRSS,
    vm_hwm_mb: vmHwmMb(),
    sampled_peak: peak,
    projections: per,
  };
}

main()
  .then((result) => process.send({ ok: true, result }, () => process.exit(0)))
  .catch((e) => process.send({ ok: false, error: e && e.stack ? e.stack : String(e) }, () => process.exit(1)));

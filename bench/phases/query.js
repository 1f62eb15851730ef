'use strict';
/**
 * query: a fresh DATA_DIR gets `petitions` petitions over the councils with varied statuses and
 * signature counts (bench/lib/dataset.js), the real service starts on it and its projector
 * builds the read models; then one client sends portal list queries one at a time, interleaved:
 *   council + sort by signatures, status + sort by signatures, council + status + sort by
 *   recency, and the second page (cursor) of the first. list_p99_ms: p99 over all of them.
 */
const path = require('node:path');
const {
  benchSecrets,
  forkResult,
  makeTmp,
  rmTmp,
  startServer,
  request,
  waitForProjections,
  latencyStats,
  processCpuSeconds,
  log,
  phaseMain,
} = require('../lib/common');

async function run({ petitions = 2000, events = 40_000, samples = 300, warm = 50, seed = 11 }) {
  const secrets = benchSecrets();
  const dir = makeTmp('query');
  let server;
  try {
    const generated = await forkResult(
      path.join(__dirname, 'generate-child.js'),
      { dir, petitions, events, seed, signerKey: secrets.signerKey },
      { timeoutMs: 1_200_000 },
    );
    log(
      `query: ${generated.petitions.toLocaleString('en')} petitions (${generated.events.toLocaleString('en')} events) written in ${generated.seconds.toFixed(1)} s`,
    );

    server = await startServer(dir, secrets);
    const c0 = server.spawnedAt;
    await waitForProjections(server.port, 900_000);
    const catchUp = (Date.now() - c0) / 1000;
    log(`service up with its read models built ${catchUp.toFixed(1)} s after it was started`);

    const first = await request(server.port, 'GET', '/petitions?council=commune-tan-tan&sort=signatures&limit=20');
    if (first.status !== 200 || first.body.items.length !== 20 || !first.body.nextCursor)
      throw new Error(`list query: ${first.status} ${first.text.slice(0, 300)}`);
    const queries = {
      council_by_signatures: '/petitions?council=commune-tan-tan&sort=signatures&limit=20',
      status_by_signatures: '/petitions?status=collecting&sort=signatures&limit=20',
      council_status_recent: '/petitions?council=commune-tan-tan&status=submitted&sort=recent&limit=20',
      council_by_signatures_page2: `/petitions?council=commune-tan-tan&sort=signatures&limit=20&cursor=${first.body.nextCursor}`,
    };
    const counts = {};
    for (const [name, url] of Object.entries(queries)) {
      const res = await request(server.port, 'GET', url);
      if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      counts[name] = res.body.items.length;
    }
    for (let i = 0; i < warm; i++) for (const url of Object.values(queries)) await request(server.port, 'GET', url);

    const times = Object.fromEntries(Object.keys(queries).map((k) => [k, []]));
    const all = [];
    const cpu0 = processCpuSeconds(server.pid);
    for (let i = 0; i < samples; i++) {
      for (const [name, url] of Object.entries(queries)) {
        const res = await request(server.port, 'GET', url);
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
        times[name].push(res.ms);
        all.push(res.ms);
      }
    }
    const cpu = processCpuSeconds(server.pid) - cpu0;
    const stats = latencyStats(all);
    log(`list queries: p50 ${stats.p50.toFixed(2)} ms, p99 ${stats.p99.toFixed(2)} ms over ${all.length} requests`);
    const statuses = {};
    for (const s of ['collecting', 'submitted', 'admissible', 'inadmissible', 'answered', 'withdrawn']) {
      const res = await request(server.port, 'GET', `/petitions?status=${s}&limit=100`);
      statuses[s] = res.body.items.length === 100 ? '100+' : res.body.items.length;
    }
    return {
      metrics: { petitions: generated.petitions, list_p99_ms: stats.p99 },
      diagnostics: {
        events: generated.events,
        fates: generated.fates,
        generate_seconds: generated.seconds,
        service_start_to_caught_up_s: catchUp,

        items_per_query: counts,
        statuses_seen: statuses,
        all: stats,
        per_query: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, latencyStats(v)])),
        server_cpu_ms_per_query: (cpu * 1000) / all.length,
      },
    };
  } finally {
    if (server) await server.stop();
    rmTmp(dir);
  }
}

module.exports = { run };
phaseMain(module, run);

'use strict';
/**
 * cold_start: how long a restarted service takes to serve correct counts, on a large history
 * and on an empty one.
 *
 * Two stores, each a copy (fresh DATA_DIR) of a generated history (bench/lib/shared-history.js):
 *   large — `events` events over `petitions` petitions (the rebuild phase's history, reused);
 *   empty — no history: only the generator's self-check petition (3 events) and the witnesses.
 * Both end with the same witness petitions, each one signature short of its threshold.
 *
 * On each store the service (`node dist/src/main.js`, as npm start and http_sign start it) is first
 * started once and left running until its projector has caught up (GET /projections: every lag
 * 0), then stopped (SIGTERM): a council's service that has been running. What is measured is the
 * starts after that — a restart — alternating empty and large, `repeats` times each, one witness
 * per start. Each start is timed from spawn until the service is ready, which here means all of:
 *   1. GET /health answers 200;
 *   2. GET /petitions/{witness} gives the signature count known from generation (the read model);
 *   3. POST /petitions/{witness}/signatures, a new signer, answers 201 — and (checked after the
 *      clock stops) the command side recorded SignatureThresholdReached with a count of exactly
 *      the known count + 1: its tally counted every signature event of the history.
 * empty_ms / large_ms: the medians; ratio = large / empty.
 */
const {
  dist,
  benchSecrets,
  rmTmp,
  startServer,
  request,
  identityNumber,
  median,
  processCpuSeconds,
  processPeakRssMb,
  log,
  phaseMain,
} = require('../lib/common');
const { obtainHistory, releaseHistory, copyHistory } = require('../lib/shared-history');

/** Polls `probe` (resolving to a truthy value when done) every 10 ms until done or the deadline. */
async function until(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last && last.done) return last;
    } catch (e) {
      last = { error: e.message };
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last && (last.seen ?? last.error ?? last)).slice(0, 400)})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function run({ events = 100_000, petitions = 2000, seed = 7, repeats = 2, readyTimeoutMs = 600_000 }) {
  const { signDevToken } = dist('infrastructure/auth/jwt-verifier');
  const secrets = benchSecrets();
  const auditor = await signDevToken(secrets.jwtSecret, { sub: 'bench-auditor', roles: ['auditor'] });
  const histories = {};
  const dirs = {};
  const firstStarts = {};
  const starts = { empty: [], large: [] };
  try {
    histories.large = await obtainHistory({ events, petitions, seed, signerKey: secrets.signerKey });
    histories.empty = await obtainHistory({ events: 0, petitions: 0, seed, signerKey: secrets.signerKey });
    for (const kind of ['empty', 'large']) {
      const { info } = histories[kind];
      if (info.witnesses.length < repeats) throw new Error(`${repeats} starts need ${repeats} witness petitions; the history has ${info.witnesses.length}`);
      dirs[kind] = copyHistory(histories[kind], `cold-start-${kind}`);
      log(
        `cold_start ${kind}: ${info.events.toLocaleString('en')} events (${info.reused ? 'reused from this run' : `written in ${info.seconds.toFixed(1)} s`})`,
      );
    }

    // The service as it has been running: read models built, projector caught up; then stopped.
    for (const kind of ['empty', 'large']) {
      const server = await startServer(dirs[kind], secrets, {}, { listenTimeoutMs: readyTimeoutMs });
      try {
        // While the projector catches up the service may not answer for a while (the same thread
        // projects): a request that times out is asked again, until the deadline.
        let slowest = 0;
        const { status } = await until(
          `first start on ${kind}: the projector catching up`,
          async () => {
            const res = await request(server.port, 'GET', '/projections');
            slowest = Math.max(slowest, res.ms);
            const projections = res.status === 200 ? res.body.projections : [];
            return { done: projections.length > 0 && projections.every((p) => p.lag === '0'), status: res.body, seen: res.status };
          },
          readyTimeoutMs,
        );
        firstStarts[kind] = { caught_up_ms: Date.now() - server.spawnedAt, head: Number(status.headPosition), slowest_status_answer_ms: slowest };
        log(
          `  first start on ${kind}: projector caught up on ${Number(status.headPosition).toLocaleString('en')} events after ${(firstStarts[kind].caught_up_ms / 1000).toFixed(1)} s`,
        );
      } finally {
        await server.stop();
      }
    }

    // The measured restarts, alternating, each on a witness of its own.
    for (let r = 0; r < repeats; r++) {
      for (const kind of r % 2 === 0 ? ['empty', 'large'] : ['large', 'empty']) {
        const witness = histories[kind].info.witnesses[r];
        const measured = await restart(dirs[kind], secrets, witness, identityNumber(800 + r, kind === 'large' ? 1 : 0), auditor, readyTimeoutMs);
        starts[kind].push(measured);
        log(
          `  restart ${r + 1} on ${kind}: ready in ${measured.ready_ms} ms (listening ${measured.listening_ms}, health ${measured.health_ms}, count read ${measured.count_ms}, first signature answered ${measured.ready_ms})`,
        );
      }
    }
  } finally {
    for (const dir of Object.values(dirs)) rmTmp(dir);
    for (const history of Object.values(histories)) releaseHistory(history);
  }
  const emptyMs = median(starts.empty.map((s) => s.ready_ms));
  const largeMs = median(starts.large.map((s) => s.ready_ms));
  return {
    metrics: { events: histories.large.info.events, empty_ms: emptyMs, large_ms: largeMs, ratio: largeMs / emptyMs },
    diagnostics: {
      measured:
        'restart after a first start whose projector caught up; spawn → /health 200, witness count right in GET /petitions/{id}, first signature 201 (its threshold event counted exactly)',
      empty_events: histories.empty.info.events,
      large_events: histories.large.info.events,
      petitions: histories.large.info.petitions,
      first_start: firstStarts,
      starts,
    },
  };
}

/** One measured start on `dir`; the service is stopped afterwards. */
async function restart(dir, secrets, witness, identity, auditor, timeoutMs) {
  const { signDevToken } = dist('infrastructure/auth/jwt-verifier');
  const citizen = await signDevToken(secrets.jwtSecret, {
    sub: `citizen-${identity}`,
    roles: ['citizen'],
    cin: identity,
    name: 'Citoyenne de Tan-Tan',
    address: `${identity.slice(2)} quartier Al Amal, Tan-Tan`,
  });
  const server = await startServer(dir, secrets, {}, { listenTimeoutMs: timeoutMs });
  const t0 = server.spawnedAt;
  try {
    const listeningMs = Date.now() - t0;
    await until(
      'GET /health',
      async () => {
        const res = await request(server.port, 'GET', '/health');
        return { done: res.status === 200, seen: res.status };
      },
      timeoutMs,
    );
    const healthMs = Date.now() - t0;
    await until(
      `the witness's count (${witness.signatures}) in GET /petitions/${witness.id}`,
      async () => {
        const res = await request(server.port, 'GET', `/petitions/${witness.id}`);
        return {
          done: res.status === 200 && res.body.signatureCount === witness.signatures,
          seen: { status: res.status, signatureCount: res.body && res.body.signatureCount },
        };
      },
      timeoutMs,
    );
    const countMs = Date.now() - t0;
    const signed = await request(server.port, 'POST', `/petitions/${witness.id}/signatures`, {
      headers: { authorization: `Bearer ${citizen}` },
      body: { identityNumber: identity, basis: 'residence', electoralListRegistered: true },
      // The first signature may wait for the command side's count: not retried (it would be another signature).
      timeoutMs,
    });
    const readyMs = Date.now() - t0;
    const cpuS = processCpuSeconds(server.pid);
    const peakRssMb = processPeakRssMb(server.pid);
    if (signed.status !== 201) throw new Error(`sign ${witness.id}: HTTP ${signed.status} ${signed.text.slice(0, 400)}`);

    // Not timed: the command side's count, as the threshold event records it, and the read model after it.
    const history = await request(server.port, 'GET', `/petitions/${witness.id}/events?limit=10`, { headers: { authorization: `Bearer ${auditor}` } });
    if (history.status !== 200) throw new Error(`GET /petitions/${witness.id}/events: HTTP ${history.status} ${history.text.slice(0, 400)}`);
    const reached = history.body.events.find((e) => e.type.startsWith('SignatureThresholdReached'));
    const expected = witness.signatures + 1;
    if (!reached)
      throw new Error(
        `the signature after a restart did not make the command side record the threshold (${witness.required}): its tally counted fewer than ${expected}`,
      );
    if (reached.data.count !== expected)
      throw new Error(`after a restart the command side counted ${reached.data.count} signatures on the witness; there are ${expected}`);
    await until(
      'the read model after the signature',
      async () => {
        const res = await request(server.port, 'GET', `/petitions/${witness.id}?minPosition=${signed.body.position}`);
        return { done: res.status === 200 && res.body.signatureCount === expected, seen: res.body && res.body.signatureCount };
      },
      60_000,
    );
    return {
      listening_ms: listeningMs,
      health_ms: healthMs,
      count_ms: countMs,
      ready_ms: readyMs,
      first_signature_ms: readyMs - countMs,
      server_cpu_s_at_ready: cpuS,
      server_peak_rss_mb_at_ready: peakRssMb,
    };
  } finally {
    await server.stop();
  }
}

module.exports = { run };
phaseMain(module, run);

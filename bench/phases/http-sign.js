'use strict';
/**
 * http_sign: the real service (`node dist/src/main.js` as npm start runs it: API processes and a
 * projector process under a supervisor, embedded SQLite) on a fresh DATA_DIR, loaded by
 * autocannon in another child process over loopback.
 *   noop: GET /health (Fastify + Nest + the guard + one `max(position)` query);
 *   sign: POST /petitions/:id/signatures, a distinct signer per request (a new identity number,
 *         and a citizen token of its own attesting it in its `cin` claim).
 * Both with the same connections, the noop first (the projector idle), then the signing.
 */
const path = require('node:path');
const {
  dist,
  benchSecrets,
  makeTmp,
  rmTmp,
  startServer,
  request,
  expectOk,
  waitForProjections,
  forkResult,
  processCpuSeconds,
  loadAverage,
  log,
  phaseMain,
} = require('../lib/common');

const WORKER = path.join(__dirname, 'load-worker.js');

async function load(server, spec) {
  const cpu0 = processCpuSeconds(server.pid);
  const result = await forkResult(WORKER, { port: server.port, ...spec }, { timeoutMs: (spec.duration + 60) * 1000 });
  result.server_cpu_s = processCpuSeconds(server.pid) - cpu0;
  result.server_cpu_ms_per_ok = result.ok ? (result.server_cpu_s * 1000) / result.ok : NaN;
  return result;
}

async function run({ connections = 32, noopSeconds = 10, signSeconds = 15, warmSeconds = 3 }) {
  const { signDevToken } = dist('infrastructure/auth/jwt-verifier');
  const secrets = benchSecrets();
  const dir = makeTmp('http-sign');
  let server;
  try {
    server = await startServer(dir, secrets);
    log(`service pid ${server.pid} on 127.0.0.1:${server.port}`);
    const agent = await signDevToken(secrets.jwtSecret, { sub: 'bench-agent', roles: ['agent'] });
    const filed = await expectOk(
      request(server.port, 'POST', '/petitions', {
        headers: { authorization: `Bearer ${agent}` },
        body: {
          councilId: 'commune-tan-tan',
          petitionerType: 'citizens',
          title: 'Éclairage public du quartier El Wahda',
          subject: 'Éclairage public du quartier El Wahda : demande des habitants au conseil',
          requests: 'Installer des lampadaires solaires',
          reasons: 'La sécurité des habitants la nuit',
        },
      }),
      'POST /petitions',
    );
    const petitionId = filed.body.id;
    const sign = (prefix, duration) => ({ kind: 'sign', petitionId, jwtSecret: secrets.jwtSecret, connections, duration, prefix });

    // Warm-up: JIT, connections, and past the petition's threshold (200 here) like any popular petition.
    await load(server, { kind: 'noop', connections, duration: warmSeconds });
    const warm = await load(server, sign(1, warmSeconds));
    if (warm.ok === 0) throw new Error(`warm-up signing failed: ${JSON.stringify(warm.statusCodes)}`);
    await waitForProjections(server.port);

    const load0 = loadAverage();
    const noop = await load(server, { kind: 'noop', connections, duration: noopSeconds });
    log(`GET /health: ${Math.round(noop.rps)} req/s, p50 ${noop.latency.p50} ms, p99 ${noop.latency.p99} ms`);
    const signed = await load(server, sign(2, signSeconds));
    log(
      `POST signatures: ${Math.round(signed.rps)} req/s, p50 ${signed.latency.p50} ms, p99 ${signed.latency.p99} ms (${signed.non2xx} non-2xx, ${signed.errors} errors)`,
    );
    if (signed.ok === 0) throw new Error(`signing failed under load: ${JSON.stringify(signed.statusCodes)}`);

    // How long the in-process projector needs to apply what the load appended.
    const drainStart = Date.now();
    const status = await waitForProjections(server.port);
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const tally = await request(server.port, 'GET', `/petitions/${petitionId}`);

    return {
      metrics: {
        sign_rps: signed.rps,
        p50_ms: signed.latency.p50,
        p99_ms: signed.latency.p99,
        noop_rps: noop.rps,
        ratio: signed.rps / noop.rps,
      },
      diagnostics: {
        connections,
        noop,
        sign: signed,
        warm_signatures: warm.ok,
        projector_drain_after_load_s: drainSeconds,
        head_position: status.headPosition,
        petition_signature_count: tally.body && tally.body.signatureCount,
        load_average_1m_before: load0,
      },
    };
  } finally {
    if (server) await server.stop();
    rmTmp(dir);
  }
}

module.exports = { run };
phaseMain(module, run);

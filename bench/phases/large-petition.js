'use strict';
/**
 * large_petition: does signing slow down as a petition grows? A fresh DATA_DIR gets, in-process
 * through the service's command side (bench/lib/history.js), three petitions at commune-tan-tan:
 * one with `signatures` signatures (threshold reached and recorded on the way, as in real life),
 * one empty, one for warming up. Then the real service starts on it, its projector catches up,
 * and one client signs sequentially (one request at a time, a new signer each), alternating
 * between the empty and the large petition: p50 of each.
 */
const {
  dist,
  benchSecrets,
  makeTmp,
  rmTmp,
  startServer,
  request,
  waitForProjections,
  identityNumber,
  latencyStats,
  processCpuSeconds,
  log,
  phaseMain,
} = require('../lib/common');
const { History } = require('../lib/history');

async function run({ signatures = 5000, samples = 300, warm = 250 }) {
  const { signDevToken } = dist('infrastructure/auth/jwt-verifier');
  const secrets = benchSecrets();
  const dir = makeTmp('large-petition');
  let server;
  try {
    // Pre-load.
    const t0 = Date.now();
    const history = new History(dir, { signerKey: secrets.signerKey });
    await history.selfCheck();
    const large = await history.file('commune-tan-tan', { agentId: 'agent-large', title: 'Grande pétition pour le centre de santé' });
    const empty = await history.file('commune-tan-tan', { agentId: 'agent-empty', title: 'Pétition vide pour la bibliothèque' });
    const warmId = await history.file('commune-tan-tan', { agentId: 'agent-warm', title: 'Pétition de chauffe pour la route' });
    const step = Math.max(1, Math.floor((30 * 86_400_000) / signatures));
    for (let i = 0; i < signatures;) {
      await history.batch(async () => {
        for (const end = Math.min(signatures, i + 20_000); i < end; i++) {
          await history.signFast(large, identityNumber(5, i));
          history.advance(step);
        }
      });
    }
    const head = Number(await history.headPosition());
    await history.close_();
    const loadSeconds = (Date.now() - t0) / 1000;
    log(`large petition: ${signatures.toLocaleString('en')} signatures loaded in ${loadSeconds.toFixed(1)} s (head ${head})`);

    server = await startServer(dir, secrets);
    const c0 = server.spawnedAt;
    await waitForProjections(server.port, 600_000);
    const catchUpSeconds = (Date.now() - c0) / 1000;
    log(`service up, its projector caught up on ${head.toLocaleString('en')} events, ${catchUpSeconds.toFixed(1)} s after it was started`);

    // Each signer with a citizen token of their own, attesting their identity number, name and address (cin, name, address claims).
    const sign = async (petitionId, identity) => {
      const token = await signDevToken(secrets.jwtSecret, {
        sub: `citizen-${identity}`,
        roles: ['citizen'],
        cin: identity,
        name: 'Citoyen de Tan-Tan',
        address: `${identity.slice(2)} quartier El Wahda, Tan-Tan`,
      });
      const res = await request(server.port, 'POST', `/petitions/${petitionId}/signatures`, {
        headers: { authorization: `Bearer ${token}` },
        body: { identityNumber: identity, basis: 'residence', electoralListRegistered: true },
      });
      if (res.status !== 201) throw new Error(`sign ${petitionId}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      return res.ms;
    };
    for (let i = 0; i < warm; i++) await sign(warmId, identityNumber(6, i));

    const emptyMs = [];
    const largeMs = [];
    const cpu0 = processCpuSeconds(server.pid);
    for (let i = 0; i < samples; i++) {
      // Alternate which goes first, so neither always follows the other's projector work.
      if (i % 2 === 0) {
        emptyMs.push(await sign(empty, identityNumber(7, i)));
        largeMs.push(await sign(large, identityNumber(8, i)));
      } else {
        largeMs.push(await sign(large, identityNumber(8, i)));
        emptyMs.push(await sign(empty, identityNumber(7, i)));
      }
    }
    const cpu = processCpuSeconds(server.pid) - cpu0;
    await waitForProjections(server.port);
    const largeDoc = await request(server.port, 'GET', `/petitions/${large}`);
    const emptyDoc = await request(server.port, 'GET', `/petitions/${empty}`);
    const e = latencyStats(emptyMs);
    const l = latencyStats(largeMs);
    log(`sign p50: empty ${e.p50.toFixed(2)} ms, large ${l.p50.toFixed(2)} ms`);
    return {
      metrics: { signatures, empty_p50_ms: e.p50, large_p50_ms: l.p50, ratio: l.p50 / e.p50 },
      diagnostics: {
        samples,
        empty: e,
        large: l,
        load_seconds: loadSeconds,
        events_in_store_before: head,
        service_start_to_caught_up_s: catchUpSeconds,
        server_cpu_ms_per_signature: (cpu * 1000) / (2 * samples),
        large_signature_count_after: largeDoc.body && largeDoc.body.signatureCount,
        empty_signature_count_after: emptyDoc.body && emptyDoc.body.signatureCount,
      },
    };
  } finally {
    if (server) await server.stop();
    rmTmp(dir);
  }
}

module.exports = { run };
phaseMain(module, run);

'use strict';
/**
 * The load generator, in its own process: autocannon against the service on loopback, for a
 * bounded duration. Sign runs make every request a distinct signer: a new identity number (two
 * letters fixed by `prefix`, then an 8-digit counter) in the body, and a citizen bearer token of
 * its own whose `cin` claim attests that number (HS256, signed here as signDevToken would, so
 * that token signing does not pace the load).
 *
 * argv[2]: JSON { port, kind: 'noop' | 'sign', petitionId?, jwtSecret?, connections, duration, prefix? }
 */
const { createHmac } = require('node:crypto');
const autocannon = require('autocannon');
const { identityNumber } = require('../lib/common');

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const JWT_HEADER = b64({ alg: 'HS256', typ: 'JWT' });

/** What signDevToken(secret, { sub, roles: ['citizen'], cin, name, address }) produces, synchronously. */
function citizenToken(secret, cin) {
  const iat = Math.floor(Date.now() / 1000);
  const body = `${JWT_HEADER}.${b64({ roles: ['citizen'], cin, name: 'Citoyen de Tan-Tan', address: `${cin.slice(2)} quartier El Wahda, Tan-Tan`, sub: `citizen-${cin}`, iat, exp: iat + 3600 })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

function main() {
  const options = JSON.parse(process.argv[2]);
  const { port, kind, connections, duration } = options;
  if (!/^\d+$/.test(String(port))) throw new Error('port required');
  let counter = 0;
  const requests =
    kind === 'sign'
      ? [
          {
            method: 'POST',
            path: `/petitions/${options.petitionId}/signatures`,
            setupRequest: (req) => {
              const cin = identityNumber(options.prefix ?? 0, counter++);
              return {
                ...req,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${citizenToken(options.jwtSecret, cin)}` },
                body: JSON.stringify({ identityNumber: cin, basis: 'residence', electoralListRegistered: true }),
              };
            },
          },
        ]
      : [{ method: 'GET', path: '/health' }];
  const instance = autocannon(
    {
      url: `http://127.0.0.1:${port}`,
      connections,
      duration,
      pipelining: 1,
      timeout: 10,
      requests,
    },
    (error, result) => {
      if (error) {
        process.send({ ok: false, error: String(error) }, () => process.exit(1));
        return;
      }
      const ok = result['2xx'];
      process.send(
        {
          ok: true,
          result: {
            kind,
            connections,
            duration_s: result.duration,
            requests: result.requests.total,
            ok,
            non2xx: result.non2xx,
            errors: result.errors,
            timeouts: result.timeouts,
            rps: ok / result.duration,
            latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
            statusCodes: result.statusCodeStats,
            sent: counter,
          },
        },
        () => process.exit(0),
      );
    },
  );
  process.once('SIGTERM', () => instance.stop());
}

try {
  main();
} catch (e) {
  process.send({ ok: false, error: e.stack }, () => process.exit(1));
}

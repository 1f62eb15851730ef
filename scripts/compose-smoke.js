#!/usr/bin/env node
/**
 * `npm run test:compose` (hosts with Docker and the compose plugin): brings the production stack
 * up from docker-compose.yml under its own project name, waits until every service is healthy,
 * runs a short lifecycle through the API (file, sign, read the petition back caught up, read its
 * history with a verified hash chain), checks that the projector reports no lag, and tears the
 * stack down with its volumes, whatever happened. Exits non-zero on any failure.
 *
 * Environment: COMPOSE_SMOKE_PROJECT (default petitions-smoke), COMPOSE_SMOKE_KEEP=1 to leave the
 * stack running, JWT_SECRET / SIGNER_HASH_KEY / VAULT_MASTER_KEY / AUDIT_SIGNING_KEY (fresh ones when absent), API_URL.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { generateKeyPairSync, randomBytes } = require('node:crypto');
const { resolve } = require('node:path');

const root = resolve(__dirname, '..');
const project = process.env.COMPOSE_SMOKE_PROJECT || 'petitions-smoke';
const api = process.env.API_URL || 'http://127.0.0.1:3000';
const env = {
  ...process.env,
  JWT_SECRET: process.env.JWT_SECRET || randomBytes(48).toString('base64url'),
  SIGNER_HASH_KEY: process.env.SIGNER_HASH_KEY || randomBytes(48).toString('base64url'),
  VAULT_MASTER_KEY: process.env.VAULT_MASTER_KEY || randomBytes(32).toString('base64'),
  AUDIT_SIGNING_KEY:
    process.env.AUDIT_SIGNING_KEY ||
    Buffer.from(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).toString('base64'),
};

function compose(args, options = {}) {
  const run = spawnSync('docker', ['compose', '-p', project, '-f', resolve(root, 'docker-compose.yml'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
  });
  if (run.error) throw new Error(`docker compose ${args[0]}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`docker compose ${args.join(' ')} exited with ${run.status}`);
  return (run.stdout || '').trim();
}

function token(...args) {
  return compose(['exec', '-T', 'api', 'node', 'dist/src/cli/token.js', ...args], { capture: true })
    .split('\n')
    .pop();
}

async function call(method, path, body, bearer, headers = {}) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

function expect(condition, message) {
  if (!condition) throw new Error(`Failed: ${message}`);
  console.log(`ok - ${message}`);
}

async function until(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
    const result = await check().catch(() => undefined);
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

async function lifecycle() {
  const agent = token('--role', 'agent', '--sub', 'smoke-agent');
  const auditor = token('--role', 'auditor', '--sub', 'smoke-auditor');
  const filed = await call(
    'POST',
    '/petitions',
    {
      councilId: 'commune-tan-tan',
      petitionerType: 'citizens',
      title: 'Éclairage public du quartier El Wahda',
      subject: "Installer l'éclairage public dans les rues du quartier El Wahda, restées sans lumière depuis 2024.",
      requests: 'Inscrire au budget la pose de quarante lampadaires solaires.',
      reasons: 'La sécurité des habitants, des élèves et des commerçants le soir.',
    },
    agent,
    { 'idempotency-key': `smoke-${Date.now()}` },
  );
  expect(filed.status === 201, `a petition is filed (201, got ${filed.status})`);
  const id = filed.body.id;
  let position = filed.body.position;
  for (const [i, cin] of ['JB100001', 'JB100002', 'JB100003'].entries()) {
    const citizen = token('--role', 'citizen', '--cin', cin, '--sub', `smoke-citizen-${i}`);
    const signed = await call('POST', `/petitions/${id}/signatures`, { identityNumber: cin, basis: 'residence', electoralListRegistered: true }, citizen);
    expect(signed.status === 201, `citizen ${i + 1} signs (201, got ${signed.status})`);
    position = signed.body.position;
  }
  const page = await until('the petition read model to catch up', async () => {
    const res = await call('GET', `/petitions/${id}`, undefined, undefined, { 'x-min-position': position });
    return res.status === 200 && res.headers.get('x-read-model-caught-up') === 'true' ? res : undefined;
  });
  expect(page.body.signatureCount === 3, `the projector counted 3 signatures (got ${page.body.signatureCount})`);
  const history = await call('GET', `/petitions/${id}/events`, undefined, auditor);
  expect(history.status === 200 && history.body.events.length === 4, `the history holds 4 events (got ${history.body?.events?.length})`);
  expect(history.body.lifecycleIntegrity.verified && history.body.pageIntegrity.verified, 'the hash chains verify');
  const caughtUp = await until('every projection to report no lag', async () => {
    const res = await call('GET', '/projections');
    const list = res.body?.projections ?? [];
    return list.length > 0 && list.every((p) => BigInt(p.lag) === 0n) ? list : undefined;
  });
  expect(true, `the projector caught up: ${caughtUp.map((p) => `${p.name} at ${p.position}`).join(', ')}`);
}

async function main() {
  let failed = false;
  try {
    compose(['up', '-d', '--build', '--wait', '--wait-timeout', '300']);
    await until('the API to be ready', async () => (await fetch(`${api}/health/ready`)).ok, 120_000);
    await lifecycle();
  } catch (err) {
    failed = true;
    console.error(err instanceof Error ? err.message : err);
    try {
      compose(['logs', '--no-color', '--tail', '80']);
    } catch {
      /* the logs are a courtesy */
    }
  } finally {
    if (process.env.COMPOSE_SMOKE_KEEP !== '1') {
      try {
        compose(['down', '-v', '--remove-orphans']);
      } catch (err) {
        console.error(err instanceof Error ? err.message : err);
        failed = true;
      }
    }
  }
  process.exit(failed ? 1 : 0);
}

void main();

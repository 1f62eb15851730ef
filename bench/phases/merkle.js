'use strict';
/**
 * merkle: the cost of the verifiable history.
 *   append_off_per_s / append_on_per_s — SqliteEventStore.appendToStream one event per call on the
 *     service's events.sqlite settings, without and with the Merkle log following in the same
 *     process (AuditLog.catchUp after every `followEvery` appends, as the checkpoints process does
 *     each second): the "on" rate includes all the time spent hashing and storing leaves and nodes.
 *   proof_p50_ms / proof_p99_ms — AuditLog.inclusion (the service's code path: O(log n) stored
 *     nodes) for random leaves of a tree of `treeSize` leaves (1M in the full run), whose leaves
 *     and nodes are stored through SqliteMerkleStore exactly as the log stores them.
 */
const { createHash, generateKeyPairSync } = require('node:crypto');
const { v7: uuidv7 } = require('uuid');
const { dist, makeTmp, rmTmp, percentile, median, log, phaseMain } = require('../lib/common');

const sha = (s) => createHash('sha256').update(s).digest('hex');

function makeEvents(count, streams, label) {
  const petitionId = uuidv7();
  const last = new Map();
  const events = [];
  for (let i = 0; i < count; i++) {
    const streamId = `signature-${petitionId}-${sha(`${label}-signer-${i % streams}`)}`;
    const previousHash = last.get(streamId) ?? null;
    const hash = sha(`${label}-${i}-${previousHash}`);
    last.set(streamId, hash);
    const at = new Date(Date.parse('2027-03-01T08:00:00Z') + i * 37).toISOString();
    events.push({
      streamId,
      expected: previousHash === null ? 'no_stream' : BigInt(Math.floor(i / streams) - 1),
      event: {
        id: uuidv7(),
        type: 'PetitionSigned.v1',
        data: {
          petitionId,
          signatureId: uuidv7(),
          signerHash: sha(`s${i}`),
          channel: 'online',
          basis: 'residence',
          electoralListRegistered: true,
          signedAt: at,
        },
        metadata: {
          actor: { id: `citizen-${i % streams}`, role: 'citizen' },
          correlationId: uuidv7(),
          causationId: uuidv7(),
          command: 'SignPetition',
          occurredAt: at,
          chain: { previousHash, hash },
        },
      },
    });
  }
  return events;
}

function auditLogOn(db, eventStore) {
  const { SqliteMerkleStore } = dist('infrastructure/merkle/sqlite-merkle-store');
  const { AuditLog } = dist('application/audit-log.service');
  const { EventSourcing } = dist('application/event-sourcing.service');
  const merkle = new SqliteMerkleStore(db);
  const signingKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const config = { audit: { signingKey, checkpointEvery: 1000, checkpointIntervalMs: 600000 } };
  return { merkle, log: new AuditLog(eventStore, merkle, config, { now: () => new Date() }, new EventSourcing(eventStore)) };
}

async function appendRate(count, streams, followEvery, label) {
  const { openEmbeddedDatabase } = dist('infrastructure/embedded-stores');
  const { SqliteEventStore } = dist('infrastructure/event-store/sqlite-event-store');
  const dir = makeTmp(`merkle-${label}`);
  try {
    const db = openEmbeddedDatabase(dir, 'events.sqlite');
    const store = new SqliteEventStore(db);
    const follower = followEvery ? auditLogOn(db, store).log : null;
    const events = makeEvents(count, streams, label);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < events.length; i++) {
      await store.appendToStream(events[i].streamId, [events[i].event], { expectedRevision: events[i].expected });
      if (follower && (i + 1) % followEvery === 0) await follower.catchUp();
    }
    if (follower) {
      const size = await follower.catchUp();
      if (size !== count) throw new Error(`the Merkle log has ${size} leaves, expected ${count}`);
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    await store.close();
    db.close();
    return count / seconds;
  } finally {
    rmTmp(dir);
  }
}

async function proofTimes(treeSize, samples) {
  const { openEmbeddedDatabase } = dist('infrastructure/embedded-stores');
  const { SqliteEventStore } = dist('infrastructure/event-store/sqlite-event-store');
  const { completedNodes, leafHash } = dist('domain/audit/merkle');
  const dir = makeTmp('merkle-proof');
  try {
    const db = openEmbeddedDatabase(dir, 'events.sqlite', 'normal');
    const store = new SqliteEventStore(db);
    const { merkle, log: audit } = auditLogOn(db, store);
    const t0 = Date.now();
    const frontier = new Map();
    const BATCH = 50_000;
    for (let start = 0; start < treeSize; start += BATCH) {
      const leaves = [];
      const nodes = [];
      for (let index = start; index < Math.min(treeSize, start + BATCH); index++) {
        leaves.push({ index, position: BigInt(index + 1), streamId: `s-${index % 1000}`, revision: BigInt(Math.floor(index / 1000)) });
        for (const n of completedNodes(index, leafHash(Buffer.from(sha(`leaf ${index}`), 'hex')), (l, i) => frontier.get(`${l}:${i}`))) {
          frontier.set(`${n.level}:${n.index}`, n.hash);
          frontier.delete(`${n.level}:${n.index - 2}`);
          nodes.push(n);
        }
      }
      await merkle.append(start, leaves, nodes);
    }
    const buildSeconds = (Date.now() - t0) / 1000;
    log(`  stored a Merkle log of ${treeSize} leaves in ${buildSeconds.toFixed(1)} s`);
    const times = [];
    for (let s = 0; s < samples; s++) {
      const position = BigInt(1 + Math.floor(Math.random() * treeSize));
      const t = process.hrtime.bigint();
      const proof = await audit.inclusion(position, treeSize);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (proof.treeSize !== treeSize || proof.proof.length === 0) throw new Error('no proof');
    }
    await store.close();
    db.close();
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99), buildSeconds };
  } finally {
    rmTmp(dir);
  }
}

async function run({ count, streams, followEvery, repeats, treeSize, samples }) {
  const off = [];
  const on = [];
  for (let r = 0; r < repeats; r++) {
    // Alternated, so drifting load on a shared machine weighs on both alike.
    off.push(await appendRate(count, streams, 0, `off${r}`));
    on.push(await appendRate(count, streams, followEvery, `on${r}`));
    log(`  run ${r + 1}: off ${Math.round(off[r])}/s, on ${Math.round(on[r])}/s`);
  }
  const proofs = await proofTimes(treeSize, samples);
  const offRate = median(off);
  const onRate = median(on);
  return {
    metrics: {
      append_off_per_s: offRate,
      append_on_per_s: onRate,
      ratio_on_off: onRate / offRate,
      tree_size: treeSize,
      proof_p50_ms: proofs.p50,
      proof_p99_ms: proofs.p99,
    },
    diagnostics: { count, streams, followEvery, repeats, runs: { off, on }, samples, tree_build_seconds: proofs.buildSeconds },
  };
}

module.exports = { run };
phaseMain(module, run);

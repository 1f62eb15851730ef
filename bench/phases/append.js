'use strict';
/**
 * append: one event per call, each with an expected revision, on a WAL file database, for three
 * writers of the same events, all with the pragmas the service gives its event log
 * (openEmbeddedDatabase: busy_timeout=5000, journal_mode=WAL, and its synchronous level — read
 * back from the connection, FULL by default at the time of writing, NORMAL with
 * EVENTS_SYNCHRONOUS=normal):
 *   project — SqliteEventStore.appendToStream on openEmbeddedDatabase(DATA_DIR, 'events.sqlite'),
 *             as the service opens it;
 *   raw     — better-sqlite3 inserting the identical rows into a plain table, one
 *             BEGIN IMMEDIATE … COMMIT each (no revision check, no secondary index): the limit;
 *   emmett  — @event-driven-io/emmett-sqlite 0.38.5 appendToStream on one long-lived connection
 *             (node-sqlite3, asynchronous) given the same pragmas.
 * Also, as a diagnostic: emmett's public getSQLiteEventStore(), which opens and closes a
 * connection per call and leaves synchronous at SQLite's default (FULL).
 *
 * Events: PetitionSigned-shaped payloads and metadata like the service writes (about 700 bytes
 * of JSON), spread round-robin over `streams` streams so every call names the revision it expects.
 */
const path = require('node:path');
const Database = require('better-sqlite3');
const { v7: uuidv7 } = require('uuid');
const { createHash } = require('node:crypto');
const { dist, makeTmp, rmTmp, median, log, phaseMain } = require('../lib/common');
// Emmett and node-sqlite3 are the benchmark's own peers, installed in bench/peers by npm run bench.
const { ensurePeers, peerRequire } = require('../lib/peers');

function makeEvents(count, streams) {
  const events = new Array(count);
  const base = Date.parse('2027-03-01T08:00:00.000Z');
  const petitionId = uuidv7();
  for (let i = 0; i < count; i++) {
    const streamIndex = i % streams;
    const revision = Math.floor(i / streams);
    const signerHash = createHash('sha256').update(`signer-${streamIndex}`).digest('hex');
    const at = new Date(base + i * 37).toISOString();
    events[i] = {
      streamId: `signature-${petitionId}-${signerHash}`,
      revision,
      id: uuidv7(),
      type: 'PetitionSigned.v1',
      data: {
        petitionId,
        signatureId: uuidv7(),
        signerHash,
        channel: 'online',
        basis: 'residence',
        electoralListRegistered: true,
        textDigest: createHash('sha256').update(petitionId).digest('hex'),
        signedAt: at,
      },
      metadata: {
        actor: { id: `citizen-${streamIndex}`, role: 'citizen' },
        correlationId: uuidv7(),
        causationId: uuidv7(),
        command: 'SignPetition',
        occurredAt: at,
        chain: {
          previousHash: revision === 0 ? null : createHash('sha256').update(`p${i}`).digest('hex'),
          hash: createHash('sha256').update(`h${i}`).digest('hex'),
        },
      },
    };
  }
  return events;
}

const SYNC_NAMES = { 0: 'OFF', 1: 'NORMAL', 2: 'FULL', 3: 'EXTRA' };

/** The pragmas the service's opener applies to events.sqlite, read back from a connection it opened. */
function servicePragmas() {
  const { openEmbeddedDatabase } = dist('infrastructure/embedded-stores');
  const dir = makeTmp('append-pragmas');
  try {
    const db = openEmbeddedDatabase(dir, 'events.sqlite');
    const pragmas = {
      journal_mode: db.pragma('journal_mode', { simple: true }),
      synchronous: SYNC_NAMES[db.pragma('synchronous', { simple: true })],
      busy_timeout: db.pragma('busy_timeout', { simple: true }),
      wal_autocheckpoint: db.pragma('wal_autocheckpoint', { simple: true }),
      cache_size: db.pragma('cache_size', { simple: true }),
    };
    db.close();
    return pragmas;
  } finally {
    rmTmp(dir);
  }
}

let PRAGMAS = null;

async function runProject(dir, events, synchronous) {
  const { SqliteEventStore } = dist('infrastructure/event-store/sqlite-event-store');
  const { openEmbeddedDatabase } = dist('infrastructure/embedded-stores');
  const db = openEmbeddedDatabase(dir, 'events.sqlite');
  if (synchronous) db.pragma(`synchronous = ${synchronous}`);
  const store = new SqliteEventStore(db);
  const started = process.hrtime.bigint();
  for (const e of events) {
    await store.appendToStream(e.streamId, [{ id: e.id, type: e.type, data: e.data, metadata: e.metadata }], {
      expectedRevision: e.revision === 0 ? 'no_stream' : BigInt(e.revision - 1),
    });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  db.close();
  return events.length / seconds;
}

async function runRaw(dir, events, synchronous = PRAGMAS.synchronous) {
  const db = new Database(path.join(dir, 'raw.sqlite'));
  db.pragma(`busy_timeout = ${PRAGMAS.busy_timeout}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY, id TEXT NOT NULL, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL)`);
  const insert = db.prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  const tx = db.transaction((e) => insert.run(e.id, e.streamId, e.revision, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)));
  const started = process.hrtime.bigint();
  for (const e of events) tx.immediate(e);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return events.length / seconds;
}

async function runEmmett(dir, events) {
  const emmett = peerRequire('@event-driven-io/emmett-sqlite');
  const conn = emmett.sqliteConnection({ fileName: path.join(dir, 'emmett.sqlite') });
  // sqliteConnection itself runs only "PRAGMA journal_mode = WAL"; give it the service's other pragmas.
  await conn.command('PRAGMA journal_mode = WAL');
  await conn.command(`PRAGMA synchronous = ${PRAGMAS.synchronous}`);
  await conn.command(`PRAGMA busy_timeout = ${PRAGMAS.busy_timeout}`);
  await emmett.createEventStoreSchema(conn);
  const mode = await conn.querySingle('PRAGMA journal_mode');
  const sync = await conn.querySingle('PRAGMA synchronous');
  if (mode.journal_mode !== 'wal' || SYNC_NAMES[sync.synchronous] !== PRAGMAS.synchronous)
    throw new Error(`emmett connection pragmas: ${JSON.stringify({ mode, sync })}`);
  const started = process.hrtime.bigint();
  for (const e of events) {
    // Emmett counts stream versions from 1; 0n means "the stream does not exist yet".
    const result = await emmett.appendToStream(conn, e.streamId, 'signature', [{ type: e.type, data: e.data, metadata: e.metadata }], {
      expectedStreamVersion: BigInt(e.revision),
    });
    if (!result.success) throw new Error(`emmett append refused at ${e.streamId}@${e.revision}`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  conn.close();
  return events.length / seconds;
}

/** Emmett's public event store: a connection opened (PRAGMA journal_mode=WAL) and closed per call. */
async function runEmmettPublic(dir, events) {
  const emmett = peerRequire('@event-driven-io/emmett-sqlite');
  const store = emmett.getSQLiteEventStore({ fileName: path.join(dir, 'emmett-public.sqlite') });
  const started = process.hrtime.bigint();
  for (const e of events) {
    await store.appendToStream(e.streamId, [{ type: e.type, data: e.data, metadata: e.metadata }], { expectedStreamVersion: BigInt(e.revision) });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return events.length / seconds;
}

async function run({ count = 20_000, streams = 1000, repeats = 1, publicCount = 2000 }) {
  // run.js installs them before any phase starts; this covers running the phase file on its own.
  ensurePeers(log);
  PRAGMAS = servicePragmas();
  log(`append: pragmas of the service's event log: ${JSON.stringify(PRAGMAS)}`);
  const events = makeEvents(count, streams);
  const warm = makeEvents(Math.min(2000, count), 200);
  const rates = { project: [], raw: [], emmett: [] };
  const runners = { project: runProject, raw: runRaw, emmett: runEmmett };
  // Warm-up (JIT, page cache), then alternate the writers so drift hits each equally.
  for (const fn of Object.values(runners)) {
    const dir = makeTmp('append-warm');
    try {
      await fn(dir, warm);
    } finally {
      rmTmp(dir);
    }
  }
  for (let r = 0; r < repeats; r++) {
    for (const [name, fn] of Object.entries(runners)) {
      const dir = makeTmp(`append-${name}`);
      try {
        const rate = await fn(dir, events);
        rates[name].push(rate);
        log(`append ${name} #${r + 1}: ${Math.round(rate)} events/s`);
      } finally {
        rmTmp(dir);
      }
    }
  }
  let emmettPublic = null;
  if (publicCount > 0) {
    const dir = makeTmp('append-emmett-public');
    try {
      emmettPublic = await runEmmettPublic(dir, events.slice(0, publicCount));
      log(`append emmett getSQLiteEventStore (connection per call): ${Math.round(emmettPublic)} events/s`);
    } catch (e) {
      // 0.38.5 on a file closes the connection after every call; under this loop it can fail
      // ("SQLITE_BUSY: cannot commit transaction - SQL statements in progress"). Diagnostic only.
      emmettPublic = `failed: ${e.message}`;
      log(`append emmett getSQLiteEventStore failed: ${e.message}`);
    } finally {
      rmTmp(dir);
    }
  }
  // The same two at synchronous=NORMAL when the service's level is another: without an fsync per
  // commit, what each append writes (pages per commit) is what separates the store from the limit.
  let normal = null;
  if (PRAGMAS.synchronous !== 'NORMAL') {
    normal = {};
    for (const [name, fn] of [
      ['project', runProject],
      ['raw', runRaw],
    ]) {
      const dir = makeTmp(`append-normal-${name}`);
      try {
        normal[`${name}_per_s`] = await fn(dir, events, 'NORMAL');
      } finally {
        rmTmp(dir);
      }
    }
    normal.ratio_vs_raw = normal.project_per_s / normal.raw_per_s;
    log(
      `append at synchronous=NORMAL (diagnostic): project ${Math.round(normal.project_per_s)}/s, raw ${Math.round(normal.raw_per_s)}/s, ratio ${normal.ratio_vs_raw.toFixed(2)}`,
    );
  }
  const project = median(rates.project);
  const raw = median(rates.raw);
  const emmett = median(rates.emmett);
  return {
    metrics: {
      project_per_s: project,
      raw_sqlite_per_s: raw,
      emmett_sqlite_per_s: emmett,
      ratio_vs_raw: project / raw,
      ratio_vs_emmett: project / emmett,
    },
    diagnostics: {
      pragmas: PRAGMAS,
      at_synchronous_normal: normal,
      events: count,
      streams,
      repeats,
      runs: rates,
      emmett_public_store_per_s: emmettPublic,
      emmett_public_events: publicCount,
    },
  };
}

module.exports = { run };
phaseMain(module, run);

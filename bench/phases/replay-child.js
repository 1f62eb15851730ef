'use strict';
/**
 * The replay limit (bench/phases/rebuild.js runs it on the store it rebuilds): every event of
 * events.sqlite in position order, read with better-sqlite3 directly and parsed (JSON.parse of
 * data and metadata), with nothing else done — no projection, no object per event beyond the
 * parsed documents, no BigInt. Two ways to read, each timed on its own:
 *   iterate — one statement stepping through the whole table (`.raw().iterate()`);
 *   keyset  — batches of `batch` rows, `WHERE position > ? ORDER BY position LIMIT n`, as the
 *             event store's readAll reads them.
 * The connection gets the service's pragmas for the file (openEmbeddedDatabase), so the page
 * cache is the one the rebuild has.
 *
 * argv[2]: JSON { dir, repeats?, batch? }
 */
const { dist, median, phaseMain } = require('../lib/common');

const COLUMNS = 'position, id, stream_id, revision, type, data, metadata';

function parse(row, acc) {
  const data = JSON.parse(row[5]);
  const metadata = JSON.parse(row[6]);
  // Use what was parsed, so no engine can drop the work.
  if (data && metadata) acc.parsed += 1;
  acc.last = row[0];
}

function iterate(db) {
  const acc = { parsed: 0, last: 0 };
  for (const row of db.prepare(`SELECT ${COLUMNS} FROM events ORDER BY position`).raw().iterate()) parse(row, acc);
  return acc;
}

function keyset(db, batch) {
  const acc = { parsed: 0, last: 0 };
  const statement = db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ${batch}`).raw();
  for (;;) {
    const rows = statement.all(acc.last);
    for (const row of rows) parse(row, acc);
    if (rows.length < batch) return acc;
  }
}

async function run({ dir, repeats = 3, batch = 10_000 }) {
  const { openEmbeddedDatabase } = dist('infrastructure/embedded-stores');
  const db = openEmbeddedDatabase(dir, 'events.sqlite');
  try {
    const head = db.prepare('SELECT coalesce(max(position), 0) AS head, count(*) AS n FROM events').get();
    const runs = { iterate: [], keyset: [] };
    const modes = { iterate: () => iterate(db), keyset: () => keyset(db, batch) };
    for (let r = 0; r < repeats; r++) {
      for (const [name, fn] of Object.entries(modes)) {
        const started = process.hrtime.bigint();
        const acc = fn();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (acc.parsed !== head.n || acc.last !== head.head)
          throw new Error(`replay ${name}: parsed ${acc.parsed} events up to ${acc.last}; the store has ${head.n} up to ${head.head}`);
        runs[name].push(acc.parsed / seconds);
      }
    }
    const best = Object.entries(runs)
      .map(([mode, rates]) => ({ mode, events_per_s: median(rates) }))
      .sort((a, b) => b.events_per_s - a.events_per_s)[0];
    return {
      events: head.n,
      events_per_s: best.events_per_s,
      mode: best.mode,
      runs,
      batch,
      max_rss_kb: process.resourceUsage().maxRSS,
    };
  } finally {
    db.close();
  }
}

module.exports = { run };
phaseMain(module, run);

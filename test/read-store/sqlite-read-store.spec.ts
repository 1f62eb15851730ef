import Database from 'better-sqlite3';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CollectionSpec, ReadDocument } from '../../src/infrastructure/read-store/read-store.port';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { batchOf, readStoreContract, rejectionOf } from './read-store.contract';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-read-store-'));
}

readStoreContract('SqliteReadStore on a temp file', async () => {
  const dir = tempDir();
  const store = SqliteReadStore.open(path.join(dir, 'read.db'));
  return {
    store,
    teardown: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

readStoreContract('SqliteReadStore on a caller-owned in-memory database', async () => {
  const db = new Database(':memory:');
  const store = new SqliteReadStore(db);
  return {
    store,
    teardown: async () => {
      await store.close();
      expect(db.open).toBe(true); // the caller owns it
      db.close();
    },
  };
});

/** Shaped like the petitions projection's collection. */
const PETITIONS: CollectionSpec = {
  name: 'petitions',
  textFields: ['title', 'subject'],
  indexes: [
    { fields: [{ field: 'signatureCount', direction: -1 }] },
    { fields: [{ field: 'filedAt', direction: -1 }] },
    { fields: [{ field: 'responseDueAt', direction: 1 }] },
    {
      fields: [
        { field: 'councilId', direction: 1 },
        { field: 'filedAt', direction: -1 },
      ],
    },
    {
      fields: [
        { field: 'councilId', direction: 1 },
        { field: 'signatureCount', direction: -1 },
      ],
    },
    {
      fields: [
        { field: 'council.level', direction: 1 },
        { field: 'filedAt', direction: -1 },
      ],
    },
    {
      fields: [
        { field: 'status', direction: 1 },
        { field: 'filedAt', direction: -1 },
      ],
    },
    {
      fields: [
        { field: 'overdue', direction: 1 },
        { field: 'responseDueAt', direction: 1 },
      ],
    },
  ],
};

function petition(i: number, position: bigint): ReadDocument {
  return {
    _id: `petition-${i}`,
    _position: position.toString(),
    title: `Éclairage de la rue ${i}`,
    subject: i % 2 ? 'إنارة عمومية' : 'Voirie et trottoirs',
    councilId: `council-${i % 20}`,
    council: { id: `council-${i % 20}`, level: ['municipality', 'department', 'region'][i % 3] },
    status: ['open', 'submitted', 'answered'][i % 3],
    signatureCount: (i * 37) % 1000,
    filedAt: `2025-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00.000Z`,
    responseDueAt: i % 5 ? `2025-03-${String((i % 28) + 1).padStart(2, '0')}` : null,
    overdue: i % 7 === 0,
    tags: ['voirie', 'sécurité'],
  };
}

describe('SqliteReadStore', () => {
  let dir: string;
  let file: string;
  const opened: SqliteReadStore[] = [];

  function open(): SqliteReadStore {
    const store = SqliteReadStore.open(file);
    opened.push(store);
    return store;
  }

  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, 'read.db');
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function inspect<T>(query: (db: Database.Database) => T): T {
    const db = new Database(file, { readonly: true });
    try {
      return query(db);
    } finally {
      db.close();
    }
  }

  it('opens the file in WAL mode with its tables', async () => {
    open();
    inspect((db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]).sort();
      expect(tables).toEqual(expect.arrayContaining(['checkpoints', 'collections', 'leases', 'settings']));
    });
  });

  it('checkpoints its write-ahead log less often during a bulk load, and as usual after it', async () => {
    const store = open();
    await store.ensureCollection({ name: 'bulk', indexes: [] });
    const walMb = () => fs.statSync(`${file}-wal`).size / 1048576;
    const writeMb = async (mb: number, from: number) => {
      const text = 'x'.repeat(1000);
      for (let b = 0; b < mb; b++) {
        const puts = Array.from({ length: 1000 }, (_, i) => ({ collection: 'bulk', doc: { _id: `d${from + b * 1000 + i}`, text }, guarded: false }));
        await store.commit({ puts, deletes: [] });
      }
    };
    // SQLite's default: the log is copied into the database every 1000 pages (4 MiB), and written from its start again.
    await writeMb(8, 0);
    expect(walMb()).toBeLessThan(6);
    await store.bulkLoad(true);
    await writeMb(12, 10_000);
    expect(walMb()).toBeGreaterThan(10);
    await store.bulkLoad(false);
    expect(await store.count('bulk')).toBe(20_000);
    expect(walMb()).toBeGreaterThan(10);
    inspect((db) => expect(db.pragma('wal_checkpoint(PASSIVE)', { simple: true })).toBe(0));
    // Back to the default: the log (copied, so written from its start again; its file keeps its size) stays within it.
    const before = walMb();
    await writeMb(24, 40_000);
    expect(walMb()).toBeLessThan(before + 1);
  });

  describe('query plans', () => {
    let store: SqliteReadStore;

    beforeEach(async () => {
      store = open();
      await store.ensureCollection(PETITIONS);
      await store.commit(
        batchOf(
          'petitions',
          Array.from({ length: 300 }, (_, i) => petition(i, BigInt(i + 1))),
        ),
      );
    });

    /** Every statement searches an index range (or, unfiltered, walks an index in order) and never sorts. */
    function expectIndexed(plans: string[][], { search = true } = {}): void {
      expect(plans.length).toBeGreaterThan(0);
      for (const plan of plans) {
        const text = plan.join(' | ');
        expect(text).toMatch(/USING (COVERING )?INDEX ix_petitions_/);
        if (search) expect(text).not.toMatch(/\bSCAN doc_petitions\b/);
        expect(text).not.toContain('TEMP B-TREE');
      }
    }

    it('uses the compound index for an equality filter sorted on the next field, both directions', async () => {
      for (const direction of [-1, 1] as const) {
        const plans = store.explainFind('petitions', { councilId: 'council-3' }, { sort: { field: 'filedAt', direction } });
        expectIndexed(plans);
      }
    });

    it('keeps using it on later pages (keyset, no offset)', async () => {
      for (const direction of [-1, 1] as const) {
        const options = { sort: { field: 'filedAt', direction }, limit: 3 };
        const first = await store.find('petitions', { councilId: 'council-3' }, options);
        expect(first.nextCursor).not.toBeNull();
        const plans = store.explainFind('petitions', { councilId: 'council-3' }, { ...options, cursor: first.nextCursor! });
        expect(plans.length).toBeGreaterThan(1);
        expectIndexed(plans);
        for (const plan of plans) expect(plan.join(' ')).toMatch(/<expr>=\?/);
      }
    });

    it('uses indexes for boolean equality and dot paths', async () => {
      expectIndexed(store.explainFind('petitions', { overdue: true }, { sort: { field: 'responseDueAt', direction: 1 } }));
      expectIndexed(store.explainFind('petitions', { 'council.level': 'region' }, { sort: { field: 'filedAt', direction: -1 } }));
      // No filter: an ordered walk of the index that stops at the limit.
      expectIndexed(store.explainFind('petitions', {}, { sort: { field: 'signatureCount', direction: -1 } }), { search: false });
    });

    it('binds every value as a parameter', async () => {
      const spy = jest.spyOn(Database.prototype, 'prepare');
      try {
        await store.find('petitions', { councilId: "council-3' --", status: { $in: ['x', 'y'] }, $text: 'rue "3"' });
        const sql = spy.mock.calls.map((call) => call[0]).join('\n');
        expect(sql).toContain("json_extract(doc, '$.councilId') = ?");
        expect(sql).toContain('MATCH ?');
        expect(sql).not.toContain('council-3');
        expect(sql).not.toContain("'x'");
        expect(sql).not.toContain('rue');
      } finally {
        spy.mockRestore();
      }
    });
  });

  it('keeps data, checkpoints, leases, settings and the text index across reopening', async () => {
    const first = open();
    await first.ensureCollection(PETITIONS);
    const lease = await first.acquireLease('projector', 'p1', 60_000, 1_000);
    await first.commit({
      ...batchOf('petitions', [petition(1, 10n), petition(2, 11n)]),
      checkpoint: { name: 'petitions_g1', position: 11n },
      fence: { lease: 'projector', token: lease!.token },
    });
    await first.setSetting('live', 'g1');
    await first.close();

    const second = open();
    expect(await second.get('petitions', 'petition-1')).toEqual(petition(1, 10n));
    expect(await second.getCheckpoint('petitions_g1')).toBe(11n);
    expect(await second.getSetting('live')).toBe('g1');
    expect(await second.acquireLease('projector', 'p2', 60_000, 2_000)).toBeNull();
    expect((await second.acquireLease('projector', 'p2', 60_000, 61_000))?.token).toBe(lease!.token + 1);
    const page = await second.find('petitions', { $text: 'eclairage rue' }, { sort: { field: 'signatureCount', direction: -1 } });
    expect(page.items.map((d) => d._id)).toEqual(['petition-2', 'petition-1']);
    // Stale guarded writes are still refused after reopening.
    await second.commit(batchOf('petitions', [{ ...petition(1, 9n), title: 'stale' }]));
    expect((await second.get('petitions', 'petition-1'))?.title).toBe('Éclairage de la rue 1');
  });

  it('stores one table per collection with the position as an INTEGER column', async () => {
    const store = open();
    await store.ensureCollection(PETITIONS);
    await store.commit(batchOf('petitions', [petition(1, 12345678901234n)]));
    inspect((db) => {
      const row = db.prepare('SELECT id, position, doc FROM doc_petitions').safeIntegers(true).get() as {
        id: string;
        position: bigint;
        doc: string;
      };
      expect(row.id).toBe('petition-1');
      expect(row.position).toBe(12345678901234n);
      expect(JSON.parse(row.doc)).toEqual(petition(1, 12345678901234n));
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'doc_petitions' AND name LIKE 'ix_%'").all();
      expect(indexes).toHaveLength(PETITIONS.indexes.length);
    });
  });

  it('dropCollection drops the table, its indexes and its text index', async () => {
    const store = open();
    await store.ensureCollection(PETITIONS);
    await store.ensureCollection({ name: 'other', indexes: [{ fields: [{ field: 'x', direction: 1 }] }], textFields: ['t'] });
    await store.dropCollection('petitions');
    inspect((db) => {
      const names = db.prepare('SELECT name FROM sqlite_master').pluck().all() as string[];
      expect(names.filter((n) => n.includes('petitions'))).toEqual([]);
      expect(names).toEqual(expect.arrayContaining(['doc_other', 'doc_other:fts']));
    });
  });

  it('refuses invalid collection names and field paths', async () => {
    const store = open();
    for (const name of ['', 'a-b', 'a b', 'a;drop', 'é', 'a.b']) {
      expect(await rejectionOf(store.ensureCollection({ name, indexes: [] }))).toBeInstanceOf(TypeError);
    }
    expect(await rejectionOf(store.ensureCollection({ name: 'ok', indexes: [{ fields: [{ field: "x') --", direction: 1 }] }] }))).toBeInstanceOf(TypeError);
    await store.ensureCollection({ name: 'ok', indexes: [] });
    expect(await rejectionOf(store.find('ok', { "x'": 1 }))).toBeInstanceOf(TypeError);
    expect(await rejectionOf(store.find('ok', {}, { sort: { field: 'a..b', direction: 1 } }))).toBeInstanceOf(TypeError);
  });

  it('refuses collection names that differ only in case (SQLite table names are case-insensitive)', async () => {
    const store = open();
    await store.ensureCollection({ name: 'Petitions', indexes: [] });
    expect(await rejectionOf(store.ensureCollection({ name: 'petitions', indexes: [] }))).toBeInstanceOf(TypeError);
    expect(await store.get('petitions', 'x')).toBeNull();
    await store.dropCollection('petitions'); // not the same collection: nothing dropped
    await store.commit(batchOf('Petitions', [{ _id: 'x', _position: '1' }]));
    expect(await store.get('Petitions', 'x')).toEqual({ _id: 'x', _position: '1' });
  });

  it('refuses writes to a collection that does not exist, writing nothing', async () => {
    const store = open();
    await store.ensureCollection({ name: 'real', indexes: [] });
    const error = await rejectionOf(
      store.commit({
        puts: [
          { collection: 'real', doc: { _id: 'a', _position: '1' }, guarded: true },
          { collection: 'ghost', doc: { _id: 'a', _position: '1' }, guarded: true },
        ],
        deletes: [],
        checkpoint: { name: 'cp', position: 1n },
      }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(await store.get('real', 'a')).toBeNull();
    expect(await store.getCheckpoint('cp')).toBeNull();
  });

  it('refuses malformed positions', async () => {
    const store = open();
    await store.ensureCollection({ name: 'c', indexes: [] });
    for (const position of ['-1', '01', '1.5', 'abc', '', '9223372036854775808']) {
      const error = await rejectionOf(store.commit(batchOf('c', [{ _id: 'a', _position: position }])));
      expect(error).toBeInstanceOf(TypeError);
    }
    await store.commit(batchOf('c', [{ _id: 'a', _position: '9223372036854775807' }]));
    expect((await store.get('c', 'a'))?._position).toBe('9223372036854775807');
  });

  it('rebuilds the text index when the text fields change', async () => {
    const store = open();
    await store.ensureCollection({ name: 'c', indexes: [], textFields: ['title'] });
    await store.commit(batchOf('c', [{ _id: 'a', _position: '1', title: 'fontaine', subject: 'banc' }]));
    expect((await store.find('c', { $text: 'banc' })).items).toEqual([]);

    await store.ensureCollection({ name: 'c', indexes: [], textFields: ['title', 'subject'] });
    expect((await store.find('c', { $text: 'fontaine banc' })).items.map((d) => d._id)).toEqual(['a']);

    await store.ensureCollection({ name: 'c', indexes: [] });
    expect(await rejectionOf(store.find('c', { $text: 'banc' }))).toBeInstanceOf(TypeError);
  });

  it('sees collections created, changed and dropped through another connection', async () => {
    const one = open();
    const two = open();
    await one.ensureCollection({ name: 'c', indexes: [], textFields: ['t'] });
    await one.commit(batchOf('c', [{ _id: 'a', _position: '1', t: 'bonjour' }]));
    expect((await two.get('c', 'a'))?.t).toBe('bonjour');

    await one.dropCollection('c');
    expect(await two.get('c', 'a')).toBeNull();
    expect(await two.find('c', { $text: 'bonjour' })).toEqual({ items: [], nextCursor: null });

    await one.ensureCollection({ name: 'c', indexes: [], textFields: ['u'] });
    await two.commit(batchOf('c', [{ _id: 'b', _position: '1', t: 'salut', u: 'bonsoir' }]));
    expect((await one.find('c', { $text: 'bonsoir' })).items.map((d) => d._id)).toEqual(['b']);
  });

  it('commits 1000 guarded puts per transaction quickly (timings logged, not asserted)', async () => {
    const store = open();
    await store.ensureCollection(PETITIONS);
    await store.ensureCollection({ ...PETITIONS, name: 'plain', textFields: [] });
    await store.ensureCollection({ name: 'bare', indexes: [] });

    const batches = 20;
    const size = 1000;
    const results: string[] = [];
    for (const collection of ['petitions', 'plain', 'bare']) {
      let position = 1n;
      // Half the ids are new, half overwrite documents of the previous batch; checkpoint each commit.
      const run = async (): Promise<number> => {
        const started = process.hrtime.bigint();
        for (let b = 0; b < batches; b++) {
          const docs = Array.from({ length: size }, (_, i) => {
            const doc = petition(b * (size / 2) + i, position);
            position++;
            return doc;
          });
          await store.commit({ ...batchOf(collection, docs), checkpoint: { name: `bench_${collection}`, position } });
        }
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const ms = await run();
      const replayStarted = process.hrtime.bigint();
      // A replay of old positions: every guarded put is refused.
      for (let b = 0; b < batches; b++) {
        const docs = Array.from({ length: size }, (_, i) => petition(b * (size / 2) + i, 1n));
        await store.commit(batchOf(collection, docs));
      }
      const replayMs = Number(process.hrtime.bigint() - replayStarted) / 1e6;
      const puts = batches * size;
      results.push(
        `${collection.padEnd(9)} ${Math.round((puts / ms) * 1000).toLocaleString('en')} puts/s applied` +
          ` (${(ms / batches).toFixed(1)} ms per 1000-doc commit), ` +
          `${Math.round((puts / replayMs) * 1000).toLocaleString('en')} puts/s refused as stale`,
      );
      expect(await store.count(collection)).toBe((batches + 1) * (size / 2));
    }
    console.log(
      `SqliteReadStore guarded-put throughput (${batches} commits x ${size} docs; petitions: 8 indexes + FTS, plain: 8 indexes, bare: none):\n` +
        results.join('\n'),
    );
  });
});

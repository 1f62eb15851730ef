/**
 * MongoReadStore against a real MongoDB 7 (single-node replica set, started by testcontainers):
 * the shared contract suite, then what only a real server can show (transactions, the text
 * index, stored Int64 positions, index use). Needs a Docker engine; without one the whole file is
 * skipped with one line (describeWithDocker).
 */
import { Long } from 'mongodb';
import {
  andFilters,
  decodeCursor,
  keysetCondition,
  StoredDocument,
  toMongoSort,
  translateFilter,
} from '../../src/infrastructure/read-store/mongo/mongo-mapping';
import { MongoReadStore } from '../../src/infrastructure/read-store/mongo/mongo-read-store';
import { FencedError } from '../../src/infrastructure/read-store/read-store.port';
import { describeWithDocker, startMongo, type StartedService } from '../containers/docker';
import { readStoreContract, rejectionOf, uniqueName } from './read-store.contract';

describeWithDocker('MongoReadStore on mongo:7 (testcontainers)', () => {
  let mongo: StartedService | undefined;
  let url: string;
  const stores: MongoReadStore[] = [];

  /** A store on a fresh database, dropped (and closed) at the end. */
  async function openStore(): Promise<{ store: MongoReadStore; teardown: () => Promise<void> }> {
    // The contract simulates time through nowMs: leases on the caller's clock here (production: the server's).
    const store = await MongoReadStore.connect(url, uniqueName('readstore'), { leaseClock: 'caller' });
    stores.push(store);
    return {
      store,
      teardown: async () => {
        await store.database().dropDatabase();
        await store.close();
      },
    };
  }

  beforeAll(async () => {
    mongo = await startMongo();
    url = mongo.url;
  });

  afterAll(async () => {
    for (const store of stores) await store.close().catch(() => undefined);
    await mongo?.stop();
  });

  readStoreContract('MongoDB', openStore);

  describe('MongoDB specifics', () => {
    let store: MongoReadStore;
    let teardown: () => Promise<void>;

    beforeAll(async () => {
      ({ store, teardown } = await openStore());
    });

    afterAll(async () => {
      await teardown?.();
    });

    async function collection(textFields?: string[]): Promise<string> {
      const name = uniqueName('m');
      await store.ensureCollection({ name, indexes: [{ fields: [{ field: 'n', direction: 1 }] }], ...(textFields ? { textFields } : {}) });
      return name;
    }

    it('stores _position as an Int64 _pos, exact above 2^53, and never returns it', async () => {
      const coll = await collection();
      await store.commit({ puts: [{ collection: coll, doc: { _id: 'a', _position: '9007199254740993', n: 1 }, guarded: true }], deletes: [] });
      const raw = await store.database().collection<StoredDocument>(coll).findOne({ _id: 'a' }, { promoteLongs: false });
      expect(raw?._pos).toBeInstanceOf(Long);
      expect((raw?._pos as Long).toString()).toBe('9007199254740993');
      expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _position: '9007199254740993', n: 1 });

      // 2^53 + 2 beats 2^53 + 1, which a double could not tell apart.
      await store.commit({ puts: [{ collection: coll, doc: { _id: 'a', _position: '9007199254740994', n: 2 }, guarded: true }], deletes: [] });
      expect((await store.get(coll, 'a'))?.n).toBe(2);
    });

    it('creates the declared indexes with _id last, and a text index without language', async () => {
      const coll = await collection(['title', 'subject']);
      const indexes = await store.database().collection(coll).listIndexes().toArray();
      const byName = new Map(indexes.map((ix) => [ix.name as string, ix]));
      expect(byName.get('ix_n_1__id_1')?.key).toEqual({ n: 1, _id: 1 });
      expect(byName.get('text_search')).toMatchObject({ default_language: 'none', weights: { title: 1, subject: 1 } });
    });

    it('serves keyset pages from the (field, _id) index, without a collection scan', async () => {
      const coll = await collection();
      await store.commit({
        puts: Array.from({ length: 50 }, (_, i) => ({ collection: coll, doc: { _id: `d${i}`, n: i % 7 }, guarded: false })),
        deletes: [],
      });
      for (const sort of [
        { field: 'n', direction: 1 },
        { field: 'n', direction: -1 },
      ] as const) {
        const first = await store.find(coll, {}, { sort, limit: 5 });
        // The query find() runs for the next page.
        const query = andFilters(translateFilter({}).filter, keysetCondition(sort, decodeCursor(first.nextCursor)));
        const explained = await store.database().collection<StoredDocument>(coll).find(query).sort(toMongoSort(sort)).limit(6).explain();
        const winning = JSON.stringify(explained.queryPlanner?.winningPlan);
        expect(winning).toContain('IXSCAN');
        expect(winning).not.toContain('COLLSCAN');
      }
    });

    it('re-checks text candidates: a word found only inside another word does not match', async () => {
      const coll = await collection(['title']);
      await store.commit({
        puts: [
          { collection: coll, doc: { _id: 'a', title: 'Éclairages festifs du parc' }, guarded: false },
          { collection: coll, doc: { _id: 'b', title: 'Éclairage du parc' }, guarded: false },
        ],
        deletes: [],
      });
      // MongoDB alone matches both: "parc" selects them through the index, and the phrase
      // "eclairage" is a substring of "éclairages".
      const raw = await store
        .database()
        .collection<StoredDocument>(coll)
        .find({ $text: { $search: '"eclairage" "parc"' } })
        .toArray();
      expect(raw.map((d) => d._id).sort()).toEqual(['a', 'b']);
      expect((await store.find(coll, { $text: 'eclairage parc' })).items.map((d) => d._id)).toEqual(['b']);
      expect(await store.count(coll, { $text: 'eclairage parc' })).toBe(1);
    });

    it('accepts documents with a `language` field in a text-searched collection', async () => {
      const coll = await collection(['title']);
      await store.commit({ puts: [{ collection: coll, doc: { _id: 'a', title: 'Banc cassé', language: 'fr-BE' }, guarded: false }], deletes: [] });
      expect((await store.find(coll, { $text: 'banc' })).items.map((d) => d._id)).toEqual(['a']);
    });

    it('drops the text index when the text fields change', async () => {
      const coll = await collection(['title']);
      await store.commit({ puts: [{ collection: coll, doc: { _id: 'a', title: 'banc', subject: 'fontaine' }, guarded: false }], deletes: [] });
      await store.ensureCollection({ name: coll, indexes: [], textFields: ['subject'] });
      expect((await store.find(coll, { $text: 'fontaine' })).items.map((d) => d._id)).toEqual(['a']);
      expect((await store.find(coll, { $text: 'banc' })).items).toEqual([]);
    });

    it('refuses collection names differing only in case, and writes to a missing collection', async () => {
      const coll = await collection();
      await expect(store.ensureCollection({ name: coll.toUpperCase(), indexes: [] })).rejects.toThrow(TypeError);
      const missing = uniqueName('missing');
      await expect(
        store.commit({
          puts: [
            { collection: coll, doc: { _id: 'a' }, guarded: false },
            { collection: missing, doc: { _id: 'a' }, guarded: false },
          ],
          deletes: [],
        }),
      ).rejects.toThrow(/does not exist/);
      expect(await store.get(coll, 'a')).toBeNull();
      expect(await store.database().listCollections({ name: missing }).toArray()).toEqual([]);
    });

    it('keeps the newest of concurrent guarded writes to one document', async () => {
      const coll = await collection();
      const positions = Array.from({ length: 20 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
      await Promise.all(
        positions.map((p) => store.commit({ puts: [{ collection: coll, doc: { _id: 'hot', _position: String(p), n: p }, guarded: true }], deletes: [] })),
      );
      expect(await store.get(coll, 'hot')).toEqual({ _id: 'hot', _position: '20', n: 20 });
    });

    it('lets exactly one of two racing owners take a free lease', async () => {
      const lease = uniqueName('lease');
      const [a, b] = await Promise.all([store.acquireLease(lease, 'a', 10_000, 0), store.acquireLease(lease, 'b', 10_000, 0)]);
      expect([a, b].filter((l) => l !== null)).toHaveLength(1);
      expect((a ?? b)?.token).toBe(1);
    });

    it('fences commits racing with a takeover: none lands after the new holder got its token', async () => {
      const coll = await collection();
      const lease = uniqueName('lease');
      const old = await store.acquireLease(lease, 'old', 1_000, 0);
      const commits = Array.from({ length: 10 }, (_, i) =>
        store
          .commit({
            puts: [{ collection: coll, doc: { _id: `w${i}`, _position: '1' }, guarded: true }],
            deletes: [],
            fence: { lease, token: old!.token },
          })
          .then(
            () => 'ok',
            (e: unknown) => (e instanceof FencedError ? 'fenced' : e),
          ),
      );
      const takeover = await store.acquireLease(lease, 'new', 1_000, 5_000);
      const outcomes = await Promise.all(commits);
      expect(takeover?.token).toBe(old!.token + 1);
      expect(outcomes.every((o) => o === 'ok' || o === 'fenced')).toBe(true);
      // After the takeover, the old token can never commit again.
      const late = await rejectionOf(
        store.commit({ puts: [{ collection: coll, doc: { _id: 'late', _position: '1' }, guarded: true }], deletes: [], fence: { lease, token: old!.token } }),
      );
      expect(late).toBeInstanceOf(FencedError);
      expect(await store.get(coll, 'late')).toBeNull();
    });

    it('sees what another connection committed (state lives in the database)', async () => {
      const other = await MongoReadStore.connect(url, store.database().databaseName, { leaseClock: 'caller' });
      stores.push(other);
      const coll = await collection();
      const lease = uniqueName('lease');
      await store.commit({
        puts: [{ collection: coll, doc: { _id: 'a', n: 1 }, guarded: false }],
        deletes: [],
        checkpoint: { name: lease, position: 3n },
      });
      await store.setSetting(lease, 'g2');
      const mine = await store.acquireLease(lease, 'a', 10_000, 0);
      expect(await other.get(coll, 'a')).toEqual({ _id: 'a', n: 1 });
      expect(await other.getCheckpoint(lease)).toBe(3n);
      expect(await other.getSetting(lease)).toBe('g2');
      expect(await other.acquireLease(lease, 'b', 10_000, 1)).toBeNull();
      await store.releaseLease(lease, 'a');
      expect((await other.acquireLease(lease, 'b', 10_000, 2))?.token).toBe(mine!.token + 1);
      await other.deleteCheckpoint(lease);
      await other.close();
      await expect(other.get(coll, 'a')).rejects.toThrow(/closed/);
    });
  });
});

import { randomUUID } from 'crypto';
import {
  CollectionSpec,
  FencedError,
  Filter,
  FindOptions,
  ReadDocument,
  ReadStore,
  SortSpec,
  WriteBatch,
} from '../../src/infrastructure/read-store/read-store.port';

/**
 * Behaviour every ReadStore adapter must share. Written only against the port, and run against a
 * store that may be shared with other test runs (a MongoDB server): every test uses fresh
 * collection, checkpoint, lease and setting names, and drops the collections it created.
 *
 * Semantics pinned here beyond the port's comments:
 * - Filters are type-bracketed (a number matches numbers, a string strings, a boolean booleans);
 *   `null` matches null and missing; `$ne` matches missing; undefined values are ignored; range
 *   operators on booleans/null throw; unknown operators throw.
 * - Sort: null/missing lowest, then numbers, then strings (code point order); ties by _id.
 * - limit: default 50; above 1000 clamped to 1000; < 1 or non-integer throws RangeError.
 *   nextCursor is null exactly on the page holding the last match; a malformed cursor rejects.
 * - $text: all words, whole words, case- and diacritic-insensitive, no stemming; no words → nothing;
 *   a collection without text fields rejects.
 * - commit: puts in order, then deletes, then checkpoint; all or nothing; a guarded put needs
 *   `_position`, compared numerically.
 * - Leases: a fresh lease gets token 1; taking a free/released/expired lease (expiry <= now)
 *   adds 1, even for the same owner; renewing a valid lease keeps the token.
 * - getMany: found documents in the order of the ids, each once. Reads of a missing collection
 *   return nothing.
 */
export function readStoreContract(name: string, open: () => Promise<{ store: ReadStore; teardown: () => Promise<void> }>): void {
  describe(`ReadStore contract: ${name}`, () => {
    let store: ReadStore;
    let teardown: () => Promise<void>;
    const created = new Set<string>();
    const checkpoints = new Set<string>();

    beforeAll(async () => {
      ({ store, teardown } = await open());
    });

    afterAll(async () => {
      if (store) {
        for (const collection of created) await store.dropCollection(collection).catch(() => undefined);
        for (const checkpoint of checkpoints) await store.deleteCheckpoint(checkpoint).catch(() => undefined);
      }
      await teardown?.();
    });

    async function collection(spec: Partial<CollectionSpec> = {}): Promise<string> {
      const collectionName = uniqueName(spec.name ?? 'c');
      created.add(collectionName);
      await store.ensureCollection({ indexes: [], ...spec, name: collectionName });
      return collectionName;
    }

    function checkpointName(): string {
      const n = uniqueName('cp');
      checkpoints.add(n);
      return n;
    }

    async function putAll(coll: string, docs: ReadDocument[], guarded = false): Promise<void> {
      await store.commit({ puts: docs.map((doc) => ({ collection: coll, doc, guarded })), deletes: [] });
    }

    async function ids(coll: string, filter?: Filter, options?: FindOptions): Promise<string[]> {
      const page = await store.find(coll, filter, { limit: 1000, ...options });
      return page.items.map((d) => d._id);
    }

    async function walk(coll: string, filter: Filter | undefined, sort: SortSpec | undefined, limit: number) {
      const pages: ReadDocument[][] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 1000; guard++) {
        const page = await store.find(coll, filter, { sort, limit, cursor });
        pages.push(page.items);
        if (page.nextCursor === null) return pages;
        expect(typeof page.nextCursor).toBe('string');
        cursor = page.nextCursor;
      }
      throw new Error('pagination did not end');
    }

    describe('collections', () => {
      it('ensureCollection is idempotent and keeps the documents', async () => {
        const spec: Omit<CollectionSpec, 'name'> = {
          indexes: [
            {
              fields: [
                { field: 'council', direction: 1 },
                { field: 'at', direction: -1 },
              ],
            },
          ],
          textFields: ['title'],
        };
        const coll = await collection(spec);
        await store.ensureCollection({ ...spec, name: coll });
        await putAll(coll, [{ _id: 'a', _position: '1', council: 'c1', at: 3, title: 'Bonjour' }]);
        await store.ensureCollection({ ...spec, name: coll });
        await store.ensureCollection({ ...spec, name: coll });

        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _position: '1', council: 'c1', at: 3, title: 'Bonjour' });
        expect(await ids(coll, { $text: 'bonjour' })).toEqual(['a']);
        expect(await ids(coll, { council: 'c1' }, { sort: { field: 'at', direction: -1 } })).toEqual(['a']);
      });

      it('dropCollection removes the documents and their text entries; the name can be reused', async () => {
        const spec = { indexes: [{ fields: [{ field: 'n', direction: 1 as const }] }], textFields: ['title'] };
        const coll = await collection(spec);
        await putAll(coll, [
          { _id: 'a', n: 1, title: 'lampadaire' },
          { _id: 'b', n: 2, title: 'trottoir' },
        ]);

        await store.dropCollection(coll);

        expect(await store.get(coll, 'a')).toBeNull();
        expect(await store.getMany(coll, ['a', 'b'])).toEqual([]);
        expect(await store.find(coll)).toEqual({ items: [], nextCursor: null });
        expect(await store.count(coll)).toBe(0);
        await store.dropCollection(coll); // dropping a missing collection is a no-op

        await store.ensureCollection({ ...spec, name: coll });
        expect(await store.count(coll)).toBe(0);
        expect(await ids(coll, { $text: 'lampadaire' })).toEqual([]);
        await putAll(coll, [{ _id: 'c', n: 3, title: 'lampadaire' }]);
        expect(await ids(coll, { $text: 'lampadaire' })).toEqual(['c']);
        expect(await ids(coll)).toEqual(['c']);
      });

      it('reads of a collection that does not exist return nothing', async () => {
        const coll = uniqueName('missing');
        expect(await store.get(coll, 'a')).toBeNull();
        expect(await store.getMany(coll, ['a'])).toEqual([]);
        expect(await store.find(coll, { x: 1 })).toEqual({ items: [], nextCursor: null });
        expect(await store.count(coll)).toBe(0);
      });
    });

    describe('documents', () => {
      it('round-trips unicode, nested objects, numbers, booleans, arrays and nulls', async () => {
        const coll = await collection();
        const doc: ReadDocument = {
          _id: 'pétition/42 – إنارة',
          _position: '18446744',
          title: 'Éclairage public — إنارة عمومية — 公共照明 — 🏛️',
          quote: 'He said "no" \\ \n\t',
          council: { id: 'c-1', level: 'municipality', nested: { deep: [1, { x: 'y' }] } },
          numbers: [0, -1, 1.5, -0.25, 1e21, 9007199254740991, 123456.789],
          flags: [true, false],
          open: true,
          closed: false,
          nothing: null,
          empty: '',
          emptyObject: {},
          emptyArray: [],
          mixed: [1, 'two', null, { three: 3 }, [4]],
        };
        await putAll(coll, [doc]);

        expect(await store.get(coll, doc._id)).toEqual(doc);
        const [found] = (await store.find(coll)).items;
        expect(found).toEqual(doc);
        expect(typeof found._position).toBe('string');
        expect(await store.get(coll, 'absent')).toBeNull();
      });

      it('getMany returns the documents found, in the order asked, each once', async () => {
        const coll = await collection();
        await putAll(
          coll,
          ['a', 'b', 'c', 'd'].map((id) => ({ _id: id, v: id.toUpperCase() })),
        );

        const found = await store.getMany(coll, ['c', 'missing', 'a', 'c', 'd']);

        expect(found).toEqual([
          { _id: 'c', v: 'C' },
          { _id: 'a', v: 'A' },
          { _id: 'd', v: 'D' },
        ]);
        expect(await store.getMany(coll, [])).toEqual([]);
      });

      it('guarded writes land only when newer; positions compare as numbers', async () => {
        const coll = await collection();
        await putAll(coll, [{ _id: 'a', _position: '9', v: 'nine' }], true);

        await putAll(coll, [{ _id: 'a', _position: '8', v: 'older' }], true);
        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _position: '9', v: 'nine' });

        await putAll(coll, [{ _id: 'a', _position: '9', v: 'replayed' }], true);
        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _position: '9', v: 'nine' });

        await putAll(coll, [{ _id: 'a', _position: '10', v: 'ten' }], true); // "10" < "9" as strings
        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _position: '10', v: 'ten' });

        await putAll(coll, [{ _id: 'a', _position: '9', v: 'nine again' }], true);
        expect((await store.get(coll, 'a'))?.v).toBe('ten');

        await putAll(coll, [{ _id: 'a', _position: '100000000000000000', v: 'far' }], true);
        await putAll(coll, [{ _id: 'a', _position: '99999999999999999', v: 'just before' }], true);
        expect((await store.get(coll, 'a'))?.v).toBe('far');
      });

      it('unguarded writes always replace, and a guarded write then compares with what they stored', async () => {
        const coll = await collection();
        await putAll(coll, [{ _id: 'a', _position: '50', v: 1, extra: true }], true);

        await putAll(coll, [{ _id: 'a', _position: '3', v: 2 }], false);
        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _position: '3', v: 2 });

        await putAll(coll, [{ _id: 'a', _position: '4', v: 3 }], true);
        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _position: '4', v: 3 });

        await putAll(coll, [{ _id: 'a', v: 'no position' }], false);
        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', v: 'no position' });

        // A stored document without _position is overwritten by any guarded write.
        await putAll(coll, [{ _id: 'a', _position: '1', v: 'guarded' }], true);
        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _position: '1', v: 'guarded' });
      });

      it('a guarded write without _position is refused, and the commit writes nothing', async () => {
        const coll = await collection();
        const cp = checkpointName();
        const error = await rejectionOf(
          store.commit({
            puts: [
              { collection: coll, doc: { _id: 'ok', _position: '1' }, guarded: true },
              { collection: coll, doc: { _id: 'bad' }, guarded: true },
            ],
            deletes: [],
            checkpoint: { name: cp, position: 1n },
          }),
        );
        expect(error).toBeInstanceOf(Error);
        expect(await store.getMany(coll, ['ok', 'bad'])).toEqual([]);
        expect(await store.getCheckpoint(cp)).toBeNull();
      });

      it('applies the puts of one commit in order, then the deletes', async () => {
        const coll = await collection();
        await store.commit({
          puts: [
            { collection: coll, doc: { _id: 'a', _position: '5', v: 'five' }, guarded: true },
            { collection: coll, doc: { _id: 'a', _position: '3', v: 'three' }, guarded: true },
            { collection: coll, doc: { _id: 'b', _position: '1', v: 'one' }, guarded: true },
            { collection: coll, doc: { _id: 'b', _position: '2', v: 'two' }, guarded: true },
            { collection: coll, doc: { _id: 'c', _position: '1', v: 'doomed' }, guarded: true },
          ],
          deletes: [{ collection: coll, id: 'c' }],
        });

        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _position: '5', v: 'five' });
        expect(await store.get(coll, 'b')).toEqual({ _id: 'b', _position: '2', v: 'two' });
        expect(await store.get(coll, 'c')).toBeNull();
      });

      it('deletes documents; deleting a missing one is a no-op', async () => {
        const coll = await collection();
        await putAll(
          coll,
          ['a', 'b', 'c'].map((id) => ({ _id: id })),
        );

        await store.commit({
          puts: [],
          deletes: [
            { collection: coll, id: 'b' },
            { collection: coll, id: 'never-there' },
          ],
        });

        expect(await ids(coll)).toEqual(['a', 'c']);
        expect(await store.get(coll, 'b')).toBeNull();
        expect(await store.count(coll)).toBe(2);
      });

      it('writes to several collections in one commit', async () => {
        const one = await collection();
        const two = await collection();
        await store.commit({
          puts: [
            { collection: one, doc: { _id: 'x', n: 1 }, guarded: false },
            { collection: two, doc: { _id: 'x', n: 2 }, guarded: false },
          ],
          deletes: [],
        });
        expect((await store.get(one, 'x'))?.n).toBe(1);
        expect((await store.get(two, 'x'))?.n).toBe(2);
      });

      it('a unique index refuses a duplicate, and the commit writes nothing', async () => {
        const coll = await collection({ indexes: [{ fields: [{ field: 'email', direction: 1 }], unique: true }] });
        const cp = checkpointName();
        await putAll(coll, [{ _id: 'a', email: 'a@example.org' }]);

        const error = await rejectionOf(
          store.commit({
            puts: [
              { collection: coll, doc: { _id: 'b', email: 'b@example.org' }, guarded: false },
              { collection: coll, doc: { _id: 'c', email: 'a@example.org' }, guarded: false },
            ],
            deletes: [],
            checkpoint: { name: cp, position: 7n },
          }),
        );

        // Not toBeInstanceOf(Error): a driver's error class may come from another realm (Jest's VM contexts).
        expect(String((error as { message?: unknown })?.message)).toMatch(/unique|duplicate/i);
        expect(await ids(coll)).toEqual(['a']);
        expect(await store.getCheckpoint(cp)).toBeNull();
      });
    });

    describe('checkpoints and fencing', () => {
      it('stores checkpoints as bigints; unknown is null; delete forgets', async () => {
        const cp = checkpointName();
        expect(await store.getCheckpoint(cp)).toBeNull();

        await store.commit({ puts: [], deletes: [], checkpoint: { name: cp, position: 42n } });
        expect(await store.getCheckpoint(cp)).toBe(42n);

        await store.commit({ puts: [], deletes: [], checkpoint: { name: cp, position: 2n ** 62n + 1n } });
        expect(await store.getCheckpoint(cp)).toBe(2n ** 62n + 1n);

        await store.commit({ puts: [], deletes: [], checkpoint: { name: cp, position: 5n } });
        expect(await store.getCheckpoint(cp)).toBe(5n);

        await store.deleteCheckpoint(cp);
        expect(await store.getCheckpoint(cp)).toBeNull();
      });

      it('stores the checkpoint with the documents; a stale fence writes neither', async () => {
        const coll = await collection();
        const cp = checkpointName();
        const lease = uniqueName('lease');
        const mine = await store.acquireLease(lease, 'me', 1000, 1_000_000);
        expect(mine).not.toBeNull();

        await store.commit({
          puts: [{ collection: coll, doc: { _id: 'a', _position: '1', v: 1 }, guarded: true }],
          deletes: [],
          checkpoint: { name: cp, position: 1n },
          fence: { lease, token: mine!.token },
        });
        expect(await store.getCheckpoint(cp)).toBe(1n);

        // The lease expires and someone else takes it.
        const theirs = await store.acquireLease(lease, 'them', 1000, 1_001_000);
        expect(theirs?.token).toBe(mine!.token + 1);

        const error = await rejectionOf(
          store.commit({
            puts: [
              { collection: coll, doc: { _id: 'a', _position: '2', v: 2 }, guarded: true },
              { collection: coll, doc: { _id: 'b', _position: '2', v: 2 }, guarded: true },
            ],
            deletes: [{ collection: coll, id: 'a' }],
            checkpoint: { name: cp, position: 2n },
            fence: { lease, token: mine!.token },
          }),
        );

        expect(error).toBeInstanceOf(FencedError);
        expect(await store.get(coll, 'a')).toEqual({ _id: 'a', _position: '1', v: 1 });
        expect(await store.get(coll, 'b')).toBeNull();
        expect(await store.getCheckpoint(cp)).toBe(1n);

        // The new holder's token is accepted.
        await store.commit({
          puts: [{ collection: coll, doc: { _id: 'b', _position: '2', v: 2 }, guarded: true }],
          deletes: [],
          checkpoint: { name: cp, position: 2n },
          fence: { lease, token: theirs!.token },
        });
        expect(await store.get(coll, 'b')).toEqual({ _id: 'b', _position: '2', v: 2 });
        expect(await store.getCheckpoint(cp)).toBe(2n);
      });

      it('fences commits on a lease that was never taken', async () => {
        const cp = checkpointName();
        const error = await rejectionOf(
          store.commit({ puts: [], deletes: [], checkpoint: { name: cp, position: 1n }, fence: { lease: uniqueName('none'), token: 1 } }),
        );
        expect(error).toBeInstanceOf(FencedError);
        expect(await store.getCheckpoint(cp)).toBeNull();
      });
    });

    describe('leases', () => {
      it('acquires a fresh lease with token 1 and renews it for the same owner, same token', async () => {
        const lease = uniqueName('lease');
        const first = await store.acquireLease(lease, 'a', 10_000, 1_000);
        expect(first).toEqual({ name: lease, owner: 'a', token: 1, expiresAt: 11_000 });

        const renewed = await store.acquireLease(lease, 'a', 10_000, 5_000);
        expect(renewed).toEqual({ name: lease, owner: 'a', token: 1, expiresAt: 15_000 });
      });

      it('refuses another owner while valid, hands it over at expiry with a higher token', async () => {
        const lease = uniqueName('lease');
        const a = await store.acquireLease(lease, 'a', 10_000, 1_000);
        expect(await store.acquireLease(lease, 'b', 10_000, 2_000)).toBeNull();
        expect(await store.acquireLease(lease, 'b', 10_000, 10_999)).toBeNull();

        const b = await store.acquireLease(lease, 'b', 10_000, 11_000); // expiry <= now: expired
        expect(b).toEqual({ name: lease, owner: 'b', token: a!.token + 1, expiresAt: 21_000 });
        expect(await store.acquireLease(lease, 'a', 10_000, 12_000)).toBeNull();

        // Even the same owner gets a new token once its lease has expired.
        const b2 = await store.acquireLease(lease, 'b', 10_000, 30_000);
        expect(b2?.token).toBe(b!.token + 1);
      });

      it('release frees the lease for others but keeps tokens growing; only the owner releases', async () => {
        const lease = uniqueName('lease');
        const a = await store.acquireLease(lease, 'a', 10_000, 1_000);

        await store.releaseLease(lease, 'b'); // not the owner: nothing happens
        expect(await store.acquireLease(lease, 'b', 10_000, 2_000)).toBeNull();

        await store.releaseLease(lease, 'a');
        const b = await store.acquireLease(lease, 'b', 10_000, 2_000);
        expect(b?.token).toBe(a!.token + 1);

        await store.releaseLease(lease, 'b');
        const a2 = await store.acquireLease(lease, 'a', 10_000, 3_000);
        expect(a2?.token).toBe(b!.token + 1);
        await store.releaseLease(uniqueName('never'), 'a'); // releasing an unknown lease is a no-op
      });

      it('keeps leases independent by name', async () => {
        const one = uniqueName('lease');
        const two = uniqueName('lease');
        expect(await store.acquireLease(one, 'a', 1000, 0)).not.toBeNull();
        expect(await store.acquireLease(two, 'b', 1000, 0)).not.toBeNull();
        expect(await store.acquireLease(one, 'b', 1000, 10)).toBeNull();
      });
    });

    describe('filters', () => {
      let coll: string;
      const docs: ReadDocument[] = [
        { _id: 'a', n: 1, s: 'apple', b: true, council: { level: 'city', id: 'c1' }, tag: 'x', opt: 'here' },
        { _id: 'b', n: 2, s: 'banana', b: false, council: { level: 'region' }, tag: 'y', opt: null },
        { _id: 'c', n: 3, s: 'cherry', b: true, council: { level: 'city' } },
        { _id: 'd', n: 10, s: 'date', b: false, council: null, tag: 'x', opt: 'here' },
        { _id: 'e', n: 2.5, s: 'Éclair', b: true, council: { level: 'department' }, tag: 'z' },
        { _id: 'f', n: '2', s: 3, b: 1, tag: 'y' },
        { _id: 'g', n: 0, s: "x' OR 1=1 --", b: 0, council: { level: null } },
      ];

      beforeAll(async () => {
        coll = await collection({
          indexes: [
            { fields: [{ field: 'n', direction: 1 }] },
            {
              fields: [
                { field: 'b', direction: 1 },
                { field: 'n', direction: -1 },
              ],
            },
            {
              fields: [
                { field: 'council.level', direction: 1 },
                { field: 's', direction: 1 },
              ],
            },
          ],
        });
        await putAll(coll, docs);
      });

      const cases: Array<[string, Filter, string[]]> = [
        ['no filter', {}, ['a', 'b', 'c', 'd', 'e', 'f', 'g']],
        ['string equality', { s: 'banana' }, ['b']],
        ['number equality matches numbers only', { n: 2 }, ['b']],
        ['string equality does not match numbers', { n: '2' }, ['f']],
        ['number equality matches floats', { n: 2.5 }, ['e']],
        ['true matches booleans only', { b: true }, ['a', 'c', 'e']],
        ['false matches booleans only', { b: false }, ['b', 'd']],
        ['1 does not match true', { b: 1 }, ['f']],
        ['0 does not match false', { b: 0 }, ['g']],
        ['$eq', { s: { $eq: 'apple' } }, ['a']],
        ['$eq true', { b: { $eq: true } }, ['a', 'c', 'e']],
        ['$ne string matches missing fields too', { tag: { $ne: 'x' } }, ['b', 'c', 'e', 'f', 'g']],
        ['$ne true', { b: { $ne: true } }, ['b', 'd', 'f', 'g']],
        ['$ne number', { n: { $ne: 2 } }, ['a', 'c', 'd', 'e', 'f', 'g']],
        ['$in strings', { s: { $in: ['apple', 'date', 'zzz'] } }, ['a', 'd']],
        ['$in numbers and strings, type by type', { n: { $in: [1, 3, '2'] } }, ['a', 'c', 'f']],
        ['$in booleans', { b: { $in: [false] } }, ['b', 'd']],
        ['$in with null matches missing', { tag: { $in: [null, 'z'] } }, ['c', 'e', 'g']],
        ['empty $in matches nothing', { s: { $in: [] } }, []],
        ['$gt/$lte on numbers skip strings', { n: { $gt: 1, $lte: 3 } }, ['b', 'c', 'e']],
        ['$gte number', { n: { $gte: 3 } }, ['c', 'd']],
        ['$lt number skips booleans and strings', { b: { $lt: 1 } }, ['g']],
        ['$gte/$lt on strings skip numbers', { s: { $gte: 'b', $lt: 'd' } }, ['b', 'c']],
        ['strings compare by code point', { s: { $gt: 'd' } }, ['d', 'e', 'g']],
        ['$lte string', { s: { $lte: 'apple' } }, ['a']],
        ['dot path', { 'council.level': 'city' }, ['a', 'c']],
        ['dot path null matches null, missing and a null parent', { 'council.level': null }, ['d', 'f', 'g']],
        ['dot path $ne null', { 'council.level': { $ne: null } }, ['a', 'b', 'c', 'e']],
        ['dot path $in', { 'council.level': { $in: ['region', 'department'] } }, ['b', 'e']],
        ['null matches null and missing', { opt: null }, ['b', 'c', 'e', 'f', 'g']],
        ['$eq null matches null and missing', { opt: { $eq: null } }, ['b', 'c', 'e', 'f', 'g']],
        ['$ne null matches present values', { opt: { $ne: null } }, ['a', 'd']],
        ['fields are ANDed', { b: true, 'council.level': 'city' }, ['a', 'c']],
        ['operators are ANDed', { n: { $gte: 1, $ne: 2, $lt: 10 } }, ['a', 'c', 'e']],
        ['_id equality', { _id: 'c' }, ['c']],
        ['_id $in', { _id: { $in: ['c', 'a', 'zz'] } }, ['a', 'c']],
        ['_id range', { _id: { $gt: 'c', $lte: 'e' } }, ['d', 'e']],
        ['undefined values are ignored', { n: undefined, s: { $eq: 'apple', $ne: undefined } }, ['a']],
        ['values are never SQL', { s: "x' OR 1=1 --" }, ['g']],
        ['no match', { s: 'nothing' }, []],
      ];

      it.each(cases)('%s', async (_label, filter, expected) => {
        expect(await ids(coll, filter)).toEqual(expected);
        expect(await store.count(coll, filter)).toBe(expected.length);
      });

      it('rejects unsupported operators, ranges on booleans or null, and non-scalar values', async () => {
        const bad: Filter[] = [
          { n: { $regex: 'x' } as never },
          { n: { $gt: true } },
          { n: { $lt: null } },
          { n: { $in: 'a' as never } },
          { n: { nested: 1 } as never },
          { n: [1, 2] as never },
          { $or: [] as never },
        ];
        for (const filter of bad) {
          await expect(store.find(coll, filter)).rejects.toThrow();
        }
      });
    });

    describe('text search', () => {
      let coll: string;

      beforeAll(async () => {
        coll = await collection({
          textFields: ['title', 'subject'],
          indexes: [{ fields: [{ field: 'n', direction: 1 }] }],
        });
        await putAll(
          coll,
          [
            { _id: 't1', _position: '1', n: 1, title: 'Éclairage public défaillant', subject: 'Rue de la République' },
            { _id: 't2', _position: '1', n: 2, title: 'إنارة عمومية معطلة', subject: 'حي النصر' },
            { _id: 't3', _position: '1', n: 3, title: 'Nettoyage du parc', subject: "Bancs et l'éclairage" },
            { _id: 't4', _position: '1', n: 4, title: 'PUBLIC transport', subject: 'Buses' },
            { _id: 't5', _position: '1', n: 5, title: 'Éclairages festifs', subject: null },
            { _id: 't6', _position: '1', n: 6, other: 'eclairage public (not a text field)' },
          ],
          true,
        );
      });

      const cases: Array<[string, string, string[]]> = [
        ['one word, without accents', 'eclairage', ['t1', 't3']],
        ['one word, with accents and capitals', 'ÉCLAIRAGE', ['t1', 't3']],
        ['all words must occur', 'eclairage public', ['t1']],
        ['in any order', 'public éclairage', ['t1']],
        ['across text fields', 'nettoyage bancs', ['t3']],
        ['case-insensitive', 'public', ['t1', 't4']],
        ['whole words only', 'eclair', []],
        ['no stemming', 'eclairages', ['t5']],
        ['Arabic words', 'إنارة عمومية', ['t2']],
        ['one Arabic word', 'النصر', ['t2']],
        ['Arabic word missing', 'إنارة مدرسة', []],
        ['operators are words', 'eclairage OR transport', []],
        ['no words matches nothing', '   ', []],
        ['punctuation only matches nothing', '-- ! ?', []],
      ];

      it.each(cases)('%s: %s', async (_label, text, expected) => {
        expect(await ids(coll, { $text: text })).toEqual(expected);
        expect(await store.count(coll, { $text: text })).toBe(expected.length);
      });

      it('does not let search input inject query syntax', async () => {
        for (const text of ['"', 'public*', 'NEAR(public eclairage)', '^public', 'title:public', 'a AND', '(', "'"]) {
          await expect(store.find(coll, { $text: text })).resolves.toHaveProperty('items');
        }
      });

      it('combines with filters, sort and pagination', async () => {
        expect(await ids(coll, { $text: 'eclairage', n: { $gte: 2 } })).toEqual(['t3']);
        expect(await ids(coll, { $text: 'eclairage' }, { sort: { field: 'n', direction: -1 } })).toEqual(['t3', 't1']);
        const pages = await walk(coll, { $text: 'public' }, { field: 'n', direction: -1 }, 1);
        expect(pages.map((p) => p.map((d) => d._id))).toEqual([['t4'], ['t1']]);
      });

      it('follows updates and deletes; stale guarded writes leave it alone', async () => {
        const own = await collection({ textFields: ['title'] });
        await putAll(
          own,
          [
            { _id: 'x', _position: '5', title: 'Banc cassé' },
            { _id: 'y', _position: '5', title: 'Banc neuf' },
          ],
          true,
        );
        expect(await ids(own, { $text: 'banc' })).toEqual(['x', 'y']);

        await putAll(own, [{ _id: 'x', _position: '4', title: 'Fontaine' }], true); // stale: ignored
        expect(await ids(own, { $text: 'fontaine' })).toEqual([]);

        await putAll(own, [{ _id: 'x', _position: '6', title: 'Fontaine' }], true);
        expect(await ids(own, { $text: 'banc' })).toEqual(['y']);
        expect(await ids(own, { $text: 'fontaine' })).toEqual(['x']);

        await putAll(own, [{ _id: 'x', _position: '7' }], true); // the text field is gone
        expect(await ids(own, { $text: 'fontaine' })).toEqual([]);

        await store.commit({ puts: [], deletes: [{ collection: own, id: 'y' }] });
        expect(await ids(own, { $text: 'banc' })).toEqual([]);
      });

      it('rejects $text on a collection without text fields', async () => {
        const plain = await collection();
        await putAll(plain, [{ _id: 'a', title: 'public' }]);
        await expect(store.find(plain, { $text: 'public' })).rejects.toThrow();
      });
    });

    describe('sort and pagination', () => {
      let coll: string;
      const docs: ReadDocument[] = [];
      for (let i = 0; i < 36; i++) {
        const doc: ReadDocument = { _id: `d${String(i).padStart(2, '0')}`, group: i % 3 === 0 ? 'g0' : 'g1' };
        // Repeated scores, some null, some missing; repeated names.
        if (i % 9 === 4) doc.score = null;
        else if (i % 9 !== 7) doc.score = (i * 7) % 5;
        doc.name = ['mairie', 'école', 'parc', 'Zoo', 'arbre'][i % 5];
        doc.when = 1_700_000_000_000 + ((i * 13) % 36) * 1000; // all distinct
        docs.push(doc);
      }
      // Shuffle the insertion order so storage order cannot pass for sort order.
      const inserted = [...docs].sort((x, y) => hash(x._id) - hash(y._id));

      beforeAll(async () => {
        coll = await collection({
          indexes: [
            { fields: [{ field: 'score', direction: 1 }] },
            {
              fields: [
                { field: 'group', direction: 1 },
                { field: 'score', direction: -1 },
              ],
            },
            { fields: [{ field: 'when', direction: -1 }] },
          ],
        });
        await putAll(coll, inserted);
      });

      const sorts: Array<SortSpec | undefined> = [
        undefined,
        { field: '_id', direction: 1 },
        { field: '_id', direction: -1 },
        { field: 'score', direction: 1 },
        { field: 'score', direction: -1 },
        { field: 'name', direction: 1 },
        { field: 'name', direction: -1 },
        { field: 'when', direction: -1 },
        { field: 'missingEverywhere', direction: 1 },
        { field: 'missingEverywhere', direction: -1 },
      ];

      it.each(sorts.map((s) => [s ? `${s.field} ${s.direction}` : 'default', s] as const))(
        'sorts by %s, nulls lowest, ties by _id in the same direction',
        async (_label, sort) => {
          const page = await store.find(coll, {}, { sort, limit: 100 });
          expect(page.items.map((d) => d._id)).toEqual(expectedOrder(docs, sort).map((d) => d._id));
          expect(page.nextCursor).toBeNull();
        },
      );

      it.each([1, 2, 5, 7, 12, 35, 36, 37, 50])('walks every document exactly once in order, %i per page', async (size) => {
        for (const sort of sorts) {
          for (const filter of [undefined, { group: 'g1' }, { group: 'g0', score: { $gte: 1 } }]) {
            const expected = expectedOrder(
              docs.filter((d) => matches(d, filter)),
              sort,
            ).map((d) => d._id);
            const pages = await walk(coll, filter, sort, size);
            const seen = pages.flat().map((d) => d._id);
            expect({ sort, filter, seen }).toEqual({ sort, filter, seen: expected });
            // Full pages, and no empty page at the end.
            expect(pages.length).toBe(Math.max(1, Math.ceil(expected.length / size)));
            pages.slice(0, -1).forEach((p) => expect(p).toHaveLength(size));
          }
        }
      });

      it('rejects a malformed cursor', async () => {
        await expect(store.find(coll, {}, { cursor: 'not a cursor!' })).rejects.toThrow();
        await expect(store.find(coll, {}, { cursor: Buffer.from('{"x":1}').toString('base64url') })).rejects.toThrow();
      });
    });

    describe('limits and count', () => {
      let coll: string;

      beforeAll(async () => {
        coll = await collection({ indexes: [{ fields: [{ field: 'odd', direction: 1 }] }] });
        const docs = Array.from({ length: 1001 }, (_, i) => ({ _id: `x${String(i).padStart(4, '0')}`, odd: i % 2 === 1 }));
        await putAll(coll, docs);
      });

      it('returns 50 documents by default', async () => {
        const page = await store.find(coll);
        expect(page.items).toHaveLength(50);
        expect(page.items[0]._id).toBe('x0000');
        expect(page.nextCursor).not.toBeNull();
      });

      it('clamps limits above 1000 to 1000', async () => {
        const page = await store.find(coll, {}, { limit: 5000 });
        expect(page.items).toHaveLength(1000);
        const rest = await store.find(coll, {}, { limit: 1000, cursor: page.nextCursor! });
        expect(rest.items.map((d) => d._id)).toEqual(['x1000']);
        expect(rest.nextCursor).toBeNull();
      });

      it('rejects limits below 1 or not integers with RangeError', async () => {
        for (const limit of [0, -1, 1.5, Number.NaN]) {
          const error = await rejectionOf(store.find(coll, {}, { limit }));
          expect(error).toBeInstanceOf(RangeError);
        }
      });

      it('counts documents, with and without a filter', async () => {
        expect(await store.count(coll)).toBe(1001);
        expect(await store.count(coll, { odd: true })).toBe(500);
        expect(await store.count(coll, { odd: false })).toBe(501);
        expect(await store.count(coll, { odd: { $ne: false }, _id: { $lt: 'x0010' } })).toBe(5);
      });
    });

    describe('settings', () => {
      it('stores, overwrites and reads settings', async () => {
        const key = uniqueName('setting');
        expect(await store.getSetting(key)).toBeNull();
        await store.setSetting(key, 'g1');
        expect(await store.getSetting(key)).toBe('g1');
        await store.setSetting(key, 'génération 2 — الجيل');
        expect(await store.getSetting(key)).toBe('génération 2 — الجيل');
        await store.setSetting(key, '');
        expect(await store.getSetting(key)).toBe('');
      });
    });
  });
}

// -------------------------------------------------------------------------------------------------
// Helpers, shared with adapter-specific specs

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection');
}

export function batchOf(collection: string, docs: ReadDocument[], guarded = true): WriteBatch {
  return { puts: docs.map((doc) => ({ collection, doc, guarded })), deletes: [] };
}

function valueAt(doc: ReadDocument, field: string): unknown {
  let value: unknown = doc;
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Reference order for values that are null/missing, numbers or strings (code point order). */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'number' ? 1 : 2);
  const byRank = rank(a) - rank(b);
  if (byRank !== 0 || rank(a) === 0) return byRank;
  if (typeof a === 'string' && typeof b === 'string') {
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }
  return (a as number) - (b as number);
}

function expectedOrder(docs: ReadDocument[], sort: SortSpec | undefined): ReadDocument[] {
  const field = sort?.field ?? '_id';
  const direction = sort?.direction ?? 1;
  return [...docs].sort((x, y) => direction * (compareValues(valueAt(x, field), valueAt(y, field)) || compareValues(x._id, y._id)));
}

/** Evaluates the small filters the pagination test uses. */
function matches(doc: ReadDocument, filter: Filter | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([field, condition]) => {
    const value = valueAt(doc, field);
    if (condition !== null && typeof condition === 'object') {
      const c = condition as { $gte?: number };
      return typeof value === 'number' && value >= c.$gte!;
    }
    return value === condition;
  });
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

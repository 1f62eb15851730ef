import { Long } from 'mongodb';
import type { Document } from 'mongodb';
import {
  andFilters,
  checkCheckpointPosition,
  collectionName,
  CursorPosition,
  cursorAfter,
  decodeCursor,
  describeMongoHosts,
  documentMatchesText,
  encodeCursor,
  fieldPath,
  foldText,
  fromStoredDocument,
  guardedReplacePipeline,
  indexDescription,
  indexDescriptions,
  keysetCondition,
  longToPosition,
  parsePosition,
  POSITION_FIELD,
  positionToLong,
  quoteTextSearch,
  redactCredentials,
  resolveLimit,
  resolveSort,
  TEXT_INDEX_NAME,
  TEXT_LANGUAGE_FIELD,
  textFieldsOfIndex,
  textQuery,
  toMongoSort,
  toStoredDocument,
  translateCondition,
  translateFilter,
  valueAtPath,
} from '../../src/infrastructure/read-store/mongo/mongo-mapping';
import { MongoReadStore } from '../../src/infrastructure/read-store/mongo/mongo-read-store';
import type { Filter, SortSpec } from '../../src/infrastructure/read-store/read-store.port';

describe('mongo-mapping', () => {
  describe('names and paths', () => {
    it('accepts [A-Za-z0-9_] collection names and refuses the rest with TypeError', () => {
      expect(collectionName('petitions_g1')).toBe('petitions_g1');
      for (const bad of ['', 'a.b', 'a-b', 'a b', '$cmd', 'system.x', 'é', 42, undefined]) {
        expect(() => collectionName(bad)).toThrow(TypeError);
      }
    });

    it('accepts dot paths of plain keys and refuses operators and odd keys with TypeError', () => {
      expect(fieldPath('council.level')).toBe('council.level');
      for (const bad of ['', '$where', 'a.$gt', 'a..b', '.a', 'a.', 'a b', 'a-b', 'é', null]) {
        expect(() => fieldPath(bad)).toThrow(TypeError);
      }
    });
  });

  describe('positions', () => {
    it('parses canonical decimal strings below 2^63 and refuses the rest with TypeError', () => {
      expect(parsePosition('0')).toBe(0n);
      expect(parsePosition('9223372036854775807')).toBe(2n ** 63n - 1n);
      for (const bad of ['', '01', '-1', '1.0', ' 1', '1e3', '0x10', '9223372036854775808', 7, 7n, null]) {
        expect(() => parsePosition(bad)).toThrow(TypeError);
      }
    });

    it('stores positions as Int64, exact above 2^53, and reads them back', () => {
      const big = 2n ** 53n + 1n; // 9007199254740993: not representable as a double
      const long = positionToLong(big.toString());
      expect(long).toBeInstanceOf(Long);
      expect(long.toString()).toBe('9007199254740993');
      expect(long.toBigInt()).toBe(big);
      expect(longToPosition(long)).toBe(big);
      expect(positionToLong(2n ** 63n - 1n).toBigInt()).toBe(2n ** 63n - 1n);
      expect(() => positionToLong(2n ** 63n)).toThrow(RangeError);
      expect(() => positionToLong(-1n)).toThrow(RangeError);
      // Numeric comparison, where strings would say "10" < "9".
      expect(positionToLong('10').greaterThan(positionToLong('9'))).toBe(true);
      expect(positionToLong('100000000000000000').greaterThan(positionToLong('99999999999999999'))).toBe(true);
    });

    it('reads promoted numbers, strings and nulls back', () => {
      expect(longToPosition(42)).toBe(42n);
      expect(longToPosition('42')).toBe(42n);
      expect(longToPosition(null)).toBeNull();
      expect(longToPosition(undefined)).toBeNull();
      expect(() => longToPosition(1.5)).toThrow(TypeError);
    });

    it('checks checkpoint positions with RangeError', () => {
      expect(checkCheckpointPosition('cp', 2n ** 62n + 1n)).toBe(2n ** 62n + 1n);
      for (const bad of [-1n, 2n ** 63n, 5, '5']) expect(() => checkCheckpointPosition('cp', bad)).toThrow(RangeError);
    });
  });

  describe('filters', () => {
    const cases: Array<[string, Filter, Document]> = [
      ['no filter', {}, {}],
      ['scalar string is $eq', { s: 'banana' }, { s: { $eq: 'banana' } }],
      ['scalar number is $eq', { n: 2 }, { n: { $eq: 2 } }],
      ['scalar boolean is $eq', { b: false }, { b: { $eq: false } }],
      ['null is $eq null (matches missing in MongoDB)', { opt: null }, { opt: { $eq: null } }],
      ['$eq', { s: { $eq: 'apple' } }, { s: { $eq: 'apple' } }],
      ['$ne', { tag: { $ne: 'x' } }, { tag: { $ne: 'x' } }],
      ['$ne null', { opt: { $ne: null } }, { opt: { $ne: null } }],
      ['$in', { n: { $in: [1, 3, '2', null, true] } }, { n: { $in: [1, 3, '2', null, true] } }],
      ['empty $in', { s: { $in: [] } }, { s: { $in: [] } }],
      ['$gt $lte', { n: { $gt: 1, $lte: 3 } }, { n: { $gt: 1, $lte: 3 } }],
      ['$gte $lt on strings', { s: { $gte: 'b', $lt: 'd' } }, { s: { $gte: 'b', $lt: 'd' } }],
      ['dot path', { 'council.level': 'city' }, { 'council.level': { $eq: 'city' } }],
      ['dot path $in', { 'council.level': { $in: ['region'] } }, { 'council.level': { $in: ['region'] } }],
      ['several fields', { b: true, 'council.level': 'city' }, { b: { $eq: true }, 'council.level': { $eq: 'city' } }],
      ['_id', { _id: 'c' }, { _id: { $eq: 'c' } }],
      ['_id range', { _id: { $gt: 'c', $lte: 'e' } }, { _id: { $gt: 'c', $lte: 'e' } }],
      ['_id $ne null', { _id: { $ne: null } }, { _id: { $ne: null } }],
      ['undefined values are ignored', { n: undefined, s: { $eq: 'apple', $ne: undefined } }, { s: { $eq: 'apple' } }],
      ['a condition of undefined operands only is no condition', { s: { $eq: undefined } }, {}],
      ['values are data, never operators', { s: '$where' }, { s: { $eq: '$where' } }],
    ];

    it.each(cases)('%s', (_label, filter, expected) => {
      const translated = translateFilter(filter);
      expect(translated.filter).toEqual(expected);
      expect(translated.text).toBeNull();
    });

    it('takes an undefined or null filter as no filter', () => {
      expect(translateFilter(undefined)).toEqual({ filter: {}, text: null });
      expect(translateFilter(null)).toEqual({ filter: {}, text: null });
    });

    it('refuses what the port does not define, with TypeError', () => {
      const bad: unknown[] = [
        { n: { $regex: 'x' } },
        { n: { $where: 'sleep(1000)' } },
        { n: { $exists: true } },
        { n: { $gt: true } },
        { n: { $lte: false } },
        { n: { $lt: null } },
        { n: { $in: 'a' } },
        { n: { $in: [{ $gt: 1 }] } },
        { n: { $eq: { $gt: '' } } },
        { n: { nested: 1 } },
        { n: {} },
        { n: [1, 2] },
        { n: Number.NaN },
        { n: Number.POSITIVE_INFINITY },
        { $or: [] },
        { $where: 'true' },
        { 'a.$gt': 1 },
        { 'bad field': 1 },
        { _id: 1 },
        { _id: null },
        { _id: { $in: ['a', 2] } },
        { _id: { $gt: 1 } },
        { $text: 42 },
        'not an object',
        [],
      ];
      for (const filter of bad) {
        expect(() => translateFilter(filter as Filter)).toThrow(TypeError);
      }
    });

    it('translates one condition at a time too', () => {
      expect(translateCondition('n', 5)).toEqual({ $eq: 5 });
      expect(translateCondition('n', { $gte: 1, $ne: 2, $lt: 10 })).toEqual({ $gte: 1, $ne: 2, $lt: 10 });
      expect(translateCondition('n', { $ne: undefined })).toBeNull();
    });
  });

  describe('text search', () => {
    it('quotes every word so that MongoDB requires all of them', () => {
      expect(quoteTextSearch('eclairage public')).toBe('"eclairage" "public"');
      expect(translateFilter({ $text: 'eclairage public', n: { $gte: 2 } })).toEqual({
        filter: { $text: { $search: '"eclairage" "public"' }, n: { $gte: 2 } },
        text: { words: [['eclairage'], ['public']], search: '"eclairage" "public"' },
      });
    });

    it('keeps quotes, minus signs and other syntax of user input out of the search', () => {
      expect(quoteTextSearch('"public" -transport')).toBe('"public" "transport"');
      expect(quoteTextSearch('-public --"éclairage"')).toBe('"public" "éclairage"');
      expect(quoteTextSearch('a\\" OR "b')).toBe('"a" "OR" "b"');
      expect(quoteTextSearch('NEAR(public eclairage)')).toBe('"NEAR" "public" "eclairage"');
      expect(quoteTextSearch('title:public^2 public*')).toBe('"title" "public" "2"');
      const hostile = ['"', "'", '(', 'a AND', '"-"', '\\"\\"', '"a" "-b" -"c"', '$where', '{"$gt":""}', '\u201Cpublic\u201D'];
      for (const input of hostile) {
        const search = quoteTextSearch(input);
        // Only quoted runs of letters and digits, separated by single spaces.
        expect(search).toMatch(/^("[\p{L}\p{N}\p{M}\p{Co}]+"( "[\p{L}\p{N}\p{M}\p{Co}]+")*)?$/u);
      }
    });

    it('splits words like the embedded store: white space, each word needing a letter or digit', () => {
      expect(textQuery("Bancs et l'éclairage").words).toEqual([['Bancs'], ['et'], ['l', 'éclairage']]);
      expect(textQuery('  -- ! ?  ')).toEqual({ words: [], search: '' });
      expect(textQuery('   ')).toEqual({ words: [], search: '' });
      expect(textQuery('إنارة عمومية').words).toEqual([['إنارة'], ['عمومية']]);
      expect(textQuery('c++ 42')).toEqual({ words: [['c'], ['42']], search: '"c" "42"' });
    });

    it('quotes each distinct token once (case- and diacritics-folded)', () => {
      expect(quoteTextSearch('Public public PUBLIC éclairage eclairage')).toBe('"Public" "éclairage"');
    });

    it('a search without words gives no $text condition but a text query that matches nothing', () => {
      const translated = translateFilter({ $text: '-- !' });
      expect(translated.filter).toEqual({});
      expect(translated.text).toEqual({ words: [], search: '' });
      expect(documentMatchesText({ title: 'anything' }, ['title'], [])).toBe(false);
    });

    it('folds case and diacritics', () => {
      expect(foldText('ÉCLAIRAGE')).toBe('eclairage');
      expect(foldText('İstanbul')).toBe('istanbul');
      expect(foldText('e\u0301cole')).toBe('ecole'); // decomposed input
    });

    describe('re-checks candidates for whole words', () => {
      const t1 = { _id: 't1', title: 'Éclairage public défaillant', subject: 'Rue de la République' };
      const t3 = { _id: 't3', title: 'Nettoyage du parc', subject: "Bancs et l'éclairage" };
      const t5 = { _id: 't5', title: 'Éclairages festifs', subject: null };
      const fields = ['title', 'subject'];
      const matches = (doc: unknown, search: string) => documentMatchesText(doc, fields, textQuery(search).words);

      it('whole words only: no prefixes, no substrings, no stemming', () => {
        expect(matches(t1, 'eclair')).toBe(false);
        expect(matches(t5, 'eclairage')).toBe(false); // MongoDB's phrase match would find it in "éclairages"
        expect(matches(t5, 'eclairages')).toBe(true);
        expect(matches(t1, 'publi')).toBe(false);
      });

      it('every word, in any order, across the text fields, case- and diacritics-insensitively', () => {
        expect(matches(t1, 'ÉCLAIRAGE')).toBe(true);
        expect(matches(t1, 'public eclairage')).toBe(true);
        expect(matches(t3, 'nettoyage bancs')).toBe(true);
        expect(matches(t3, 'eclairage public')).toBe(false);
        expect(matches(t1, 'republique')).toBe(true);
      });

      it("a word of several tokens needs them in a row (like an FTS phrase): l'éclairage", () => {
        expect(matches(t3, "l'eclairage")).toBe(true);
        expect(matches(t3, 'et-l')).toBe(true);
        expect(matches(t3, 'bancs-l')).toBe(false);
      });

      it('reads dot paths and arrays of strings, and ignores fields that are not text fields', () => {
        const doc = { council: { name: 'Ville de Liège' }, tags: ['voirie', 'éclairage'], other: 'public' };
        expect(documentMatchesText(doc, ['council.name', 'tags'], textQuery('liege eclairage').words)).toBe(true);
        expect(documentMatchesText(doc, ['council.name', 'tags'], textQuery('public').words)).toBe(false);
      });
    });
  });

  describe('sort, limit and cursors', () => {
    it('resolves limits: default 50, clamped to 1000, RangeError below 1 or not an integer', () => {
      expect(resolveLimit(undefined)).toBe(50);
      expect(resolveLimit(1)).toBe(1);
      expect(resolveLimit(1000)).toBe(1000);
      expect(resolveLimit(5000)).toBe(1000);
      for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '10' as unknown as number, null as unknown as number]) {
        expect(() => resolveLimit(bad)).toThrow(RangeError);
      }
    });

    it('sorts by the field then _id in the same direction, as ordered pairs', () => {
      expect(toMongoSort(undefined)).toEqual([['_id', 1]]);
      expect(toMongoSort({ field: '_id', direction: -1 })).toEqual([['_id', -1]]);
      expect(toMongoSort({ field: 'score', direction: -1 })).toEqual([
        ['score', -1],
        ['_id', -1],
      ]);
      expect(toMongoSort({ field: 'council.level', direction: 1 })).toEqual([
        ['council.level', 1],
        ['_id', 1],
      ]);
      expect(() => resolveSort({ field: 'x', direction: 0 as 1 })).toThrow(TypeError);
      expect(() => resolveSort({ field: '$natural', direction: 1 })).toThrow(TypeError);
    });

    it('round-trips cursors as base64url JSON of [lastSortValue, lastId]', () => {
      const values = [null, 0, -2.5, 1e21, 'école — إنارة 🏛️', '', true, false];
      for (const value of values) {
        const cursor = encodeCursor(value, 'pétition/42 – إنارة');
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).toEqual([value, 'pétition/42 – إنارة']);
        expect(decodeCursor(cursor)).toEqual([value, 'pétition/42 – إنارة']);
      }
    });

    it('rejects malformed cursors with RangeError', () => {
      const b64 = (text: string) => Buffer.from(text).toString('base64url');
      const bad = ['not a cursor!', '', b64('{"x":1}'), b64('[1]'), b64('[1,2]'), b64('[{},"a"]'), b64('[[1],"a"]'), b64('[1,"a",3]'), b64('nope'), 42];
      for (const cursor of bad) expect(() => decodeCursor(cursor)).toThrow(RangeError);
    });

    it('builds the next cursor from the last document (dot paths; missing and non-scalars as null)', () => {
      const doc = { _id: 'd07', score: 3, council: { level: 'city' }, arr: [1] };
      expect(decodeCursor(cursorAfter(doc, undefined))).toEqual(['d07', 'd07']);
      expect(decodeCursor(cursorAfter(doc, { field: 'score', direction: -1 }))).toEqual([3, 'd07']);
      expect(decodeCursor(cursorAfter(doc, { field: 'council.level', direction: 1 }))).toEqual(['city', 'd07']);
      expect(decodeCursor(cursorAfter(doc, { field: 'missing', direction: 1 }))).toEqual([null, 'd07']);
      expect(decodeCursor(cursorAfter(doc, { field: 'arr', direction: 1 }))).toEqual([null, 'd07']);
    });

    it('builds keyset conditions on (field, _id)', () => {
      const asc: SortSpec = { field: 'score', direction: 1 };
      const desc: SortSpec = { field: 'score', direction: -1 };
      expect(keysetCondition(undefined, ['d1', 'd1'])).toEqual({ _id: { $gt: 'd1' } });
      expect(keysetCondition({ field: '_id', direction: -1 }, ['d1', 'd1'])).toEqual({ _id: { $lt: 'd1' } });
      expect(keysetCondition(asc, [null, 'd1'])).toEqual({
        $or: [{ score: { $eq: null }, _id: { $gt: 'd1' } }, { score: { $ne: null } }],
      });
      expect(keysetCondition(desc, [null, 'd1'])).toEqual({ score: { $eq: null }, _id: { $lt: 'd1' } });
      expect(keysetCondition(asc, [3, 'd1'])).toEqual({
        $or: [{ score: { $eq: 3 }, _id: { $gt: 'd1' } }, { score: { $gt: 3 } }, { score: { $type: 'string' } }, { score: { $type: 'bool' } }],
      });
      expect(keysetCondition(desc, [3, 'd1'])).toEqual({
        $or: [{ score: { $eq: 3 }, _id: { $lt: 'd1' } }, { score: { $lt: 3 } }, { score: { $eq: null } }],
      });
      expect(keysetCondition(desc, ['m', 'd1'])).toEqual({
        $or: [{ score: { $eq: 'm' }, _id: { $lt: 'd1' } }, { score: { $lt: 'm' } }, { score: { $type: 'number' } }, { score: { $eq: null } }],
      });
    });

    it('ANDs filters into one object, or $and when keys collide', () => {
      expect(andFilters({ a: { $eq: 1 } }, undefined, {})).toEqual({ a: { $eq: 1 } });
      expect(andFilters({ a: { $eq: 1 } }, { $or: [{ b: 1 }] })).toEqual({ a: { $eq: 1 }, $or: [{ b: 1 }] });
      expect(andFilters({ score: { $gte: 1 } }, { score: { $eq: null }, _id: { $lt: 'x' } })).toEqual({
        score: { $gte: 1 },
        $and: [{ score: { $eq: null }, _id: { $lt: 'x' } }],
      });
    });

    describe('keyset pages walk every document exactly once (evaluated with MongoDB semantics)', () => {
      const docs: Document[] = [];
      for (let i = 0; i < 40; i++) {
        const doc: Document = { _id: `d${String(i).padStart(2, '0')}`, group: i % 3 === 0 ? 'g0' : 'g1' };
        if (i % 9 === 4) doc.score = null;
        else if (i % 9 !== 7) doc.score = (i * 7) % 5;
        // A field mixing types: numbers, strings, booleans, null and missing.
        const mixed = [3, 'b', true, null, undefined, 1.5, 'a', false, 3, 'b'][i % 10];
        if (mixed !== undefined) doc.mixed = mixed;
        doc.council = i % 4 === 0 ? null : { level: ['city', 'region', 'département'][i % 3] };
        docs.push(doc);
      }
      const sorts: Array<SortSpec | undefined> = [undefined];
      for (const field of ['_id', 'score', 'mixed', 'council.level', 'missingEverywhere']) {
        sorts.push({ field, direction: 1 }, { field, direction: -1 });
      }
      const filters: Filter[] = [{}, { group: 'g1' }, { group: 'g0', score: { $gte: 1 } }, { score: { $ne: 2 } }];

      it.each([1, 2, 3, 7, 40, 41])('%i per page', (size) => {
        for (const sort of sorts) {
          for (const filter of filters) {
            const base = translateFilter(filter).filter;
            const expected = sortDocs(
              docs.filter((d) => evaluate(d, base)),
              sort,
            ).map((d) => d._id);
            const seen: string[] = [];
            let after: CursorPosition | null = null;
            for (let guard = 0; guard < 100; guard++) {
              const query = andFilters(base, after ? keysetCondition(sort, after) : undefined);
              const rows = sortDocs(
                docs.filter((d) => evaluate(d, query)),
                sort,
              ).slice(0, size + 1);
              const page = rows.slice(0, size);
              seen.push(...page.map((d) => d._id as string));
              if (rows.length <= size) break;
              after = decodeCursor(cursorAfter(page[page.length - 1], sort));
            }
            expect({ sort, filter, seen }).toEqual({ sort, filter, seen: expected });
          }
        }
      });
    });
  });

  describe('documents', () => {
    it('stores the JSON form plus an Int64 _pos, and strips _pos on read', () => {
      const stored = toStoredDocument('c', {
        _id: 'a',
        _position: '9007199254740993',
        at: new Date('2024-01-02T03:04:05.000Z'),
        gone: undefined,
        nested: { n: null, nan: Number.NaN },
        [POSITION_FIELD]: 'forged',
      });
      expect(stored).toEqual({
        _id: 'a',
        _position: '9007199254740993',
        at: '2024-01-02T03:04:05.000Z',
        nested: { n: null, nan: null },
        [POSITION_FIELD]: Long.fromBigInt(9007199254740993n),
      });
      expect(fromStoredDocument(stored)).toEqual({ _id: 'a', _position: '9007199254740993', at: '2024-01-02T03:04:05.000Z', nested: { n: null, nan: null } });
      expect(toStoredDocument('c', { _id: 'b', v: 1 })).toEqual({ _id: 'b', v: 1 });
    });

    it('refuses documents without a string _id or with a malformed _position (TypeError)', () => {
      for (const bad of [
        null,
        'x',
        {},
        { _id: 1 },
        { _id: 'a', _position: 5 },
        { _id: 'a', _position: '05' },
        { _id: 'a', _position: '9223372036854775808' },
      ]) {
        expect(() => toStoredDocument('c', bad)).toThrow(TypeError);
      }
    });

    it('guards a put with one conditional replacement pipeline', () => {
      const stored = toStoredDocument('c', { _id: 'a', _position: '10', v: '$notAnExpression' });
      expect(guardedReplacePipeline(stored)).toEqual([
        {
          $replaceWith: {
            $cond: {
              if: { $or: [{ $eq: [{ $type: '$_pos' }, 'missing'] }, { $eq: ['$_pos', null] }, { $lt: ['$_pos', Long.fromBigInt(10n)] }] },
              then: { $literal: stored },
              else: '$$ROOT',
            },
          },
        },
      ]);
      expect(() => guardedReplacePipeline(toStoredDocument('c', { _id: 'a' }))).toThrow(TypeError);
    });
  });

  describe('indexes', () => {
    it('builds compound indexes with _id last (in the last field direction) and a text index', () => {
      const descriptions = indexDescriptions({
        name: 'petitions_g1',
        indexes: [
          { fields: [{ field: 'signatureCount', direction: -1 }] },
          {
            fields: [
              { field: 'councilId', direction: 1 },
              { field: 'filedAt', direction: -1 },
            ],
          },
        ],
        textFields: ['title', 'subject'],
      });
      expect(descriptions).toEqual([
        {
          key: new Map<string, number>([
            ['signatureCount', -1],
            ['_id', -1],
          ]),
          name: 'ix_signatureCount_-1__id_-1',
        },
        {
          key: new Map<string, number>([
            ['councilId', 1],
            ['filedAt', -1],
            ['_id', -1],
          ]),
          name: 'ix_councilId_1_filedAt_-1__id_-1',
        },
        {
          key: new Map([
            ['title', 'text'],
            ['subject', 'text'],
          ]),
          name: TEXT_INDEX_NAME,
          default_language: 'none',
          language_override: TEXT_LANGUAGE_FIELD,
        },
      ]);
      expect([...(descriptions[1].key as Map<string, number>).keys()]).toEqual(['councilId', 'filedAt', '_id']);
    });

    it('keeps unique indexes as declared, holding only documents that have the fields', () => {
      expect(indexDescription({ fields: [{ field: 'email', direction: 1 }], unique: true })).toEqual({
        key: new Map([['email', 1]]),
        name: 'ux_email_1',
        unique: true,
        partialFilterExpression: { email: { $exists: true } },
      });
      expect(
        indexDescription({
          fields: [
            { field: '_id', direction: 1 },
            { field: 'n', direction: 1 },
          ],
        }).key,
      ).toEqual(
        new Map([
          ['_id', 1],
          ['n', 1],
        ]),
      );
    });

    it('has no text index without text fields, and validates fields (TypeError)', () => {
      expect(indexDescriptions({ name: 'c', indexes: [], textFields: [] })).toEqual([]);
      expect(indexDescriptions({ name: 'c' } as never)).toEqual([]);
      expect(() => indexDescription({ fields: [] })).toThrow(TypeError);
      expect(() => indexDescription({ fields: [{ field: 'a.$b', direction: 1 }] })).toThrow(TypeError);
      expect(() => indexDescription({ fields: [{ field: 'a', direction: 2 as 1 }] })).toThrow(TypeError);
      expect(() => indexDescriptions({ name: 'c', indexes: [], textFields: ['$x'] })).toThrow(TypeError);
    });

    it('reads the fields of an existing text index from listIndexes output', () => {
      expect(textFieldsOfIndex({ v: 2, key: { _fts: 'text', _ftsx: 1 }, name: 'text_search', weights: { title: 1, subject: 1 } })).toEqual([
        'subject',
        'title',
      ]);
      expect(textFieldsOfIndex({ v: 2, key: { _id: 1 }, name: '_id_' })).toBeNull();
    });
  });

  describe('connection strings', () => {
    it('names the hosts without credentials, path or options', () => {
      expect(describeMongoHosts('mongodb://reader:s3cret@db1:27017,db2:27018/petitions?replicaSet=rs0')).toBe('db1:27017,db2:27018');
      expect(describeMongoHosts('mongodb+srv://u:p%40ss@cluster0.example.net/?retryWrites=true')).toBe('cluster0.example.net');
      expect(describeMongoHosts('mongodb://localhost:27017')).toBe('localhost:27017');
      expect(describeMongoHosts('mongodb://u:p@w@host?x=1')).toBe('host');
    });

    it('masks credentials in messages', () => {
      const url = 'mongodb://reader:p%40ss@db1:27017/x';
      expect(redactCredentials('failed for reader:p%40ss and p@ss at db1', url)).toBe('failed for *** and *** at db1');
      expect(redactCredentials('plain', 'mongodb://db1')).toBe('plain');
    });
  });

  describe('MongoReadStore.connect without a server', () => {
    it('fails fast with an Error naming the host and not the credentials', async () => {
      const started = Date.now();
      const error = await MongoReadStore.connect('mongodb://reader:TopSecret99@127.0.0.1:1/petitions', undefined, {
        serverSelectionTimeoutMS: 300,
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toContain('127.0.0.1:1');
      expect(message).not.toContain('TopSecret99');
      expect(message).not.toContain('reader');
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });
});

// -------------------------------------------------------------------------------------------------
// A small evaluator of the MongoDB query subset mongo-mapping produces, with MongoDB's rules:
// type-bracketed comparisons, null matching missing, $ne matching missing, BSON type sort order.

function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return 1;
  if (typeof value === 'string') return 2;
  if (typeof value === 'boolean') return 3;
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

function compare(a: unknown, b: unknown): number {
  const byType = typeRank(a) - typeRank(b);
  if (byType !== 0 || typeRank(a) === 0) return byType;
  if (typeof a === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b as string));
  return Number(a) - Number(b);
}

function equals(value: unknown, operand: unknown): boolean {
  if (operand === null) return value === null || value === undefined;
  return typeRank(value) === typeRank(operand) && compare(value, operand) === 0;
}

function operatorMatches(value: unknown, op: string, operand: unknown): boolean {
  switch (op) {
    case '$eq':
      return equals(value, operand);
    case '$ne':
      return !equals(value, operand);
    case '$in':
      return (operand as unknown[]).some((o) => equals(value, o));
    case '$type': {
      const types: Record<string, number> = { number: 1, string: 2, bool: 3 };
      return value !== null && value !== undefined && typeRank(value) === types[operand as string];
    }
    default: {
      if (value === null || value === undefined || typeRank(value) !== typeRank(operand)) return false;
      const c = compare(value, operand);
      return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
    }
  }
}

function evaluate(doc: Document, filter: Document): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$or') return (condition as Document[]).some((f) => evaluate(doc, f));
    if (key === '$and') return (condition as Document[]).every((f) => evaluate(doc, f));
    const value = valueAtPath(doc, key);
    return Object.entries(condition as Document).every(([op, operand]) => operatorMatches(value, op, operand));
  });
}

function sortDocs(docs: Document[], sort: SortSpec | undefined): Document[] {
  const field = sort?.field ?? '_id';
  const direction = sort?.direction ?? 1;
  return [...docs].sort((x, y) => direction * (compare(valueAtPath(x, field), valueAtPath(y, field)) || compare(x._id, y._id)));
}

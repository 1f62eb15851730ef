/**
 * The read side over HTTP, on the real app and the embedded store: the portal's list (filters,
 * word search, sorts, cursor pagination, validation), read-your-writes, the petition page, its
 * history in words, and its pseudonymous signatures. Dashboards, the overdue board, exports,
 * projection status, rebuilds and health are in read-side-operations.e2e-spec.ts.
 */
import {
  associationPetition,
  citizensPetition,
  DAY,
  expectProblem,
  Harness,
  HOUR,
  HttpResponse,
  identityNumber,
  MINUTE,
  plusMonths,
  POSITION,
  Signed,
  useApp,
} from './harness';

const h = useApp();

const GUELMIM_PROVINCES = ['province-guelmim', 'province-assa-zag', 'province-tan-tan', 'province-sidi-ifni'];
const ARABIC = /[\u0600-\u06FF]/;

/** What the test knows each petition should look like in the list. */
interface Expected {
  id: string;
  councilId: string;
  level: 'commune' | 'province' | 'region';
  status: string;
  signatures: number;
  filedAt: string;
  responseDueAt: string | null;
}
const known = new Map<string, Expected>();

/** GET with X-Min-Position at the store's head: the answer must say it is caught up. */
async function fresh(url: string): Promise<HttpResponse> {
  const head = await h.headPosition();
  const res = await h.get(url, undefined, { 'x-min-position': head.toString() });
  if (res.status === 200) expect(res.headers['x-read-model-caught-up']).toBe('true');
  return res;
}

async function list(query: string): Promise<any[]> {
  const res = await fresh(`/petitions?${query}`);
  expect({ status: res.status, text: res.status === 200 ? '' : res.text }).toEqual({ status: 200, text: '' });
  return res.body.items;
}

/** Every page of a list query, following nextCursor; asserts every page but the last is full, and none is empty. */
async function walk(query: string, limit = 2): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await fresh(`/petitions?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    if (res.body.nextCursor) expect(res.body.items).toHaveLength(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (++pages > 50) throw new Error('pagination does not end');
  } while (cursor);
  return items;
}

const ids = (items: { id: string }[]) => items.map((i) => i.id);
const sorted = (xs: string[]) => [...xs].sort();
const expectedIds = (pred: (e: Expected) => boolean) => sorted([...known.values()].filter(pred).map((e) => e.id));

function petitionBody(councilId: string, title: string, subject: string) {
  return {
    ...citizensPetition(councilId, title),
    subject,
    requests: 'Inscrire la dépense au budget de l’année 2027.',
    reasons: 'Le bien-être et la sécurité des habitants du quartier.',
  };
}

const LEVEL_OF: Record<string, Expected['level']> = {
  'commune-tan-tan': 'commune',
  'commune-tanger': 'commune',
  'commune-sefrou': 'commune',
  'province-tan-tan': 'province',
  'region-guelmim-oued-noun': 'region',
};

async function fileCitizens(councilId: string, title: string, subject: string, agentId = `agent-${councilId}`): Promise<string> {
  h.clock.advance(MINUTE);
  const res = await h.post('/petitions', petitionBody(councilId, title, subject), await h.token(agentId, ['agent']));
  expect(res.status).toBe(201);
  known.set(res.body.id, {
    id: res.body.id,
    councilId,
    level: LEVEL_OF[councilId],
    status: 'collecting',
    signatures: 0,
    filedAt: h.clock.iso(),
    responseDueAt: null,
  });
  return res.body.id;
}

const REP = 'rep-read-side';
async function fileAssociation(councilId: string, title: string, subject: string): Promise<string> {
  h.clock.advance(MINUTE);
  const res = await h.post('/petitions', { ...associationPetition(councilId), title, subject }, await h.token(REP, ['association_rep']));
  expect(res.status).toBe(201);
  known.set(res.body.id, {
    id: res.body.id,
    councilId,
    level: LEVEL_OF[councilId],
    status: 'collecting',
    signatures: 0,
    filedAt: h.clock.iso(),
    responseDueAt: null,
  });
  return res.body.id;
}

async function submit(id: string, token: string, months: number): Promise<string> {
  const submittedAt = h.clock.iso();
  const res = await h.post(`/petitions/${id}/submission`, undefined, token);
  expect(res.status).toBe(200);
  const e = known.get(id)!;
  e.status = 'submitted';
  e.responseDueAt = plusMonths(submittedAt, months);
  return submittedAt;
}

async function sign(id: string, count: number, options: Parameters<Harness['signMany']>[2] = {}): Promise<Signed[]> {
  const signed = await h.signMany(id, count, { subPrefix: `citizen-${id}`, ...options });
  known.get(id)!.signatures += count;
  return signed;
}

// ------------------------------------------------------------------------------------------------

describe('read-your-writes on GET /petitions', () => {
  it('shows a petition just filed when asked for the position its command returned', async () => {
    const res = await h.post(
      '/petitions',
      petitionBody(
        'commune-sefrou',
        'Réfection des trottoirs de la médina',
        'Refaire les trottoirs abîmés de la médina de Sefrou, dangereux pour les piétons.',
      ),
      await h.token('agent-sefrou', ['agent']),
    );
    expect(res.status).toBe(201);
    expect(res.body.position).toMatch(POSITION);
    known.set(res.body.id, {
      id: res.body.id,
      councilId: 'commune-sefrou',
      level: 'commune',
      status: 'collecting',
      signatures: 0,
      filedAt: h.clock.iso(),
      responseDueAt: null,
    });

    const page = await h.get(`/petitions?minPosition=${res.body.position}`);
    expect(page.status).toBe(200);
    expect(page.headers['x-read-model-caught-up']).toBe('true');
    expect(BigInt(page.headers['x-read-model-position'] as string) >= BigInt(res.body.position)).toBe(true);
    expect(page.body.freshness).toEqual({ position: page.headers['x-read-model-position'], caughtUp: true });
    expect(page.body.items).toEqual([
      expect.objectContaining({
        id: res.body.id,
        councilId: 'commune-sefrou',
        councilLevel: 'commune',
        status: 'collecting',
        subStatus: 'collecting_signatures',
        signatureCount: 0,
        threshold: 200,
        progress: 0,
        filedAt: h.clock.iso(),
      }),
    ]);

    // The same through the X-Min-Position header.
    const viaHeader = await h.get('/petitions', undefined, { 'x-min-position': res.body.position });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.headers['x-read-model-caught-up']).toBe('true');
    expect(ids(viaHeader.body.items)).toEqual([res.body.id]);
  });

  it('answers after the wait bound with x-read-model-caught-up: false for a position far in the future', async () => {
    const head = await h.headPosition();
    const far = (head + 1000n).toString();
    const started = Date.now();
    const res = await h.get(`/petitions?minPosition=${far}`);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.headers['x-read-model-caught-up']).toBe('false');
    expect(res.headers['x-read-model-position']).toBe(head.toString());
    expect(res.body.freshness).toEqual({ position: head.toString(), caughtUp: false });
    // The harness starts the app with the default bound (READ_WAIT_MAX_MS = 2000).
    expect(h.config.readWaitMaxMs).toBe(2000);
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(elapsed).toBeLessThan(6000);
    expect(res.body.items).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------

describe('the portal list', () => {
  let light: string; // commune-tan-tan, citizens, 200 signatures, then the whole lifecycle
  let garden: string; // commune-tanger, Arabic title, a few signatures over several days
  let beach: string; // province-tan-tan, association, submitted
  let market: string; // commune-tan-tan, association, inadmissible
  let road: string; // region, 4 provinces × 15 signatures
  let library: string; // commune-sefrou, association, submitted later
  let lightSigned: Signed[];
  const times: Record<string, string> = {};
  const reasonText = "L'objet relève de la compétence de l'État, non de la commune, selon la loi organique 113-14.";

  beforeAll(async () => {
    light = await fileCitizens(
      'commune-tan-tan',
      'Éclairage public du quartier El Wahda',
      'Poser des lampadaires solaires dans les rues du quartier El Wahda, restées sans lumière depuis 2024.',
    );
    garden = await fileCitizens('commune-tanger', 'تهيئة حديقة عمومية بحي مسنانة', 'إحداث حديقة عمومية ومساحات خضراء لفائدة أطفال الحي وسكانه.');
    beach = await fileAssociation(
      'province-tan-tan',
      'Protection de la plage El Ouatia',
      'Nettoyer la plage El Ouatia et protéger les dunes contre le piétinement.',
    );
    market = await fileAssociation(
      'commune-tan-tan',
      'Marché couvert pour les commerçants ambulants',
      'Construire un marché couvert pour les marchands ambulants du centre.',
    );
    road = await fileCitizens(
      'region-guelmim-oued-noun',
      'Desserte routière des communes rurales',
      'Goudronner les pistes qui relient les douars aux routes régionales.',
    );
    library = await fileAssociation(
      'commune-sefrou',
      'Bibliothèque municipale de Sefrou',
      'Ouvrir une bibliothèque municipale avec une salle de lecture pour les élèves.',
    );

    h.clock.advance(HOUR);
    lightSigned = await sign(light, 200);
    await sign(road, 60, { province: (i) => GUELMIM_PROVINCES[i % 4] });

    const rep = await h.token(REP, ['association_rep']);
    h.clock.advance(HOUR);
    times.beachSubmitted = await submit(beach, rep, 2);
    h.clock.advance(HOUR);
    times.marketSubmitted = await submit(market, rep, 3);
    h.clock.advance(DAY);
    times.librarySubmitted = await submit(library, rep, 3);

    h.clock.advance(2 * DAY);
    const clerk = await h.token('clerk-commune-tan-tan', ['clerk'], 'commune-tan-tan');
    times.marketDecided = h.clock.iso();
    const refused = await h.post(`/petitions/${market}/admissibility`, { decision: 'inadmissible', reasonCodes: ['outside_competence'], reasonText }, clerk);
    expect(refused.status).toBe(200);
    known.get(market)!.status = 'inadmissible';
  });

  describe('filters', () => {
    it('by council', async () => {
      expect(sorted(ids(await list('council=commune-tan-tan')))).toEqual(expectedIds((e) => e.councilId === 'commune-tan-tan'));
      expect(sorted(ids(await list('council=commune-tan-tan')))).toEqual(sorted([light, market]));
      expect(ids(await list('council=region-guelmim-oued-noun'))).toEqual([road]);
      expect(await list('council=commune-nowhere')).toEqual([]);
    });

    it('by level', async () => {
      for (const level of ['commune', 'province', 'region'] as const) {
        const items = await list(`level=${level}`);
        expect(sorted(ids(items))).toEqual(expectedIds((e) => e.level === level));
        for (const item of items) expect(item.councilLevel).toBe(level);
      }
      expect(ids(await list('level=province'))).toEqual([beach]);
    });

    it('by status', async () => {
      for (const status of ['collecting', 'submitted', 'inadmissible', 'admissible', 'answered', 'withdrawn']) {
        const items = await list(`status=${status}`);
        expect(sorted(ids(items))).toEqual(expectedIds((e) => e.status === status));
        for (const item of items) expect(item.status).toBe(status);
      }
      expect(sorted(ids(await list('status=submitted')))).toEqual(sorted([beach, library]));
      expect(ids(await list('status=inadmissible'))).toEqual([market]);
    });

    it('combined: council and status', async () => {
      expect(ids(await list('council=commune-tan-tan&status=collecting'))).toEqual([light]);
      expect(ids(await list('council=commune-tan-tan&status=inadmissible&level=commune'))).toEqual([market]);
      expect(await list('council=commune-tan-tan&level=province')).toEqual([]);
    });
  });

  describe('word search (q) in title and subject', () => {
    it('ignores accents and case in French', async () => {
      for (const q of ['eclairage', 'Eclairage', 'ÉCLAIRAGE', 'éclairage']) expect(ids(await list(`q=${encodeURIComponent(q)}`))).toEqual([light]);
      expect(ids(await list(`q=${encodeURIComponent('bibliotheque')}`))).toEqual([library]);
      expect(ids(await list(`q=${encodeURIComponent('marche couvert')}`))).toEqual([market]);
    });

    it('searches the subject too, and needs every word', async () => {
      expect(ids(await list('q=lampadaires'))).toEqual([light]); // in the subject only
      expect(ids(await list(`q=${encodeURIComponent('eclairage wahda')}`))).toEqual([light]);
      expect(await list(`q=${encodeURIComponent('eclairage plage')}`)).toEqual([]);
      expect(sorted(ids(await list('q=plage')))).toEqual([beach]);
      // requests and reasons are not searched
      expect(await list(`q=${encodeURIComponent('budget')}`)).toEqual([]);
    });

    it('finds Arabic words of the title and of the subject', async () => {
      expect(ids(await list(`q=${encodeURIComponent('حديقة')}`))).toEqual([garden]);
      expect(ids(await list(`q=${encodeURIComponent('مسنانة')}`))).toEqual([garden]);
      expect(ids(await list(`q=${encodeURIComponent('أطفال الحي')}`))).toEqual([garden]);
      expect(await list(`q=${encodeURIComponent('مدرسة')}`)).toEqual([]);
    });

    it('combines with the other filters', async () => {
      expect(ids(await list(`q=plage&council=province-tan-tan&status=submitted`))).toEqual([beach]);
      expect(await list(`q=plage&council=commune-tan-tan`)).toEqual([]);
    });
  });

  describe('sorts', () => {
    it('recent (the default): newest filed first', async () => {
      const items = await list('limit=100');
      expect(await list('sort=recent&limit=100')).toEqual(items);
      expect(sorted(ids(items))).toEqual(expectedIds(() => true));
      const filed = items.map((i) => i.filedAt);
      for (let i = 1; i < filed.length; i++) expect(filed[i] <= filed[i - 1]).toBe(true);
      expect(ids(items).slice(0, 3)).toEqual([library, road, market]);
      for (const item of items) expect(item.filedAt).toBe(known.get(item.id)!.filedAt);
    });

    it('signatures: most signed first', async () => {
      const items = await list('sort=signatures&limit=100');
      expect(sorted(ids(items))).toEqual(expectedIds(() => true));
      expect(ids(items).slice(0, 2)).toEqual([light, road]);
      const counts = items.map((i) => i.signatureCount);
      for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]);
      for (const item of items) expect(item.signatureCount).toBe(known.get(item.id)!.signatures);
    });

    it('deadline: the earliest answer due first (petitions without a deadline after those with one)', async () => {
      const items = await list('sort=deadline&limit=100');
      expect(sorted(ids(items))).toEqual(expectedIds(() => true));
      const withDeadline = [...known.values()].filter((e) => e.responseDueAt).sort((a, b) => a.responseDueAt!.localeCompare(b.responseDueAt!));
      expect(withDeadline.map((e) => e.id)).toEqual([beach, market, library]);
      expect(ids(items).slice(0, withDeadline.length)).toEqual(withDeadline.map((e) => e.id));
      for (const item of items.slice(withDeadline.length)) expect(item.responseDueAt).toBeNull();
      for (const item of items) expect(item.responseDueAt).toBe(known.get(item.id)!.responseDueAt);
    });
  });

  describe('cursor pagination (limit=2)', () => {
    it.each(['sort=recent', 'sort=signatures', 'sort=deadline', 'council=commune-tan-tan', 'level=commune&sort=signatures', 'status=collecting&sort=deadline'])(
      'walks every result exactly once: %s',
      async (query) => {
        const all = await list(`${query}&limit=100`);
        expect(all.length).toBeGreaterThan(0);
        const walked = await walk(query);
        expect(ids(walked)).toEqual(ids(all));
        expect(new Set(ids(walked)).size).toBe(walked.length);
      },
    );

    it.each([1, 2, 3, 4, 5, 7])('deadline sort: pages of %i cross from dated to undated petitions without loss or repeat', async (limit) => {
      const all = await list('sort=deadline&limit=100');
      expect(ids(await walk('sort=deadline', limit))).toEqual(ids(all));
    });

    it('the last page has nextCursor null, and a full last page has no empty page after it', async () => {
      const two = await list('council=commune-tan-tan&limit=100');
      expect(two).toHaveLength(2);
      const res = await fresh('/petitions?council=commune-tan-tan&limit=2');
      expect(res.body.items).toHaveLength(2);
      expect(res.body.nextCursor).toBeNull();
    });
  });

  describe('bad parameters: 400 VALIDATION_FAILED naming the field', () => {
    const field = (res: HttpResponse, name: string) => {
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(problem.errors.map((e: { field: string }) => e.field)).toContain(name);
      expect(problem.detail).toContain(name);
    };
    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

    it.each([
      ['sort=popular', 'sort'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=x', 'limit'],
      ['limit=1.5', 'limit'],
      ['status=open', 'status'],
      ['level=city', 'level'],
      ['colour=blue', 'colour'],
      ['q=', 'q'],
      ['minPosition=abc', 'minPosition'],
      ['minPosition=-1', 'minPosition'],
      ['cursor=%21%21%21', 'cursor'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      [`cursor=${cursorOf({ a: 1 })}`, 'cursor'],
      [`cursor=${cursorOf([1])}`, 'cursor'],
      [`cursor=${cursorOf([{ a: 1 }, 'x'])}`, 'cursor'],
      [`cursor=${cursorOf([true, 'x'])}`, 'cursor'],
      [`cursor=${cursorOf([[1], 'x'])}`, 'cursor'],
      [`cursor=${Buffer.from('[1e999,"x"]').toString('base64url')}`, 'cursor'],
      [`cursor=${cursorOf(['x', 1])}`, 'cursor'],
    ])('GET /petitions?%s → field %s', async (query, name) => {
      field(await h.get(`/petitions?${query}`), name);
    });

    it('a bad X-Min-Position header', async () => {
      field(await h.get('/petitions', undefined, { 'x-min-position': 'soon' }), 'X-Min-Position');
    });

    it('the same rules on /overdue and the per-petition lists', async () => {
      field(await h.get('/overdue?limit=0'), 'limit');
      field(await h.get(`/petitions/${light}/signatures?limit=101`), 'limit');
      field(await h.get(`/petitions/${light}/signatures?cursor=${cursorOf([{ a: 1 }, 'x'])}`), 'cursor');
      field(await h.get(`/petitions/${light}/history?cursor=${cursorOf([true, 'x'])}`), 'cursor');
      field(await h.get(`/petitions/${light}?minPosition=x`), 'minPosition');
      field(await h.get('/petitions/not-a-uuid'), 'id');
    });
  });

  // ----------------------------------------------------------------------------------------------

  describe('GET /petitions/:id from the read model', () => {
    it('a citizens’ petition that reached its threshold', async () => {
      const page = await h.petition(light);
      expect(page.body).toMatchObject({
        id: light,
        title: 'Éclairage public du quartier El Wahda',
        councilId: 'commune-tan-tan',
        councilLevel: 'commune',
        councilName: { fr: 'Commune de Tan-Tan', ar: expect.stringMatching(ARABIC), en: expect.any(String) },
        petitionerType: 'citizens',
        status: 'collecting',
        subStatus: 'threshold_reached',
        signatureCount: 200,
        threshold: 200,
        progress: 100,
        thresholdReached: true,
        thresholdReachedAt: expect.any(String),
        submittedAt: null,
        responseDueAt: null,
        admissibility: null,
        response: null,
      });
    });

    it('then submitted, declared admissible and answered', async () => {
      const agent = await h.token('agent-commune-tan-tan', ['agent']);
      h.clock.advance(DAY);
      times.lightSubmitted = await submit(light, agent, 3);
      let page = await h.petition(light);
      expect(page.body).toMatchObject({
        status: 'submitted',
        subStatus: 'awaiting_admissibility',
        submittedAt: times.lightSubmitted,
        responseDueAt: plusMonths(times.lightSubmitted, 3),
        deadlineMissed: false,
        overdue: false,
      });

      h.clock.advance(4 * DAY);
      times.lightDecided = h.clock.iso();
      const clerk = await h.token('clerk-commune-tan-tan', ['clerk'], 'commune-tan-tan');
      const decided = await h.post(
        `/petitions/${light}/admissibility`,
        { decision: 'admissible', agendaSession: 'Session ordinaire de mai 2027', committee: 'Commission des services publics' },
        clerk,
      );
      expect(decided.status).toBe(200);
      known.get(light)!.status = 'admissible';
      page = await h.petition(light);
      expect(page.body).toMatchObject({
        status: 'admissible',
        subStatus: 'awaiting_response',
        admissibility: 'admissible',
        decidedAt: times.lightDecided,
        agendaSession: 'Session ordinaire de mai 2027',
        committee: 'Commission des services publics',
        reasonCodes: [],
        reasonText: null,
      });

      h.clock.advance(20 * DAY);
      times.lightAnswered = h.clock.iso();
      const official = await h.token('official-commune-tan-tan', ['official'], 'commune-tan-tan');
      const answer = {
        decision: 'adopted',
        text: 'Le conseil adopte la pose de quarante lampadaires solaires au budget 2027.',
        respondingOfficial: { name: 'Fatima Zahra El Idrissi', title: 'Présidente du conseil' },
        deliberationRef: 'Délibération n° 12/2027',
      };
      expect((await h.post(`/petitions/${light}/response`, answer, official)).status).toBe(200);
      known.get(light)!.status = 'answered';
      page = await h.petition(light);
      expect(page.body).toMatchObject({
        status: 'answered',
        subStatus: 'adopted',
        signatureCount: 200,
        progress: 100,
        thresholdReached: true,
        submittedAt: times.lightSubmitted,
        responseDueAt: plusMonths(times.lightSubmitted, 3),
        decidedAt: times.lightDecided,
        admissibility: 'admissible',
        answeredAt: times.lightAnswered,
        response: { decision: 'adopted', text: answer.text, respondingOfficial: answer.respondingOfficial, deliberationRef: 'Délibération n° 12/2027' },
        closed: false,
      });
      expect(await list('status=answered')).toEqual([expect.objectContaining({ id: light, subStatus: 'adopted' })]);
    });

    it('an inadmissible petition: decision, reason codes and reasoned text', async () => {
      const page = await h.petition(market);
      expect(page.body).toMatchObject({
        status: 'inadmissible',
        subStatus: 'refused',
        petitionerType: 'association',
        associationName: 'Association Tan-Tan pour l’environnement',
        threshold: 0,
        thresholdApplies: false,
        submittedAt: times.marketSubmitted,
        responseDueAt: plusMonths(times.marketSubmitted, 3),
        decidedAt: times.marketDecided,
        admissibility: 'inadmissible',
        reasonCodes: ['outside_competence'],
        reasonText,
        response: null,
      });
    });

    it('a regional petition: counts per province against each province’s share', async () => {
      const page = await h.petition(road);
      expect(page.body).toMatchObject({
        councilLevel: 'region',
        regionId: 'region-guelmim-oued-noun',
        status: 'collecting',
        subStatus: 'collecting_signatures',
        signatureCount: 60,
        threshold: 300,
        progress: 20,
        thresholdReached: false,
      });
      expect(page.body.provinceCounts).toEqual(Object.fromEntries(GUELMIM_PROVINCES.map((p) => [p, 15])));
      expect(sorted(page.body.provinceShares.map((s: { provinceId: string }) => s.provinceId))).toEqual(sorted(GUELMIM_PROVINCES));
      for (const share of page.body.provinceShares) expect(share.required).toBe(15);
    });

    it('holds no signer data: no identity number, no signer hash, no citizen id', async () => {
      const hashes: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await fresh(`/petitions/${light}/signatures?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
        hashes.push(...res.body.items.map((s: { signerHash: string }) => s.signerHash));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(hashes).toHaveLength(200);
      const pages = [(await h.petition(light)).text, (await h.petition(road)).text, JSON.stringify(await list('limit=100'))];
      for (const text of pages) {
        expect(text).not.toMatch(/identityNumber|signerHash|signer/i);
        for (const s of lightSigned) {
          expect(text).not.toContain(s.identityNumber);
          expect(text).not.toContain(s.sub);
        }
        for (const hash of hashes) expect(text).not.toContain(hash);
      }
    });

    it('404 PETITION_NOT_FOUND for an unknown petition', async () => {
      expectProblem(await h.get('/petitions/00000000-0000-7000-8000-000000000000'), 404, 'PETITION_NOT_FOUND');
    });
  });

  // ----------------------------------------------------------------------------------------------

  describe('GET /petitions/:id/history', () => {
    const TYPES = ['PetitionFiled', 'SignatureThresholdReached', 'PetitionSubmittedToCouncil', 'PetitionDeclaredAdmissible', 'OfficialResponseRecorded'];
    const ROLES = ['agent', 'system', 'agent', 'clerk', 'official'];

    it('Arabic by default and with lang=ar: one sentence per lifecycle event, in order, with the actor’s role', async () => {
      const res = await fresh(`/petitions/${light}/history`);
      expect(res.status).toBe(200);
      const ar = await fresh(`/petitions/${light}/history?lang=ar`);
      expect(ar.body).toEqual(res.body);
      expect(res.body).toMatchObject({ petitionId: light, lang: 'ar', nextCursor: null });
      const entries = res.body.entries;
      expect(entries.map((e: { type: string }) => e.type)).toEqual(TYPES);
      expect(entries.map((e: { actorRole: string }) => e.actorRole)).toEqual(ROLES);
      const at = entries.map((e: { at: string }) => e.at);
      expect(at[0]).toBe(known.get(light)!.filedAt);
      expect(at.slice(2)).toEqual([times.lightSubmitted, times.lightDecided, times.lightAnswered]);
      for (let i = 1; i < at.length; i++) expect(at[i] >= at[i - 1]).toBe(true);
      for (const e of entries) {
        expect(e.text).toMatch(ARABIC);
        expect(e.actor).toMatch(ARABIC);
      }
      expect(entries[0].text).toContain('Éclairage public du quartier El Wahda');
      expect(entries[1].text).toContain('200');
      expect(entries[4].text).toContain('Fatima Zahra El Idrissi');
      expect(entries.map((e: { actor: string }) => e.actor)).toEqual([
        'وكيل(ة) العريضة',
        'المنصة تلقائيا',
        'وكيل(ة) العريضة',
        'موظف(ة) المجلس',
        'منتخب(ة) بالمجلس',
      ]);
    });

    it('French and English', async () => {
      const fr = (await fresh(`/petitions/${light}/history?lang=fr`)).body;
      const en = (await fresh(`/petitions/${light}/history?lang=en`)).body;
      expect(fr.lang).toBe('fr');
      expect(en.lang).toBe('en');
      for (const body of [fr, en]) {
        expect(body.entries.map((e: { type: string }) => e.type)).toEqual(TYPES);
        expect(body.entries.map((e: { actorRole: string }) => e.actorRole)).toEqual(ROLES);
        for (const e of body.entries) {
          expect(e.text).not.toMatch(ARABIC);
          expect(e.actor).not.toMatch(ARABIC);
        }
      }
      expect(fr.entries.map((e: { actor: string }) => e.actor)).toEqual([
        'le mandataire',
        'la plateforme, automatiquement',
        'le mandataire',
        'un agent du conseil',
        'un élu du conseil',
      ]);
      expect(en.entries.map((e: { actor: string }) => e.actor)).toEqual([
        'the agent',
        'the platform, automatically',
        'the agent',
        'a council clerk',
        'a council official',
      ]);
      expect(fr.entries[0].text).toMatch(/^Le mandataire a déposé la pétition « Éclairage public du quartier El Wahda »/);
      expect(fr.entries[2].text).toContain(plusMonths(times.lightSubmitted, 3).slice(0, 10));
      expect(fr.entries[3].text).toContain('recevable');
      expect(en.entries[3].text).toContain('admissible');
      expect(en.entries[4].text).toContain('adopted');
      expect(en.entries[3].text).toContain('a council clerk');
    });

    it('the inadmissibility decision gives its grounds in words', async () => {
      const en = (await fresh(`/petitions/${market}/history?lang=en`)).body;
      expect(en.entries.map((e: { type: string }) => e.type)).toEqual(['PetitionFiled', 'PetitionSubmittedToCouncil', 'PetitionDeclaredInadmissible']);
      expect(en.entries.map((e: { actorRole: string }) => e.actorRole)).toEqual(['association_rep', 'association_rep', 'clerk']);
      expect(en.entries[0].text).toMatch(/^The association filed/);
      expect(en.entries[2].text).toContain(reasonText);
      expect(en.entries[2].text).not.toContain('outside_competence');
    });

    it('pages with a cursor', async () => {
      const first = (await fresh(`/petitions/${light}/history?lang=en&limit=2`)).body;
      expect(first.entries).toHaveLength(2);
      const second = (await fresh(`/petitions/${light}/history?lang=en&limit=2&cursor=${first.nextCursor}`)).body;
      const third = (await fresh(`/petitions/${light}/history?lang=en&limit=2&cursor=${second.nextCursor}`)).body;
      expect(third.nextCursor).toBeNull();
      expect([...first.entries, ...second.entries, ...third.entries].map((e: { type: string }) => e.type)).toEqual(TYPES);
    });

    it('404 for an unknown petition; 400 for an unknown language', async () => {
      expectProblem(await h.get('/petitions/00000000-0000-7000-8000-000000000000/history'), 404, 'PETITION_NOT_FOUND');
      const problem = expectProblem(await h.get(`/petitions/${light}/history?lang=xx`), 400, 'VALIDATION_FAILED');
      expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['lang']);
    });
  });

  // ----------------------------------------------------------------------------------------------

  describe('signatures', () => {
    let gardenSigned: Signed[] = [];
    const days: string[] = [];

    it('are listed pseudonymously: signer hash, channel, province, time, status — no identity number', async () => {
      days.push(h.clock.iso().slice(0, 10));
      gardenSigned = await sign(garden, 3, { idPrefix: 'GD' });
      const res = await fresh(`/petitions/${garden}/signatures`);
      expect(res.status).toBe(200);
      expect(res.body.petitionId).toBe(garden);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items).toHaveLength(3);
      expect(sorted(res.body.items.map((s: { id: string }) => s.id))).toEqual(sorted(gardenSigned.map((s) => s.signatureId)));
      for (const s of res.body.items) {
        expect(Object.keys(s).sort()).toEqual([
          'channel',
          'id',
          'invalidatedAt',
          'invalidationId',
          'invalidationReason',
          'petitionId',
          'provinceId',
          'signedAt',
          'signerHash',
          'state',
          'status',
          'withdrawnAt',
        ]);
        expect(s).toMatchObject({ petitionId: garden, channel: 'online', provinceId: null, status: 'signed', withdrawnAt: null, signedAt: h.clock.iso() });
        expect(s.signerHash).toEqual(expect.any(String));
        expect(s.signerHash.length).toBeGreaterThanOrEqual(32);
      }
      expect(new Set(res.body.items.map((s: { signerHash: string }) => s.signerHash)).size).toBe(3);
      for (const s of gardenSigned) {
        expect(res.text).not.toContain(s.identityNumber);
        expect(res.text).not.toContain(s.sub);
      }
      expect(res.text).not.toMatch(/identityNumber/i);

      const regional = await fresh(`/petitions/${road}/signatures?limit=100`);
      expect(regional.body.items).toHaveLength(60);
      const perProvince: Record<string, number> = {};
      for (const s of regional.body.items) perProvince[s.provinceId] = (perProvince[s.provinceId] ?? 0) + 1;
      expect(perProvince).toEqual(Object.fromEntries(GUELMIM_PROVINCES.map((p) => [p, 15])));
      expect(regional.text).not.toContain(identityNumber(0));
    });

    it('are charted per day with cumulative counts across several days', async () => {
      h.clock.advance(DAY);
      days.push(h.clock.iso().slice(0, 10));
      gardenSigned.push(...(await sign(garden, 2, { idPrefix: 'GD', offset: 3 })));
      h.clock.advance(2 * DAY);
      days.push(h.clock.iso().slice(0, 10));
      gardenSigned.push(...(await sign(garden, 2, { idPrefix: 'GD', offset: 5 })));
      const withdrawer = gardenSigned[0];
      const withdrawn = await h.post(`/petitions/${garden}/signatures/withdrawal`, { identityNumber: withdrawer.identityNumber }, withdrawer.token);
      expect(withdrawn.status).toBe(200);
      known.get(garden)!.signatures -= 1;
      expect(new Set(days).size).toBe(3);

      const res = await fresh(`/petitions/${garden}/signatures/daily`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        petitionId: garden,
        days: [
          { day: days[0], signed: 3, withdrawn: 0, invalidated: 0, reinstated: 0, net: 3, cumulative: 3 },
          { day: days[1], signed: 2, withdrawn: 0, invalidated: 0, reinstated: 0, net: 2, cumulative: 5 },
          { day: days[2], signed: 2, withdrawn: 1, invalidated: 0, reinstated: 0, net: 1, cumulative: 6 },
        ],
      });
      expect((await h.petition(garden)).body.signatureCount).toBe(6);

      const listed = await fresh(`/petitions/${garden}/signatures`);
      const mine = listed.body.items.find((s: { id: string }) => s.id === withdrawer.signatureId);
      expect(mine).toMatchObject({ status: 'withdrawn', withdrawnAt: h.clock.iso() });
      expect(listed.text).not.toContain(withdrawer.identityNumber);
    });

    it('the light petition’s 200 signatures were all on one day; a petition with none has an empty chart', async () => {
      const res = await fresh(`/petitions/${light}/signatures/daily`);
      expect(res.body.days).toEqual([{ day: expect.any(String), signed: 200, withdrawn: 0, invalidated: 0, reinstated: 0, net: 200, cumulative: 200 }]);
      expect((await fresh(`/petitions/${beach}/signatures/daily`)).body).toEqual({ petitionId: beach, days: [] });
      expect((await fresh(`/petitions/${beach}/signatures`)).body).toEqual({ petitionId: beach, items: [], nextCursor: null });
    });

    it('signature pages walk every signature once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await fresh(`/petitions/${road}/signatures?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...res.body.items.map((s: { id: string }) => s.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(60);
      expect(new Set(seen).size).toBe(60);
    });

    it('the signature count in the list follows withdrawals', async () => {
      const items = await list('sort=signatures&limit=100');
      for (const item of items) expect(item.signatureCount).toBe(known.get(item.id)!.signatures);
    });
  });
});

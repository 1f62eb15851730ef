/**
 * What the portal relies on, without a browser: its files served at `/` without shadowing the
 * API, /docs or the problem document of an unknown path; the development login, present only on
 * the embedded development secret; the success schemas its typed client is generated from.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { citizensPetition, Harness, startApp } from './harness';

const site = mkdtempSync(join(tmpdir(), 'portal-site-'));
writeFileSync(join(site, 'index.html'), '<!doctype html><html lang="ar" dir="rtl"><title>portal</title><script type="module" src="/main.js"></script></html>');
writeFileSync(join(site, 'main.js'), 'document.body.dataset.ready = "true";\n');
mkdirSync(join(site, 'pages'));
writeFileSync(join(site, 'pages', 'home.js'), 'export {};\n');

let h: Harness;
beforeAll(async () => {
  h = await startApp({ portal: site });
});
afterAll(async () => {
  await h?.close();
  rmSync(site, { recursive: true, force: true });
});
afterEach(() => expect(h.serverErrors.splice(0)).toEqual([]));

describe('the portal at /', () => {
  it('serves its page and modules, with the security headers, and leaves the API as it was', async () => {
    const page = await h.get('/');
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain('dir="rtl"');
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect((await h.get('/main.js')).contentType).toMatch(/javascript/);
    expect((await h.get('/pages/home.js')).status).toBe(200);
    // The API, the documentation and unknown paths are untouched.
    expect((await h.get('/petitions')).body).toMatchObject({ items: [] });
    expect((await h.get('/docs')).status).toBe(200);
    const unknown = await h.get('/no-such-page');
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toMatch(/^application\/problem\+json/);
    expect((await h.get('/pages/')).status).toBe(404);
  });
});

describe('the development login', () => {
  it('mints a token that the service accepts, for the roles the portal offers', async () => {
    const minted = await h.post('/dev/token', { role: 'citizen', cin: 'jb123456', name: 'Amina El Idrissi', address: '12 rue Al Massira, Tan-Tan' });
    expect(minted.status).toBe(200);
    expect(minted.body).toMatchObject({ roles: ['citizen'], council: null });
    const filed = await h.post('/petitions', citizensPetition('commune-tan-tan'), minted.body.token);
    expect(filed.status).toBe(201);
    const signed = await h.post(
      `/petitions/${filed.body.id}/signatures`,
      { basis: 'residence', meetsElectoralRegistrationConditions: true },
      minted.body.token,
    );
    expect(signed.status).toBe(201);
    const clerk = await h.post('/dev/token', { role: 'clerk', council: 'commune-tan-tan' });
    expect(clerk.body).toMatchObject({ roles: ['clerk'], council: 'commune-tan-tan' });
  });

  it('refuses what it cannot mint, with problem documents', async () => {
    const bad = await h.post('/dev/token', { role: 'admin' });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const noCouncil = await h.post('/dev/token', { role: 'official' });
    expect([noCouncil.status, noCouncil.body.code, noCouncil.body.errors[0].field]).toEqual([400, 'VALIDATION_FAILED', 'council']);
    const unknown = await h.post('/dev/token', { role: 'clerk', council: 'commune-atlantis' });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'COUNCIL_NOT_FOUND']);
    const smuggled = await h.post('/dev/token', { role: 'citizen', cin: 'AB123456', roles: ['admin'] });
    expect([smuggled.status, smuggled.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('does not exist when the operator gives the secret (JWT_SECRET): production', async () => {
    const production = await startApp({ env: { JWT_SECRET: 'an operator-provided secret of at least 32 bytes' } });
    try {
      const refused = await production.post('/dev/token', { role: 'citizen', cin: 'JB123456' });
      expect([refused.status, refused.contentType.split(';')[0]]).toEqual([404, 'application/problem+json']);
      expect(Object.keys((await production.get('/docs-json')).body.paths)).not.toContain('/dev/token');
    } finally {
      await production.close();
    }
  });

  it('does not exist when the embedded service listens beyond this machine (HOST=0.0.0.0)', async () => {
    const shared = await startApp({ env: { HOST: '0.0.0.0' } });
    try {
      const refused = await shared.post('/dev/token', { role: 'clerk', council: 'commune-tan-tan' });
      expect([refused.status, refused.body.code]).toEqual([404, 'NOT_FOUND']);
      expect(Object.keys((await shared.get('/docs-json')).body.paths)).not.toContain('/dev/token');
    } finally {
      await shared.close();
    }
  });
});

describe('the success schemas the typed client is generated from', () => {
  it.each([
    ['/petitions/{id}', 'PetitionView'],
    ['/councils/{id}', 'CouncilView'],
    ['/councils/{id}/dashboard', 'CouncilDashboardView'],
    ['/receipts/{receipt}', 'ReceiptVerification'],
    ['/petitions', 'PetitionPage'],
    ['/overdue', 'OverduePage'],
    ['/councils', 'CouncilList'],
    ['/petitions/{id}/history', 'HistoryPage'],
    ['/petitions/{id}/signatures/daily', 'SignatureDays'],
  ])('GET %s answers a %s', async (path, schema) => {
    const doc = (await h.get('/docs-json')).body;
    expect(doc.paths[path].get.responses['200'].content['application/json'].schema).toEqual({ $ref: `#/components/schemas/${schema}` });
    expect(Object.keys(doc.components.schemas[schema].properties).length).toBeGreaterThanOrEqual(2);
  });

  it('describes what GET /petitions/{id} and GET /councils/{id}/dashboard answer, field for field', async () => {
    const doc = (await h.get('/docs-json')).body;
    const token = (await h.post('/dev/token', { role: 'citizen', cin: 'JB654321' })).body.token;
    const filed = await h.post('/petitions', citizensPetition('commune-tan-tan', 'Un parc pour Tan-Tan'), token);
    const petition = await h.readAtHead(`/petitions/${filed.body.id}`);
    const dashboard = await h.readAtHead('/councils/commune-tan-tan/dashboard');
    for (const [schema, body] of [
      ['PetitionView', petition.body],
      ['CouncilDashboardView', dashboard.body],
    ] as const) {
      const { properties, required } = doc.components.schemas[schema];
      // Every field answered is described; every required field is answered.
      expect(Object.keys(body).filter((k) => !(k in properties))).toEqual([]);
      expect((required as string[]).filter((k) => !(k in body))).toEqual([]);
    }
  });
});

describe('the dialogue schemas the portal’s dialogue pages are typed by', () => {
  it('describe what the threads, a thread, an official and a follow answer, field for field', async () => {
    const doc = (await h.get('/docs-json')).body;
    const council = 'commune-sefrou';
    const clerk = await h.token('clerk-schemas', ['clerk'], council);
    const official = await h.post(
      '/officials',
      {
        councilId: council,
        name: { ar: 'سعاد العلمي', fr: 'Souad Alami' },
        role: 'president',
        termStart: '2021-09-21',
        termEnd: '2027-09-30',
        accountSub: 'official-souad',
      },
      clerk,
    );
    expect(official.status).toBe(201);
    const citizen = await h.token('citizen-schemas', ['citizen']);
    const opened = await h.post(
      '/dialogues',
      {
        councilId: council,
        officialId: official.body.id,
        category: 'waste',
        area: 'Bni Safar',
        subject: 'Les bennes ne sont plus vidées depuis deux semaines',
        text: 'Les bennes de la rue principale débordent depuis deux semaines.',
        displayName: 'Youssef de Bni Safar',
      },
      citizen,
    );
    expect(opened.status).toBe(201);
    expect((await h.post('/follows', { kind: 'thread', id: opened.body.id }, citizen)).status).toBe(201);
    const souad = await h.token('official-souad', ['official'], council);
    expect((await h.post(`/dialogues/${opened.body.id}/messages`, { text: 'Le camion repasse dès demain matin.', asCouncilAnswer: true }, souad)).status).toBe(
      201,
    );
    expect(
      (
        await h.post(
          `/dialogues/${opened.body.id}/commitments`,
          { text: 'Vider les bennes de la rue principale deux fois par semaine', dueOn: '2027-03-01' },
          souad,
        )
      ).status,
    ).toBe(201);
    const thread = (await h.readAtHead(`/dialogues/${opened.body.id}`)).body;
    const list = (await h.readAtHead(`/dialogues?council=${council}`)).body;
    const person = (await h.readAtHead(`/officials/${official.body.id}`)).body;
    const follows = (await h.readAtHead('/follows', { token: citizen })).body;
    for (const [schema, body] of [
      ['ThreadView', thread],
      ['ThreadMessage', thread.messages[1]],
      ['MessageAuthorView', thread.messages[1].author],
      ['ThreadCommitment', thread.commitments[0]],
      ['ThreadPage', list],
      ['ThreadSummary', list.items[0]],
      ['OfficialView', person],
      ['FollowPage', follows],
      ['FollowItem', follows.items[0]],
      ['FollowChange', follows.items[0].changes[0]],
    ] as const) {
      expect({ schema, answered: body !== undefined && body !== null }).toEqual({ schema, answered: true });
      const { properties, required = [] } = doc.components.schemas[schema];
      expect({ schema, undescribed: Object.keys(body).filter((k) => !(k in properties)) }).toEqual({ schema, undescribed: [] });
      expect({ schema, missing: (required as string[]).filter((k) => !(k in body)) }).toEqual({ schema, missing: [] });
    }
  });
});

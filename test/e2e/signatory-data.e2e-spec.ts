/**
 * The signatory-data vault end to end, on the real embedded stores: particulars sealed in the
 * signature events, the signatory list for the petition's agent and its council's clerks only
 * (every download recorded), erasure by the signatory or an admin (counts and hash chains stay
 * valid, the data is gone from every answer and from the bytes of every store file), no personal
 * data in any public answer, and shredding once the retention period after the petition's end ran.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignatoryDataRetention } from '../../src/processes/signatory-data-retention/signatory-data-retention.service';
import { EVENT_STORE, EventStore, StreamNotFoundError } from '../../src/infrastructure/event-store/event-store.port';
import { KEY_STORE, KeyStore } from '../../src/infrastructure/vault/key-store.port';
import { signDevToken } from '../../src/infrastructure/auth/jwt-verifier';
import { citizensPetition, expectProblem, signBody, useApp } from './harness';

const h = useApp();

/** Paper signatories, typed from the sheets by the agent. */
const PAPER = [
  { identityNumber: 'ZT482913', fullName: 'Zineb Ouazzani-Tahiri', address: '14 derb Sidi Bouloukat, Tan-Tan' },
  { identityNumber: 'KM730155', fullName: 'Khalid Moutawakkil', address: '3 rue Ibn Batouta, Tan-Tan' },
  { identityNumber: 'LH219876', fullName: 'لطيفة الحسناوي', address: 'حي الوحدة، زنقة 12، طانطان' },
];
/** Online signatories, whose identity provider attests number, name and address. */
const ONLINE = [
  { sub: 'citizen-vault-1', identityNumber: 'RB551234', fullName: 'Rachid Bouzidi', address: '22 avenue Mohammed V, Tan-Tan' },
  { sub: 'citizen-vault-2', identityNumber: 'SE667788', fullName: 'Salma Ezzahraoui', address: '8 lotissement Al Amal, Tan-Tan' },
];
const PERSONAL = [...PAPER, ...ONLINE].flatMap((p) => [p.identityNumber, p.fullName, p.address]);

const vaultEvents = async (petitionId: string) => {
  try {
    return await h.app.get<symbol, EventStore>(EVENT_STORE).readStream(`signatory-data-${petitionId}`);
  } catch (e) {
    if (e instanceof StreamNotFoundError) return [];
    throw e;
  }
};

/** Every byte of every file under DATA_DIR (event log, read models, key store, their write-ahead logs). */
const storeBytes = () =>
  readdirSync(h.dataDir)
    .filter((f) => !f.endsWith('.json'))
    .map((f) => ({ file: f, bytes: readFileSync(join(h.dataDir, f)) }));

const onlineToken = (p: (typeof ONLINE)[number]) =>
  signDevToken(h.config.jwt.secret!, { sub: p.sub, roles: ['citizen'], cin: p.identityNumber, name: p.fullName, address: p.address });

describe('signatory data vault', () => {
  let id: string;
  let agent: string;
  let clerk: string;
  const signatureIds: string[] = [];
  const receipts: string[] = [];

  beforeAll(async () => {
    agent = await h.token('agent-vault', ['agent']);
    clerk = await h.token('clerk-vault', ['clerk'], 'commune-tan-tan');
    const filed = await h.post('/petitions', citizensPetition('commune-tan-tan', 'Bibliothèque municipale du quartier Al Wahda'), agent);
    expect(filed.status).toBe(201);
    id = filed.body.id;
    for (const [i, p] of PAPER.entries()) {
      const res = await h.post(
        `/petitions/${id}/signatures`,
        signBody(p.identityNumber, { channel: 'paper', paperSheet: { sheet: 1, line: i + 1 }, fullName: p.fullName, address: p.address }),
        agent,
      );
      expect(res.status).toBe(201);
      signatureIds.push(res.body.signatureId);
      receipts.push(res.body.receipt);
    }
    for (const p of ONLINE) {
      const res = await h.post(`/petitions/${id}/signatures`, signBody(p.identityNumber), await onlineToken(p));
      expect(res.status).toBe(201);
      signatureIds.push(res.body.signatureId);
      receipts.push(res.body.receipt);
    }
  });

  it('records the particulars sealed: ciphertext and key id in the event, no name, number or address', async () => {
    const history = await h.history(id);
    const signed = history.events.filter((e) => e.type === 'PetitionSigned.v2');
    expect(signed).toHaveLength(5);
    for (const e of signed) {
      expect(Object.keys(e.data.signatory).sort()).toEqual(['alg', 'ciphertext', 'iv', 'keyId', 'tag']);
      expect(e.data.signatory.alg).toBe('A256GCM');
    }
    expect(signed.filter((e) => e.data.channel === 'paper').map((e) => e.data.paperSheet)).toEqual([
      { sheet: 1, line: 1 },
      { sheet: 1, line: 2 },
      { sheet: 1, line: 3 },
    ]);
    const text = JSON.stringify(history);
    for (const secret of PERSONAL) expect(text).not.toContain(secret);
  });

  it('keeps every public answer free of personal data', async () => {
    const publicUrls = [
      '/petitions',
      `/petitions/${id}`,
      `/petitions?q=${encodeURIComponent('Zineb')}`,
      ...['ar', 'fr', 'en'].map((lang) => `/petitions/${id}/history?lang=${lang}`),
      `/petitions/${id}/signatures`,
      `/petitions/${id}/signatures/daily`,
      ...receipts.map((r) => `/receipts/${r}`),
      '/councils/commune-tan-tan',
      '/councils/commune-tan-tan/dashboard',
      '/overdue',
      '/exports/petitions.csv',
      '/exports/petitions.json',
      '/projections',
      '/health',
    ];
    await h.readAtHead(`/petitions/${id}/signatures`);
    await h.readAtHead(`/petitions/${id}`);
    for (const url of publicUrls) {
      const res = await h.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      for (const secret of PERSONAL) expect({ url, leaks: res.text.includes(secret) ? secret : null }).toEqual({ url, leaks: null });
    }
    // The signatory list is never public.
    expectProblem(await h.get(`/petitions/${id}/signatories`), 401, 'UNAUTHENTICATED');
  });

  it('gives the list to a clerk of the council, in the decree layout, and records the download', async () => {
    const before = await vaultEvents(id);
    const res = await h.get(`/petitions/${id}/signatories?format=html`, clerk);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store, private');
    for (const secret of PERSONAL) expect(res.text).toContain(secret.replace(/&/g, '&amp;'));
    // Council, filing date and subject in the repeated table header, so on top of every printed page.
    const thead = res.text.slice(res.text.indexOf('<thead>'), res.text.indexOf('</thead>'));
    expect(thead).toContain('طانطان');
    expect(thead).toContain('Tan-Tan');
    expect(thead).toContain('Bibliothèque municipale du quartier Al Wahda');
    expect(thead).toMatch(/Date de dépôt : 11 janvier 2027/);
    expect(res.text).toMatch(/thead \{ display: table-header-group; \}/);
    expect(res.text).toMatch(/@page/);
    const after = await vaultEvents(id);
    expect(after).toHaveLength(before.length + 1);
    const download = after[after.length - 1];
    expect(download.type).toBe('SignatoryListDownloaded.v1');
    expect(download.data).toMatchObject({ petitionId: id, format: 'html', rows: 5, erasedRows: 0, as: 'council_clerk' });
    expect(download.metadata.actor).toMatchObject({ id: 'clerk-vault', role: 'clerk', councilId: 'commune-tan-tan' });
    expect(res.headers['x-position']).toBe(download.position.toString());
  });

  it('gives the CSV to the petition’s agent', async () => {
    const res = await h.get(`/petitions/${id}/signatories?format=csv`, agent);
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^text\/csv/);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('line,signatureId,status,fullName,identityNumber,address,provinceId,sheet,sheetLine,channel,signedAt');
    expect(lines).toHaveLength(6);
    expect(lines[1]).toContain(`1,${signatureIds[0]},readable,Zineb Ouazzani-Tahiri,ZT482913,"14 derb Sidi Bouloukat, Tan-Tan",,1,1,paper,`);
    expect(lines[4]).toContain('Rachid Bouzidi,RB551234');
    const download = (await vaultEvents(id)).pop()!;
    expect(download.data).toMatchObject({ format: 'csv', rows: 5, as: 'petition_agent' });
  });

  it('refuses everyone else, and records nothing for them', async () => {
    const before = (await vaultEvents(id)).length;
    const head = await h.headPosition();
    expectProblem(await h.get(`/petitions/${id}/signatories`, await h.token('clerk-agadir', ['clerk'], 'commune-agadir')), 403, 'NOT_COUNCIL_STAFF');
    expectProblem(await h.get(`/petitions/${id}/signatories`, await h.token('official-tt', ['official'], 'commune-tan-tan')), 403, 'ROLE_NOT_ALLOWED');
    expectProblem(await h.get(`/petitions/${id}/signatories`, await h.token('auditor-1', ['auditor'])), 403, 'ROLE_NOT_ALLOWED');
    expectProblem(await h.get(`/petitions/${id}/signatories`, await h.token('agent-other', ['agent'])), 403, 'SIGNATORY_LIST_NOT_ALLOWED');
    expectProblem(await h.get(`/petitions/${id}/signatories`, await onlineToken(ONLINE[0])), 403, 'SIGNATORY_LIST_NOT_ALLOWED');
    expectProblem(await h.get(`/petitions/${id}/signatories?format=pdf`, clerk), 400, 'VALIDATION_FAILED');
    expect((await vaultEvents(id)).length).toBe(before);
    expect(await h.headPosition()).toBe(head);
  });

  it('takes paper sheets as numbers only, and a name only where a name goes', async () => {
    const paper = (extra: Record<string, unknown>) =>
      h.post(
        `/petitions/${id}/signatures`,
        signBody('QQ100001', { channel: 'paper', fullName: 'Omar Kettani', address: '1 rue Atlas, Tan-Tan', ...extra }),
        agent,
      );
    const head = await h.headPosition();
    const legacy = expectProblem(await paper({ paperSheetRef: 'Omar Kettani QQ100001' }), 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(legacy)).not.toContain('QQ100001');
    expectProblem(await paper({ paperSheet: { sheet: 'Omar', line: 1 } }), 400, 'VALIDATION_FAILED');
    expectProblem(await paper({ paperSheet: { sheet: 1.5, line: 1 } }), 400, 'VALIDATION_FAILED');
    expectProblem(await paper({ paperSheet: { sheet: 1, line: 1, note: 'QQ100001' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await paper({}), 400, 'VALIDATION_FAILED');
    expectProblem(await paper({ paperSheet: { sheet: 1, line: 9 }, fullName: 'Omar QQ100001' }), 400, 'VALIDATION_FAILED');
    expectProblem(await paper({ paperSheet: { sheet: 1, line: 9 }, fullName: undefined }), 400, 'VALIDATION_FAILED');
    // Online, the particulars come from the identity provider only.
    const noClaims = await signDevToken(h.config.jwt.secret!, { sub: 'citizen-noclaims', roles: ['citizen'], cin: 'QQ100002' });
    expectProblem(await h.post(`/petitions/${id}/signatures`, signBody('QQ100002'), noClaims), 403, 'IDENTITY_NOT_ATTESTED');
    const typed = await h.post(
      `/petitions/${id}/signatures`,
      signBody('QQ100003', { fullName: 'Someone Else', address: 'x 1' }),
      await h.token('citizen-q3', ['citizen'], undefined, 'QQ100003'),
    );
    expectProblem(typed, 422, 'PARTICULARS_ATTESTED');
    expect(await h.headPosition()).toBe(head);
  });

  describe('erasure', () => {
    let victimKey: Buffer;
    let onlineKey: Buffer;
    let countBefore: number;

    beforeAll(async () => {
      const keys = h.app.get<symbol, KeyStore>(KEY_STORE);
      const history = await h.history(id);
      const keyIdOf = (signatureId: string) => history.events.find((e) => e.data.signatureId === signatureId)!.data.signatory.keyId as string;
      const found = await keys.getMany([keyIdOf(signatureIds[0]), keyIdOf(signatureIds[3])]);
      victimKey = found.get(keyIdOf(signatureIds[0]))!.wrappedKey;
      onlineKey = found.get(keyIdOf(signatureIds[3]))!.wrappedKey;
      countBefore = (await h.petition(id)).body.signatureCount;
      expect(countBefore).toBe(5);
    });

    it('lets the signatory erase their own data, recorded under their pseudonym', async () => {
      const res = await h.post('/signers/erasure', { petitionId: id }, await onlineToken(ONLINE[0]));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ erased: 1, petitions: [id], position: expect.stringMatching(/^\d+$/) });
      const erased = (await vaultEvents(id)).filter((e) => e.type === 'SignatoryDataErased.v1');
      expect(erased).toHaveLength(1);
      expect(erased[0].data).toMatchObject({ petitionId: id, signatureId: signatureIds[3], requestedBy: 'signatory' });
      expect(erased[0].metadata.actor.id).toMatch(/^citizen:[0-9a-f]{32}$/);
      expectProblem(await h.post('/signers/erasure', { petitionId: id }, await onlineToken(ONLINE[0])), 404, 'SIGNATORY_DATA_NOT_FOUND');
    });

    it('lets an admin erase on a written request, with its reference, and nobody else', async () => {
      const admin = await h.token('admin-vault', ['admin']);
      const body = { identityNumber: PAPER[0].identityNumber, requestReference: 'ERA/2026/0042' };
      expectProblem(await h.post('/signers/erasure', body, agent), 403, 'ROLE_NOT_ALLOWED');
      expectProblem(await h.post('/signers/erasure', body, await h.token('citizen-x', ['citizen'], undefined, 'XX123456')), 403, 'ROLE_NOT_ALLOWED');
      expectProblem(await h.post('/signers/erasure', { identityNumber: PAPER[0].identityNumber }, admin), 422, 'REQUEST_REFERENCE_REQUIRED');
      for (const requestReference of ['Zineb', 'ZT482913', 'REQ ZT482913', 'A-123456', 'Ouazzani 2026']) {
        expectProblem(await h.post('/signers/erasure', { ...body, requestReference }, admin), 400, 'VALIDATION_FAILED');
      }
      expectProblem(await h.post('/signers/erasure', {}, admin), 403, 'IDENTITY_NOT_ATTESTED');
      const res = await h.post('/signers/erasure', body, admin);
      expect(res.status).toBe(200);
      expect(res.body.erased).toBe(1);
      const erased = (await vaultEvents(id)).filter((e) => e.type === 'SignatoryDataErased.v1').pop()!;
      expect(erased.data).toMatchObject({ signatureId: signatureIds[0], requestedBy: 'admin', requestReference: 'ERA/2026/0042' });
      expect(erased.metadata.actor).toMatchObject({ id: 'admin-vault', role: 'admin' });
    });

    it('keeps counts and hash chains valid, and the lists say erased', async () => {
      expect((await h.petition(id)).body.signatureCount).toBe(countBefore);
      const history = await h.history(id);
      expect(history.lifecycleIntegrity.verified).toBe(true);
      expect(history.pageIntegrity.verified).toBe(true);
      // The audit trail shows the downloads and erasures with the rest of the petition's history.
      expect(history.events.filter((e) => e.type === 'SignatoryDataErased.v1').map((e) => e.data.signatureId)).toEqual([signatureIds[3], signatureIds[0]]);
      expect(history.events.filter((e) => e.type === 'SignatoryListDownloaded.v1')).toHaveLength(2);
      for (const r of receipts) expect((await h.get(`/receipts/${r}`)).status).toBe(200);
      const csv = (await h.get(`/petitions/${id}/signatories?format=csv`, clerk)).text.split('\r\n');
      expect(csv[1]).toContain(`1,${signatureIds[0]},erased,erased,erased,erased,,1,1,paper,`);
      expect(csv[4]).toContain(`4,${signatureIds[3]},erased,erased,erased,erased`);
      expect(csv[2]).toContain('Khalid Moutawakkil');
      const download = (await vaultEvents(id)).pop()!;
      expect(download.data).toMatchObject({ rows: 5, erasedRows: 2 });
      const html = (await h.get(`/petitions/${id}/signatories`, agent)).text;
      expect(html).toContain('مُحيت · effacé');
      expect(html).toContain('Khalid Moutawakkil');
    });

    it('leaves the erased particulars in no answer and in no byte of any store file', async () => {
      const erasedSecrets = [PAPER[0], ONLINE[0]].flatMap((p) => [p.fullName, p.identityNumber, p.address]);
      const answers = [
        await h.get(`/petitions/${id}/signatories?format=csv`, clerk),
        await h.get(`/petitions/${id}/signatories?format=html`, agent),
        await h.get(`/petitions/${id}/events?limit=1000`, await h.token('auditor-1', ['auditor'])),
        await h.get(`/petitions/${id}`),
        await h.get(`/petitions/${id}/signatures`),
      ];
      for (const res of answers) for (const secret of erasedSecrets) expect(res.text).not.toContain(secret);
      const files = storeBytes();
      expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['events.sqlite', 'read-models.sqlite', 'signer-keys.sqlite']));
      for (const { file, bytes } of files) {
        for (const secret of [...erasedSecrets, PAPER[1].fullName]) {
          expect({ file, secret, found: bytes.includes(Buffer.from(secret, 'utf8')) }).toEqual({ file, secret, found: false });
        }
        expect({ file, key: bytes.includes(victimKey) || bytes.includes(onlineKey) }).toEqual({ file, key: false });
      }
    });
  });

  it('shreds a petition’s personal data once, six months after it ended', async () => {
    const filed = await h.post('/petitions', citizensPetition('commune-tan-tan', 'Terrain de sport du quartier Ennahda'), agent);
    const other = filed.body.id as string;
    for (const [i, p] of PAPER.slice(1).entries()) {
      const res = await h.post(
        `/petitions/${other}/signatures`,
        signBody(p.identityNumber, { channel: 'paper', paperSheet: { sheet: 2, line: i + 1 }, fullName: p.fullName, address: p.address }),
        agent,
      );
      expect(res.status).toBe(201);
    }
    expect((await h.post(`/petitions/${other}/withdrawal`, {}, agent)).status).toBe(200);
    const retention = h.app.get(SignatoryDataRetention);
    h.clock.advanceDays(180);
    expect(await retention.checkNow()).toBe(0);
    expect((await h.get(`/petitions/${other}/signatories?format=csv`, agent)).text).toContain('Khalid Moutawakkil');
    h.clock.advanceDays(5);
    expect(await retention.checkNow()).toBe(1);
    expect(await retention.checkNow()).toBe(0);
    const shredded = (await vaultEvents(other)).filter((e) => e.type === 'SignatoryDataShredded.v1');
    expect(shredded).toHaveLength(1);
    expect(shredded[0].data).toMatchObject({ petitionId: other, retentionMonths: 6, keysDeleted: 2 });
    const csv = (await h.get(`/petitions/${other}/signatories?format=csv`, agent)).text;
    expect(csv).not.toContain('Khalid Moutawakkil');
    expect(
      csv
        .trim()
        .split('\r\n')
        .slice(1)
        .every((l) => l.includes(',erased,erased,erased,erased,')),
    ).toBe(true);
    // The first petition is still open: its remaining particulars are kept.
    expect((await h.get(`/petitions/${id}/signatories?format=csv`, agent)).text).toContain('Khalid Moutawakkil');
  });

  it('prints the province of each signatory of a regional petition, for the region’s clerk', async () => {
    const filed = await h.post('/petitions', citizensPetition('region-guelmim-oued-noun', 'Transport scolaire rural dans la région'), agent);
    const regional = filed.body.id as string;
    const signed = await h.post(
      `/petitions/${regional}/signatures`,
      signBody('PR300001', {
        channel: 'paper',
        provinceId: 'province-assa-zag',
        paperSheet: { sheet: 1, line: 1 },
        fullName: 'Brahim Ait Lahcen',
        address: 'Douar Touizgui, Assa',
      }),
      agent,
    );
    expect(signed.status).toBe(201);
    expectProblem(await h.get(`/petitions/${regional}/signatories`, clerk), 403, 'NOT_COUNCIL_STAFF');
    const regionClerk = await h.token('clerk-region', ['clerk'], 'region-guelmim-oued-noun');
    const html = await h.get(`/petitions/${regional}/signatories`, regionClerk);
    expect(html.status).toBe(200);
    expect(html.text).toContain('العمالة أو الإقليم<br>Préfecture ou province');
    expect(html.text).toMatch(/<td>Brahim Ait Lahcen<\/td><td dir="ltr">PR300001<\/td><td>Douar Touizgui, Assa<\/td><td>[^<]+<\/td>/);
    const csv = await h.get(`/petitions/${regional}/signatories?format=csv`, regionClerk);
    expect(csv.text).toContain('Brahim Ait Lahcen,PR300001,"Douar Touizgui, Assa",province-assa-zag,1,1,paper,');
  });
});

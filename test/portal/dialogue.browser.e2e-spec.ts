/**
 * The portal's dialogue, auditor, association and council pages in a real browser (Debian's
 * Chromium through playwright-core), on the real service: a citizen asks a question through the UI
 * on a phone, in Arabic, and follows the thread; an official of the council logs in, is registered
 * by a clerk, and answers as the council; the official's record counts it. An auditor downloads a
 * petition's audit export, which verifies. An association's representative files through the form
 * (field errors on the association's fields); a clerk decides admissibility and records the
 * response. Each page passes axe-core in Arabic and French; screenshots under test-artefacts/portal/.
 */
import { readFileSync } from 'node:fs';
import { parsePublicKey } from '../../src/domain/audit/checkpoint';
import { ExportLine, verifyAuditExport } from '../../src/domain/audit/audit-export';
import { citizensPetition } from '../e2e/harness';
import { CHROMIUM, DESKTOP, HAS_CHROMIUM, PHONE, usePortal } from './browser-harness';

// Runs in the page (this program has no DOM library).
declare const sessionStorage: { getItem(key: string): string | null };

const COUNCIL = 'commune-sefrou';

if (!HAS_CHROMIUM) {
  test.skip(`browser suite skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`, () => undefined);
} else {
  describe('portal dialogue, audit and council pages in Chromium', () => {
    jest.setTimeout(180_000);
    const portal = usePortal();
    const { newPage, open, navigate, expectAccessible, screenshot } = portal;
    const devSession = (page: import('playwright-core').Page) =>
      page.evaluate(() => JSON.parse(sessionStorage.getItem('portal.devToken') ?? 'null') as { token: string; sub: string } | null);

    let threadId: string;
    let officialId: string;

    it('a citizen asks through the UI on a phone and follows; an official answers as the council', async () => {
      const h = portal.h;
      const citizenToken = await h.token('citizen-seed', ['citizen'], undefined, 'CD100001');
      const seeded = await h.post(
        '/dialogues',
        {
          councilId: COUNCIL,
          category: 'water',
          area: 'حي بنصفار',
          subject: 'انقطاع الماء كل مساء في حي بنصفار',
          text: 'ينقطع الماء كل مساء منذ شهرين في حي بنصفار.',
          displayName: 'يوسف من بنصفار',
        },
        citizenToken,
      );
      expect(seeded.status).toBe(201);

      // The official logs in on a thread of their council; the page shows the account a clerk registers.
      const official = await newPage(DESKTOP, 'fr');
      await open(official.page, `#/dialogues/${seeded.body.id}`);
      await official.page.getByLabel('Qualité').selectOption('official');
      await official.page.waitForSelector(`#login-council option[value="${COUNCIL}"]`, { state: 'attached' });
      await official.page.getByLabel('Conseil', { exact: true }).selectOption(COUNCIL);
      await official.page.getByRole('button', { name: 'Connexion (développement)' }).click();
      await official.page.waitForSelector('text=Votre compte');
      const officialSession = (await devSession(official.page))!;
      const clerk = await h.token('clerk-sefrou', ['clerk'], COUNCIL);
      const registered = await h.post(
        '/officials',
        {
          councilId: COUNCIL,
          name: { ar: 'كريم بناني', fr: 'Karim Bennani' },
          role: 'councillor',
          committee: 'Commission des services publics',
          termStart: '2021-09-21',
          termEnd: '2027-09-30',
          accountSub: officialSession.sub,
        },
        clerk,
      );
      expect(registered.status).toBe(201);
      officialId = registered.body.id;
      await h.readAtHead(`/officials/${officialId}`);

      // The citizen, on a phone, in Arabic: log in, a field error from the API, then the question to the councillor.
      const citizen = await newPage(PHONE);
      await open(citizen.page, `#/dialogues/new?council=${COUNCIL}`);
      await citizen.page.getByLabel('رقم البطاقة الوطنية').fill('CD123456');
      await citizen.page.getByRole('button', { name: 'الدخول (بيئة التطوير)' }).click();
      await citizen.page.waitForSelector('form.thread-form');
      await citizen.page.waitForSelector(`#thread-officialId option[value="${officialId}"]`, { state: 'attached' });
      await citizen.page.getByLabel('الموجَّه إليه').selectOption(officialId);
      await citizen.page.getByLabel('الفئة').selectOption('lighting');
      await citizen.page.getByLabel('الحي أو الدوار').fill('دوار بني عباس');
      await citizen.page.getByLabel('الرسالة').fill('الشارع الرئيسي للدوار بلا إنارة منذ ستة أشهر، والتلاميذ يعودون في الظلام.');
      await citizen.page.getByLabel('الاسم الذي يظهر للعموم').fill('أمينة من بني عباس');
      await citizen.page.getByRole('button', { name: 'انشر النقاش' }).click();
      await citizen.page.waitForSelector('#thread-subject[aria-invalid="true"]');
      expect(await citizen.page.locator('.field-error').first().textContent()).toMatch(/subject/);
      await expectAccessible(citizen.page, 'new thread ar (errors)');
      await screenshot(citizen.page, 'new-thread-ar-phone');
      await citizen.page.getByLabel('الموضوع').fill('الشارع الرئيسي بلا إنارة منذ ستة أشهر');
      await citizen.page.getByRole('button', { name: 'انشر النقاش' }).click();
      await citizen.page.waitForSelector('h1:has-text("الشارع الرئيسي بلا إنارة")');
      await citizen.page.waitForSelector('body[data-ready="true"]');
      threadId = /#\/dialogues\/([0-9a-f-]{36})/.exec(citizen.page.url())![1];
      expect(await citizen.page.locator('.meta a[href^="#/officials/"]').first().textContent()).toContain('كريم بناني');
      await citizen.page.getByRole('button', { name: 'تابِع هذا النقاش' }).click();
      await citizen.page.waitForSelector('text=أنت تتابع هذا النقاش');
      const citizenSession = (await devSession(citizen.page))!;
      const follows = await h.readAtHead('/follows', { token: citizenSession.token });
      expect(follows.body.items.map((f: { target: { id: string } }) => f.target.id)).toContain(threadId);

      // The official answers, as the council's answer.
      await navigate(official.page, `#/dialogues/${threadId}`);
      await official.page.getByLabel('Votre réponse').fill('Merci. Les lampadaires du douar seront remplacés avant la fin du mois de mars.');
      await official.page.getByLabel('Cette réponse est celle du conseil').check();
      await official.page.getByRole('button', { name: 'Publier la réponse' }).click();
      await official.page.waitForSelector('.council-answer .badge-answer');
      expect(await official.page.locator('.message-official .meta a').first().textContent()).toContain('Karim Bennani');
      // And commits to a date, through the form officials see.
      await official.page.getByLabel('Ce qui sera fait').fill('Remplacer les douze lampadaires de la rue principale du douar');
      await official.page.getByLabel('Au plus tard le').fill('2027-03-31');
      await expectAccessible(official.page, 'thread fr (official)');
      await official.page.getByRole('button', { name: 'Enregistrer l’engagement' }).click();
      await official.page.waitForSelector('.commitments .badge-cm-open');
      await screenshot(official.page, 'thread-fr-official');
      await official.context.close();
      const thread = (await h.readAtHead(`/dialogues/${threadId}`)).body;
      expect(thread).toMatchObject({ officialId, councilAnswerId: expect.any(String), commitments: [{ status: 'open' }] });

      // The citizen sees the answer and the commitment.
      await citizen.page.reload();
      await citizen.page.waitForSelector('body[data-ready="true"]');
      await citizen.page.waitForSelector('.council-answer');
      expect(await citizen.page.locator('.commitments .badge').first().textContent()).toBe('قيد الإنجاز');
      await screenshot(citizen.page, 'thread-ar-phone');
      await citizen.context.close();
    });

    it.each(['ar', 'fr'] as const)('the threads, a thread and the official’s record in %s pass axe', async (lang) => {
      const { context, page } = await newPage(DESKTOP, lang);
      await open(page, `#/dialogues/${threadId}`);
      await page.waitForSelector('.council-answer');
      const history = await page.locator('ol.timeline li p').first().textContent();
      expect(history).toBe((await portal.h.get(`/dialogues/${threadId}/history?lang=${lang}`)).body.entries[0].text);
      await expectAccessible(page, `thread ${lang}`);
      await screenshot(page, `thread-${lang}`);

      await navigate(page, `#/officials/${officialId}`);
      const figures = await page.locator('.figures dd').allTextContents();
      expect(figures.slice(0, 2)).toEqual(['1', '1']);
      expect(figures[2]).toMatch(/100/);
      await expectAccessible(page, `official ${lang}`);
      await screenshot(page, `official-${lang}`);

      await navigate(page, `#/dialogues?council=${COUNCIL}`);
      expect(await page.locator('ul.cards > li').count()).toBe(2);
      await expectAccessible(page, `threads ${lang}`);
      await screenshot(page, `threads-${lang}`);

      await navigate(page, `#/councils/${COUNCIL}`);
      await page.waitForSelector(`a[href="#/officials/${officialId}"]`);
      await context.close();
    });

    it.each(['ar', 'fr'] as const)('the question form and the association’s filing form in %s pass axe, on a phone', async (lang) => {
      const { context, page } = await newPage(PHONE, lang);
      await open(page, `#/dialogues/new?council=${COUNCIL}`);
      await page.locator('#login-cin').fill(lang === 'ar' ? 'CD200001' : 'CD200002');
      await page.locator('form.login button[type="submit"]').click();
      await page.waitForSelector(`#thread-officialId option[value="${officialId}"]`, { state: 'attached' });
      await expectAccessible(page, `new thread ${lang}`);
      await screenshot(page, `new-thread-${lang}-phone`);
      await navigate(page, '#/file?council=commune-tan-tan');
      await page.locator('#file-petitionerType').selectOption('association');
      await page.waitForSelector('fieldset.association:not([hidden])');
      await page.waitForSelector('.rules li');
      await expectAccessible(page, `file association ${lang}`);
      await context.close();
    });

    it('an auditor downloads a petition’s audit export, and it verifies offline', async () => {
      const h = portal.h;
      const agent = await h.token('agent-audit', ['citizen'], undefined, 'EE100001');
      const filed = await h.post('/petitions', citizensPetition('commune-tan-tan', 'Un terrain de proximité à Tan-Tan'), agent);
      expect(filed.status).toBe(201);
      await h.signMany(filed.body.id, 3, { idPrefix: 'EF' });
      expect((await h.post('/audit/checkpoints', undefined, await h.token('admin-1', ['admin']))).status).toBe(200);

      for (const lang of ['fr', 'ar'] as const) {
        const { context, page } = await newPage(lang === 'ar' ? PHONE : DESKTOP, lang);
        await open(page, `#/petitions/${filed.body.id}`);
        await page.locator('.audit-link a').click();
        await page.waitForSelector('body[data-ready="true"]');
        await page.waitForSelector('pre.code');
        await page.getByRole('button', { name: lang === 'ar' ? 'الدخول (بيئة التطوير)' : 'Connexion (développement)' }).waitFor();
        if (lang === 'ar') {
          await expectAccessible(page, 'audit ar (login)');
          await context.close();
          continue;
        }
        await expectAccessible(page, 'audit fr (login)');
        await page.getByRole('button', { name: 'Connexion (développement)' }).click();
        await page.waitForSelector('#download-audit');
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-audit').click()]);
        expect(download.suggestedFilename()).toBe(`petition-${filed.body.id}-audit.jsonl`);
        const lines = readFileSync(await download.path(), 'utf8')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l) as ExportLine);
        expect(lines[0]).toMatchObject({ kind: 'header', petitionId: filed.body.id });
        expect(lines.filter((l) => l.kind === 'event').length).toBeGreaterThanOrEqual(4);
        const key = parsePublicKey((await h.get('/audit/public-key')).body.publicKey)!;
        expect(verifyAuditExport(lines, key)).toMatchObject({ verified: true });
        await page.waitForSelector('#download-audit ~ [role="status"] .success');
        expect(await page.locator('.success').textContent()).toContain('.jsonl');
        await expectAccessible(page, 'audit fr');
        await screenshot(page, 'audit-fr');
        await context.close();
      }
      // The Arabic page, logged in, after a download (photographed for the documentation).
      const { context, page } = await newPage(DESKTOP, 'ar');
      await open(page, `#/petitions/${filed.body.id}/audit`);
      await page.getByLabel('الصفة').selectOption('auditor');
      await page.getByRole('button', { name: 'الدخول (بيئة التطوير)' }).click();
      await page.waitForSelector('#download-audit');
      await Promise.all([page.waitForEvent('download'), page.locator('#download-audit').click()]);
      await page.waitForSelector('.success');
      expect(await page.locator('.success').textContent()).toMatch(/سطر|أسطر/);
      await expectAccessible(page, 'audit ar');
      await screenshot(page, 'audit-ar');
      await context.close();
    });

    it('an association files through the form; a clerk decides admissibility and records the response', async () => {
      const h = portal.h;
      const { context, page } = await newPage(PHONE, 'fr');
      await open(page, '#/file?council=commune-tan-tan');
      await page.getByLabel('Qualité').selectOption('association_rep');
      await page.getByLabel('Numéro de CNIE').fill('JC223344');
      await page.getByRole('button', { name: 'Connexion (développement)' }).click();
      await page.waitForSelector('fieldset.association:not([hidden])');
      await page.waitForSelector('text=Conditions pour qu’une association pétitionne');
      expect(await page.locator('.rules').first().textContent()).toContain('plus de trois ans');
      await expectAccessible(page, 'file association fr');
      await screenshot(page, 'file-association-fr-phone');

      const body = citizensPetition('commune-tan-tan', 'Protéger la plage El Ouatia');
      await page.getByLabel('Nom de l’association').fill('Association Tan-Tan pour l’environnement');
      await page.getByLabel('Date de constitution').fill('2015-03-01');
      await page.getByLabel('Nombre de membres').fill('150');
      await page.getByLabel('L’association a son siège ou une antenne sur le territoire du conseil').check();
      await page.getByLabel('Son activité est liée à l’objet de la pétition').check();
      for (const label of ['Récépissé définitif ou autre preuve de constitution', 'Statuts de l’association', 'Preuve des pouvoirs du représentant légal'])
        await page.getByLabel(label).check();
      await page.getByLabel('Titre', { exact: true }).fill(body.title);
      await page.getByLabel('Objet', { exact: true }).fill(body.subject);
      await page.getByLabel('Demandes', { exact: true }).fill(body.requests);
      await page.getByLabel('Motifs', { exact: true }).fill(body.reasons);
      // The registration number is missing: the API's field error lands on it.
      await page.getByRole('button', { name: 'Déposer la pétition' }).click();
      await page.waitForSelector('[name="association.registrationNumber"][aria-invalid="true"]');
      await expectAccessible(page, 'file association fr (errors)');
      await page.getByLabel('Numéro du récépissé définitif').fill('TT-2015-0042');
      await page.getByRole('button', { name: 'Déposer la pétition' }).click();
      await page.waitForSelector('h1:has-text("Protéger la plage El Ouatia")');
      const petitionId = /#\/petitions\/([0-9a-f-]{36})/.exec(page.url())![1];
      const filed = (await h.readAtHead(`/petitions/${petitionId}`)).body;
      expect(filed).toMatchObject({ petitionerType: 'association', status: 'collecting' });
      const rep = (await devSession(page))!;
      await context.close();
      expect((await h.post(`/petitions/${petitionId}/submission`, undefined, rep.token)).status).toBe(200);

      // The clerk of the council: an inadmissibility without grounds is refused on its fields; then admissible; then the response.
      const clerk = await newPage(DESKTOP, 'fr');
      await open(clerk.page, `#/petitions/${petitionId}`);
      await clerk.page.locator('details.council-actions summary').click();
      await clerk.page.getByLabel('Qualité').selectOption('clerk');
      await clerk.page.waitForSelector('#login-council option[value="commune-tan-tan"]', { state: 'attached' });
      await clerk.page.getByLabel('Conseil', { exact: true }).selectOption('commune-tan-tan');
      await clerk.page.getByRole('button', { name: 'Connexion (développement)' }).click();
      await clerk.page.waitForSelector('form.decide-form');
      await clerk.page.getByLabel('Décision', { exact: true }).selectOption('inadmissible');
      await clerk.page.getByRole('button', { name: 'Enregistrer la décision' }).click();
      await clerk.page.waitForSelector('#decide-reasonText[aria-invalid="true"]');
      await expectAccessible(clerk.page, 'decide fr (errors)');
      await clerk.page.getByLabel('Décision', { exact: true }).selectOption('admissible');
      await clerk.page.getByLabel('Commission permanente saisie').fill('Commission de l’urbanisme et de l’environnement');
      await clerk.page.getByRole('button', { name: 'Enregistrer la décision' }).click();
      await clerk.page.waitForSelector('form.respond-form');
      expect(await clerk.page.locator('.badge').first().textContent()).toBe('Recevable');
      expect(await clerk.page.locator('main').textContent()).toContain('Renvoyée à : \u2068Commission de l’urbanisme et de l’environnement\u2069');
      await clerk.page.getByLabel('Texte de la réponse').fill('Le conseil adopte la protection de la plage et inscrit les travaux au budget 2027.');
      await clerk.page.getByLabel('Nom du signataire').fill('Fatima Zahra El Idrissi');
      await clerk.page.getByLabel('Sa qualité').fill('Présidente du conseil communal');
      await clerk.page.getByRole('button', { name: 'Enregistrer la réponse' }).click();
      await clerk.page.waitForSelector('.badge:has-text("Réponse donnée")');
      await clerk.page.waitForSelector('strong:has-text("Adoptée")');
      await expectAccessible(clerk.page, 'answered fr');
      await screenshot(clerk.page, 'answered-fr');
      await clerk.context.close();
      expect((await h.readAtHead(`/petitions/${petitionId}`)).body).toMatchObject({ status: 'answered', response: { decision: 'adopted' } });
    });
  });
}

/**
 * The portal in a real browser (Debian's Chromium through playwright-core), on the real service
 * listening on a free local port: file → sign → submit through the UI on a phone-sized screen;
 * Arabic by default, right to left, and the layout mirrors; the language switch is remembered;
 * axe-core finds no serious or critical violation on any page; screenshots of the main pages are
 * saved under test-artefacts/portal/ (and, with PORTAL_SCREENSHOTS_TO_DOCS=1, into docs/portal/).
 */
import { citizensPetition } from '../e2e/harness';
import { CHROMIUM, DESKTOP, HAS_CHROMIUM, PHONE, usePortal } from './browser-harness';

// The callbacks given to page.evaluate run in the page. This program is compiled for Node (no DOM
// library): the few browser globals they use are declared here, for this module only.
declare const document: {
  documentElement: { lang: string; dir: string };
  querySelector(selector: string): { getBoundingClientRect(): { left: number } } | null;
};

if (!HAS_CHROMIUM) {
  test.skip(`browser suite skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`, () => undefined);
} else {
  describe('portal in Chromium', () => {
    jest.setTimeout(180_000);
    const portal = usePortal();
    const { newPage, open, navigate, expectAccessible, screenshot } = portal;

    let councilId: string;
    let threshold: number;
    let petitionId: string;

    it('files, signs and submits a petition through the UI on a phone, in Arabic by default', async () => {
      const councils = (await portal.h.get('/councils?level=commune')).body.councils as { id: string; signatureThreshold: number }[];
      ({ id: councilId, signatureThreshold: threshold } = councils.reduce((a, b) => (b.signatureThreshold < a.signatureThreshold ? b : a)));
      const { context, page } = await newPage(PHONE);
      await open(page, '#/file');
      expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl']);
      // The development login stands in for the identity provider.
      await page.getByLabel('رقم البطاقة الوطنية').fill('JB123456');
      await page.getByLabel('الاسم الكامل').fill('أمينة الإدريسي');
      await page.getByLabel('العنوان', { exact: true }).fill('12 شارع المسيرة، طانطان');
      await page.getByRole('button', { name: 'الدخول (بيئة التطوير)' }).click();
      await page.waitForSelector('form.file-form');
      await page.getByLabel('المجلس', { exact: true }).selectOption(councilId);
      await page.waitForSelector(`text=النصاب: ${threshold}`);
      await expectAccessible(page, 'file');
      await screenshot(page, 'file-ar-phone');

      // The API's field errors appear on the fields.
      const body = citizensPetition(councilId, 'إنارة حي الوحدة');
      await page.getByLabel('الموضوع', { exact: true }).fill(body.subject);
      await page.getByLabel('المطالب', { exact: true }).fill(body.requests);
      await page.getByLabel('الأسباب', { exact: true }).fill(body.reasons);
      await page.getByRole('button', { name: 'تقديم العريضة' }).click();
      await page.waitForSelector('#file-title[aria-invalid="true"]');
      expect(await page.locator('.field-error').first().textContent()).toMatch(/title/);
      await expectAccessible(page, 'file with errors');

      await page.getByLabel('العنوان', { exact: true }).fill(body.title);
      await page.getByRole('button', { name: 'تقديم العريضة' }).click();
      await page.waitForSelector('h1:has-text("إنارة حي الوحدة")');
      await page.waitForSelector('body[data-ready="true"]');
      petitionId = /#\/petitions\/([0-9a-f-]{36})/.exec(page.url())![1];
      expect(await page.locator('.badge').first().textContent()).toBe('جمع التوقيعات');

      // Sign online: the receipt is shown to keep, and verifies.
      await page.getByRole('button', { name: 'أوقّع' }).click();
      const receipt = await page.locator('#receipt').inputValue();
      expect(receipt.length).toBeGreaterThan(100);
      await page.getByRole('button', { name: 'تحقّق من الوصل' }).click();
      await page.waitForSelector('text=حالة التوقيع');
      await expectAccessible(page, 'petition after signing');
      await screenshot(page, 'sign-ar-phone');
      expect((await portal.h.get(`/receipts/${receipt}`)).body).toMatchObject({ valid: true, petitionId, status: 'signed' });

      // The rest of the threshold signs through the API; the filer then submits through the UI.
      await portal.h.signMany(petitionId, threshold - 1, { idPrefix: 'PT' });
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      await page.getByRole('button', { name: 'إيداع العريضة لدى المجلس' }).click();
      await page.waitForSelector('.badge:has-text("أُودعت لدى المجلس")');
      expect(await page.locator('.progress span').first().textContent()).toContain(`${threshold} توقيع`);
      await context.close();
      expect((await portal.h.get(`/petitions/${petitionId}`)).body).toMatchObject({ status: 'submitted', signatureCount: threshold });
    });

    it('mirrors between Arabic and French; the language switch is remembered', async () => {
      // A few petitions collecting signatures, so the home page shows what a visitor would see.
      const seeds: [string, string, number][] = [
        ['commune-sefrou', 'ملعب للقرب لشباب حي بنصفار', 64],
        ['commune-tanger', 'Des bancs et de l’ombre au jardin de la Mendoubia', 37],
        ['commune-tan-tan', 'حافلة مدرسية لتلاميذ الدواوير', 12],
      ];
      for (const [council, title, signatures] of seeds) {
        const filed = await portal.h.post(
          '/petitions',
          citizensPetition(council, title),
          await portal.h.token(`seed-${council}`, ['citizen'], undefined, `SD${council.length}0001`),
        );
        expect(filed.status).toBe(201);
        await portal.h.signMany(filed.body.id, signatures, { idPrefix: `S${council.length}`, subPrefix: `seed-${council}` });
      }
      await portal.h.readAtHead('/petitions?status=collecting');
      const { context, page } = await newPage(DESKTOP);
      await open(page, '#/');
      const sides = async () =>
        page.evaluate(() => {
          const x = (s: string) => document.querySelector(s)!.getBoundingClientRect().left;
          return { brand: x('.brand'), lang: x('.lang-switch'), dir: document.documentElement.dir, lang_: document.documentElement.lang };
        });
      const ar = await sides();
      expect(ar).toMatchObject({ dir: 'rtl', lang_: 'ar' });
      expect(ar.brand).toBeGreaterThan(ar.lang);
      await expectAccessible(page, 'home ar');
      await screenshot(page, 'home-ar');

      await page.getByLabel('اللغة').selectOption('fr');
      await page.waitForSelector('html[lang="fr"]');
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      const fr = await sides();
      expect(fr).toMatchObject({ dir: 'ltr', lang_: 'fr' });
      expect(fr.brand).toBeLessThan(fr.lang);
      expect(await page.locator('h2').first().textContent()).toBe('Pétitions ouvertes à la signature');
      await expectAccessible(page, 'home fr');
      await screenshot(page, 'home-fr');

      await page.getByLabel('Langue').selectOption('en');
      await page.waitForSelector('html[lang="en"]');
      expect(await page.locator('h2').first().textContent()).toBe('Open for signatures');
      await context.close();
    });

    it.each(['ar', 'fr'] as const)('the petition, list, dashboard and overdue pages in %s pass axe', async (lang) => {
      const { context, page } = await newPage(DESKTOP, lang);
      await open(page, `#/petitions/${petitionId}`);
      await page.waitForSelector('ol.timeline li');
      const timeline = await page.locator('ol.timeline li p').first().textContent();
      const expected = (await portal.h.get(`/petitions/${petitionId}/history?lang=${lang}`)).body.entries[0].text;
      expect(timeline).toBe(expected);
      await expectAccessible(page, `petition ${lang}`);
      await screenshot(page, `petition-${lang}`);

      await navigate(page, `#/councils/${councilId}`);
      await expectAccessible(page, `dashboard ${lang}`);
      await screenshot(page, `dashboard-${lang}`);

      await navigate(page, `#/petitions?q=${encodeURIComponent(lang === 'ar' ? 'الوحدة' : 'Wahda')}&status=submitted`);
      await expectAccessible(page, `list ${lang}`);
      await screenshot(page, `list-${lang}`);

      await navigate(page, '#/overdue');
      await expectAccessible(page, `overdue ${lang}`);
      await screenshot(page, `overdue-${lang}`);
      await context.close();
    });
  });
}

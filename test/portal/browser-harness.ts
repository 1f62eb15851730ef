/**
 * What the browser suites share: the portal built from the document of the app under test, the
 * real service listening on a free local port, Debian's Chromium through playwright-core, axe-core,
 * and screenshots saved under test-artefacts/portal/ (and, with PORTAL_SCREENSHOTS_TO_DOCS=1, the
 * ones docs/portal.md shows, into docs/portal/).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Harness, startApp } from '../e2e/harness';

// The callbacks given to page.evaluate run in the page. This program is compiled for Node (no DOM
// library): the few browser globals they use are declared here.
declare const localStorage: { setItem(key: string, value: string): void };
declare const location: { hash: string };
/** axe-core, once its script has been evaluated in the page. */
declare const window: {
  axe: { run(options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
};

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
const ROOT = join(__dirname, '..', '..');
export const ARTEFACTS = join(ROOT, 'test-artefacts', 'portal');
const DOCS = join(ROOT, 'docs', 'portal');
/** The screenshots docs/portal.md shows. */
const IN_DOCS = /^(home|petition|dashboard|thread|official|audit)-(ar|fr)$/;
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export interface Portal {
  h: Harness;
  base: string;
  newPage(viewport?: { width: number; height: number }, lang?: 'ar' | 'fr' | 'en'): Promise<{ context: BrowserContext; page: Page }>;
  open(page: Page, hash: string): Promise<void>;
  navigate(page: Page, hash: string): Promise<void>;
  expectAccessible(page: Page, name: string): Promise<void>;
  screenshot(page: Page, name: string): Promise<void>;
}

/** Registers the suite's beforeAll/afterAll/afterEach; the returned object is usable inside tests. */
export function usePortal(): Portal {
  let browser: Browser;
  let outDir: string;
  const pageErrors: string[] = [];
  const portal = { pageErrors } as unknown as Portal;

  beforeAll(async () => {
    // The portal is built from the document of the app under test, into a directory of its own.
    outDir = mkdtempSync(join(tmpdir(), 'portal-test-'));
    const docApp = await startApp();
    const document = (await docApp.get('/docs-json')).body;
    await docApp.close();
    writeFileSync(join(outDir, 'openapi.json'), JSON.stringify(document));
    await promisify(execFile)(process.execPath, [
      join(ROOT, 'scripts', 'build-portal.js'),
      '--document',
      join(outDir, 'openapi.json'),
      '--out',
      join(outDir, 'site'),
    ]);
    portal.h = await startApp({ portal: join(outDir, 'site') });
    await portal.h.app.listen(0, '127.0.0.1');
    portal.base = (await portal.h.app.getUrl()).replace('[::1]', '127.0.0.1');
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    });
    mkdirSync(ARTEFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await portal.h?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
    expect(portal.h.serverErrors).toEqual([]);
  });

  portal.newPage = async (viewport = DESKTOP, lang) => {
    const context = await browser.newContext({ viewport, locale: 'ar-MA', acceptDownloads: true });
    if (lang) await context.addInitScript((l) => localStorage.setItem('portal.lang', l), lang);
    const page = await context.newPage();
    // A busy machine: generous, but every wait is for a condition.
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
    });
    return { context, page };
  };

  portal.open = async (page, hash) => {
    await page.goto(`${portal.base}/${hash}`);
    await page.waitForSelector('body[data-ready="true"]');
  };

  portal.navigate = async (page, hash) => {
    await page.evaluate((target) => (location.hash = target), hash);
    await page.waitForSelector('body[data-ready="true"]');
  };

  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  portal.expectAccessible = async (page, name) => {
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
    });
    expect({ page: name, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ page: name, violations: [] });
  };

  portal.screenshot = async (page, name) => {
    const file = join(ARTEFACTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    if (process.env.PORTAL_SCREENSHOTS_TO_DOCS === '1' && IN_DOCS.test(name)) {
      mkdirSync(DOCS, { recursive: true });
      copyFileSync(file, join(DOCS, `${name}.png`));
    }
  };
  return portal;
}

/**
 * The portal's shell: header with navigation and the language switch (remembered in
 * localStorage), hash routes (so the service serves one static page and every API route stays
 * its own), and the page for the route.
 */
import { h } from './dom.js';
import { currentLang, Lang, LANGS, setLang, t } from './i18n.js';
import { dashboardPage } from './pages/dashboard.js';
import { filePage } from './pages/file.js';
import { homePage } from './pages/home.js';
import { listPage, overduePage } from './pages/list.js';
import { petitionPage } from './pages/petition.js';
import { auditPage } from './pages/audit.js';
import { dialoguesPage, newThreadPage, threadPage } from './pages/dialogues.js';
import { officialPage } from './pages/official.js';

const LANG_NAMES: Record<Lang, string> = { ar: 'العربية', fr: 'Français', en: 'English' };

type Page = (main: HTMLElement, params: URLSearchParams, ...ids: string[]) => Promise<void>;
const ROUTES: [RegExp, Page][] = [
  [/^\/?$/, homePage],
  [/^\/petitions$/, listPage],
  [/^\/petitions\/([0-9a-f-]{36})$/, petitionPage],
  [/^\/file$/, filePage],
  [/^\/overdue$/, overduePage],
  [/^\/councils\/([a-z0-9-]+)$/, dashboardPage],
  [/^\/dialogues$/, dialoguesPage],
  [/^\/dialogues\/new$/, newThreadPage],
  [/^\/dialogues\/([0-9a-f-]{36})$/, threadPage],
  [/^\/officials\/([0-9a-f-]{36})$/, officialPage],
  [/^\/petitions\/([0-9a-f-]{36})\/audit$/, auditPage],
];

function header(): HTMLElement {
  const lang = currentLang();
  const select = h(
    'select',
    {
      id: 'lang',
      onchange: (e: Event) => {
        setLang((e.target as HTMLSelectElement).value as Lang);
        void render();
      },
    },
    ...LANGS.map((l) => h('option', { value: l, lang: l, selected: l === lang }, LANG_NAMES[l])),
  );
  return h(
    'header',
    { class: 'site-header' },
    h('a', { class: 'skip', href: '#main', onclick: skipToMain }, t('skip')),
    h('div', { class: 'brand' }, h('a', { href: '#/' }, t('siteName')), h('p', { class: 'tagline' }, t('tagline'))),
    h(
      'nav',
      { 'aria-label': t('navLabel') },
      h(
        'ul',
        {},
        h('li', {}, h('a', { href: '#/' }, t('navHome'))),
        h('li', {}, h('a', { href: '#/petitions' }, t('navPetitions'))),
        h('li', {}, h('a', { href: '#/file' }, t('navFile'))),
        h('li', {}, h('a', { href: '#/overdue' }, t('navOverdue'))),
        h('li', {}, h('a', { href: '#/dialogues' }, t('navDialogues'))),
      ),
    ),
    h('div', { class: 'lang-switch' }, h('label', { for: 'lang' }, t('language')), select),
  );
}

function skipToMain(event: Event): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

async function render(): Promise<void> {
  setLang(currentLang());
  document.title = t('siteName');
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const main = h('main', { id: 'main', tabindex: '-1' });
  const footer = h('footer', { class: 'site-footer' }, h('p', {}, t('footer'), ' ', h('a', { href: '/docs' }, t('apiDocs'))));
  document.body.replaceChildren(header(), main, footer);
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  try {
    if (!route) main.append(h('h1', {}, t('notFound')));
    else await route[1](main, new URLSearchParams(query), ...path.match(route[0])!.slice(1));
  } catch (e) {
    main.append(h('p', { role: 'alert', class: 'error' }, t('error', { detail: e instanceof Error ? e.message : String(e) })));
  } finally {
    // Tests (and assistive technology announcing the page) wait for this.
    document.body.dataset.ready = 'true';
  }
}

window.addEventListener('hashchange', () => {
  delete document.body.dataset.ready;
  void render().then(() => document.getElementById('main')?.focus());
});
void render();

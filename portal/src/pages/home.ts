/** Home: the councils, petitions open for signature, recently answered, overdue answers. */
import { api, ok } from '../api.js';
import { petitionCard, section } from '../components.js';
import { h } from '../dom.js';
import { Key, named, num, t } from '../i18n.js';

export async function homePage(main: HTMLElement): Promise<void> {
  main.append(h('h1', {}, t('siteName')), h('p', { class: 'lead' }, t('tagline')));
  const [councils, open, answered, overdue] = await Promise.all([
    api.GET('/councils').then(ok),
    api.GET('/petitions', { params: { query: { status: 'collecting', sort: 'signatures', limit: 5 } } }).then(ok),
    api.GET('/petitions', { params: { query: { status: 'answered', limit: 5 } } }).then(ok),
    api.GET('/overdue', { params: { query: { limit: 5 } } }).then(ok),
  ]);
  const list = (items: Parameters<typeof petitionCard>[0][], more: string) =>
    items.length ? [h('ul', { class: 'cards' }, ...items.map((p) => petitionCard(p))), h('p', {}, h('a', { href: more }, t('more')))] : [h('p', {}, t('none'))];
  main.append(
    section(t('openPetitions'), ...list(open.items, '#/petitions?status=collecting&sort=signatures')),
    section(t('recentlyAnswered'), ...list(answered.items, '#/petitions?status=answered')),
    section(t('overdue'), ...list(overdue.items, '#/overdue')),
    section(
      t('councils'),
      h(
        'ul',
        { class: 'councils' },
        ...councils.councils.map((c) =>
          h(
            'li',
            {},
            h('a', { href: `#/councils/${c.id}` }, named(c.name)),
            h('span', { class: 'meta' }, ` · ${t(c.level as Key)} · ${t('threshold', { n: num(c.signatureThreshold) })}`),
          ),
        ),
      ),
    ),
  );
}

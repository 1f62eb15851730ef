/** A council's dashboard: petitions by status, admissibility rate, median days to decision, overdue, responses. */
import { api, ok } from '../api.js';
import { section } from '../components.js';
import { h } from '../dom.js';
import { count, Key, named, num, percent, t } from '../i18n.js';
import { officialsSection } from './official.js';

function bars(rows: [string, number][]): HTMLElement {
  const max = Math.max(1, ...rows.map(([, v]) => v));
  return h(
    'table',
    { class: 'bars' },
    h(
      'tbody',
      {},
      ...rows.map(([label, value]) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, label),
          h('td', {}, h('span', { class: 'bar', style: `inline-size:${(value / max) * 100}%` }), h('span', { class: 'bar-value' }, num(value))),
        ),
      ),
    ),
  );
}

export async function dashboardPage(main: HTMLElement, _params: URLSearchParams, id: string): Promise<void> {
  const [d, recent, officials] = await Promise.all([
    api.GET('/councils/{id}/dashboard', { params: { path: { id } } }).then(ok),
    api.GET('/petitions', { params: { query: { council: id, limit: 5 } } }).then(ok),
    officialsSection(id),
  ]);
  main.append(
    h('h1', {}, named(d.name)),
    h('p', { class: 'meta' }, t('dashboard'), ' · ', t(d.level as Key)),
    h(
      'dl',
      { class: 'figures' },
      h('div', {}, h('dt', {}, t('total')), h('dd', {}, num(d.total))),
      h('div', {}, h('dt', {}, t('admissibilityRate')), h('dd', {}, d.admissibilityRate === null ? '—' : percent(d.admissibilityRate))),
      h('div', {}, h('dt', {}, t('medianDays')), h('dd', {}, d.medianDaysToDecision === null ? '—' : count('days', Math.round(d.medianDaysToDecision)))),
      h('div', {}, h('dt', {}, t('overdueNow')), h('dd', {}, h('a', { href: `#/overdue?council=${id}` }, num(d.overdueNow)))),
    ),
    section(t('byStatus'), bars(Object.entries(d.byStatus).map(([s, n]): [string, number] => [t(`st_${s}` as Key), n]))),
    section(t('responses'), bars((['adopted', 'partially_adopted', 'rejected'] as const).map((r): [string, number] => [t(r), d.responses[r]]))),
    section(
      t('navPetitions'),
      recent.items.length ? h('ul', {}, ...recent.items.map((p) => h('li', {}, h('a', { href: `#/petitions/${p.id}` }, p.title)))) : h('p', {}, t('none')),
      h('p', {}, h('a', { href: `#/petitions?council=${id}` }, t('more'))),
    ),
    section(
      t('dialoguesTitle'),
      h(
        'dl',
        { class: 'figures' },
        h('div', {}, h('dt', {}, t('navDialogues')), h('dd', {}, h('a', { href: `#/dialogues?council=${id}` }, count('threads', d.dialogue.threads)))),
        h('div', {}, h('dt', {}, t('replyRate')), h('dd', {}, d.dialogue.officialReplyRate === null ? '—' : percent(d.dialogue.officialReplyRate))),
        h(
          'div',
          {},
          h('dt', {}, t('medianReply')),
          h('dd', {}, d.dialogue.medianHoursToFirstReply === null ? '—' : count('hours', Math.round(d.dialogue.medianHoursToFirstReply * 10) / 10)),
        ),
        h('div', {}, h('dt', {}, t('cmKeptCount')), h('dd', {}, num(d.dialogue.commitments.kept))),
        h('div', {}, h('dt', {}, t('cmMissedCount')), h('dd', {}, num(d.dialogue.commitments.missed))),
      ),
    ),
    officials,
  );
}

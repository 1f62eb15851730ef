/**
 * An official's accountability page: office, term, reply rate and median time to the first reply,
 * the threads addressed to them (answered and awaiting), commitments kept / missed / open, and their
 * positions on petitions. All of it from the dialogue's read models (GET /officials/{id},
 * GET /dialogues?official=).
 */
import { api, fresh, ok, type Schemas } from '../api.js';
import { section } from '../components.js';
import { h } from '../dom.js';
import { count, date, Key, named, num, percent, t } from '../i18n.js';
import { officialRole, threadCard } from './dialogues.js';

export async function officialPage(main: HTMLElement, params: URLSearchParams, id: string): Promise<void> {
  const headers = fresh(params.get('minPosition'));
  const [o, { categories }] = await Promise.all([
    api.GET('/officials/{id}', { params: { path: { id } }, headers }).then(ok),
    api.GET('/dialogues/categories').then(ok),
  ]);
  // The threads addressed to them: a page of the most recently active (the figures above count them all).
  const [threads, council] = await Promise.all([
    api.GET('/dialogues', { params: { query: { official: id, limit: 50 } } }).then(ok),
    api.GET('/councils/{id}', { params: { path: { id: o.councilId } } }).then(ok),
  ]);
  const answered = threads.items.filter((th) => th.firstOfficialReplyAt !== null);
  const awaiting = threads.items.filter((th) => th.firstOfficialReplyAt === null);
  const hours = o.medianHoursToFirstReply;
  main.append(
    h('p', { class: 'meta' }, h('a', { href: `#/councils/${o.councilId}` }, named(council.name)), ' · ', t('accountability')),
    h('h1', {}, named(o.name)),
    h(
      'p',
      { class: 'meta' },
      officialRole(o),
      o.committee ? h('span', { dir: 'auto' }, ` · ${o.committee}`) : '',
      o.party ? h('span', { dir: 'auto' }, ` · ${o.party}`) : '',
      ' · ',
      h('span', { class: `badge ${o.inOffice ? 'badge-admissible' : 'badge-withdrawn'}` }, t(o.inOffice ? 'inOffice' : 'outOfOffice')),
    ),
    h('p', { class: 'meta' }, t('term', { start: date(o.termStart), end: date(o.termEnd) })),
    h(
      'dl',
      { class: 'figures' },
      h('div', {}, h('dt', {}, t('threadsAddressed')), h('dd', {}, num(o.threadsAddressed))),
      h('div', {}, h('dt', {}, t('threadsReplied')), h('dd', {}, num(o.threadsReplied))),
      h('div', {}, h('dt', {}, t('replyRate')), h('dd', {}, o.replyRate === null ? '—' : percent(o.replyRate))),
      h('div', {}, h('dt', {}, t('medianReply')), h('dd', {}, hours === null ? '—' : count('hours', Math.round(hours * 10) / 10))),
    ),
    section(
      t('commitmentsTitle'),
      h(
        'dl',
        { class: 'figures' },
        ...(['kept', 'missed', 'open'] as const).map((s) => h('div', {}, h('dt', {}, t(`cm_${s}`)), h('dd', { class: `cm-${s}` }, num(o.commitments[s])))),
      ),
    ),
    section(t('unansweredThreads'), threadList(awaiting, categories)),
    section(t('answeredThreads'), threadList(answered, categories)),
    section(
      t('positionsOnPetitions'),
      o.positions.length
        ? h(
            'ul',
            { class: 'positions' },
            ...o.positions.map((p) =>
              h(
                'li',
                {},
                h('a', { href: `#/petitions/${p.petitionId}` }, t(`stance_${p.stance}` as Key)),
                h('span', { class: 'meta' }, ` · ${date(p.statedAt)}`),
              ),
            ),
          )
        : h('p', {}, t('none')),
    ),
    h('p', {}, h('a', { href: `#/dialogues?official=${id}` }, t('navDialogues'))),
  );
}

function threadList(items: Schemas['ThreadSummary'][], categories: Schemas['ThreadCategory'][]): HTMLElement {
  return items.length ? h('ul', { class: 'cards' }, ...items.map((th) => threadCard(th, categories))) : h('p', {}, t('none'));
}

/** A council's officials, each linked to their accountability page (for the council dashboard). */
export async function officialsSection(councilId: string): Promise<HTMLElement> {
  const { items } = await api.GET('/officials', { params: { query: { council: councilId, limit: 100 } } }).then(ok);
  return section(
    t('officials'),
    items.length
      ? h(
          'ul',
          { class: 'officials' },
          ...items.map((o) =>
            h(
              'li',
              {},
              h('a', { href: `#/officials/${o.id}` }, named(o.name)),
              h('span', { class: 'meta' }, ` · ${officialRole(o)} · ${t('replyRate')}: ${o.replyRate === null ? '—' : percent(o.replyRate)}`),
            ),
          ),
        )
      : h('p', {}, t('noOfficials')),
    h('p', {}, h('a', { href: `#/dialogues?council=${councilId}` }, t('dialoguesTitle'))),
  );
}

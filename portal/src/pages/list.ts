/** The petition list (search, filters, cursor pagination) and the overdue board. */
import { api, ok } from '../api.js';
import { petitionCard, searchTo, showPages } from '../components.js';
import { h } from '../dom.js';
import { count, Key, named, t } from '../i18n.js';

const STATUSES = ['collecting', 'submitted', 'admissible', 'inadmissible', 'answered', 'withdrawn'] as const;
const LEVELS = ['commune', 'province', 'region'] as const;
const SORTS = { recent: 'sortRecent', signatures: 'sortSignatures', deadline: 'sortDeadline' } as const;

function select(name: string, label: string, options: [string, string][], value: string | null): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: `f-${name}` }, label),
    h('select', { id: `f-${name}`, name }, ...options.map(([v, text]) => h('option', { value: v, selected: v === (value ?? '') }, text))),
  );
}

export async function listPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const councils = await api.GET('/councils').then(ok);
  const form = h(
    'form',
    { role: 'search', class: 'filters', onsubmit: searchTo('#/petitions') },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'f-q' }, t('searchLabel')),
      h('input', { id: 'f-q', name: 'q', type: 'search', value: params.get('q') ?? '' }),
    ),
    select('status', t('status'), [['', t('all')], ...STATUSES.map((s): [string, string] => [s, t(`st_${s}`)])], params.get('status')),
    select('level', t('level'), [['', t('all')], ...LEVELS.map((l): [string, string] => [l, t(l)])], params.get('level')),
    select('council', t('council'), [['', t('all')], ...councils.councils.map((c): [string, string] => [c.id, named(c.name)])], params.get('council')),
    select(
      'sort',
      t('sort'),
      Object.entries(SORTS).map(([v, k]): [string, string] => [v, t(k)]),
      params.get('sort'),
    ),
    h('button', { type: 'submit' }, t('search')),
  );
  const results = h('ul', { class: 'cards', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('more'));
  main.append(h('h1', {}, t('navPetitions')), form, results, more);

  const query = {
    ...(params.get('q') ? { q: params.get('q')! } : {}),
    ...(params.get('status') ? { status: params.get('status')! as (typeof STATUSES)[number] } : {}),
    ...(params.get('level') ? { level: params.get('level')! as (typeof LEVELS)[number] } : {}),
    ...(params.get('council') ? { council: params.get('council')! } : {}),
    sort: (params.get('sort') ?? 'recent') as keyof typeof SORTS,
    limit: 10,
  };
  await showPages(
    results,
    more,
    (cursor) => api.GET('/petitions', { params: { query: { ...query, ...(cursor ? { cursor } : {}) } } }).then(ok),
    (p) => petitionCard(p),
    t('none'),
  );
}

export async function overduePage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  main.append(h('h1', {}, t('overdue')));
  const results = h('ul', { class: 'cards' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('more'));
  main.append(results, more);
  const council = params.get('council');
  const load = async (cursor?: string) => {
    const page = await api.GET('/overdue', { params: { query: { limit: 20, ...(council ? { council } : {}), ...(cursor ? { cursor } : {}) } } }).then(ok);
    results.append(
      ...page.items.map((p) =>
        petitionCard(
          p,
          h(
            'p',
            { class: 'late' },
            t('daysLate', { days: count('days', p.daysOverdue) }),
            ' · ',
            t((p.overdueReason === 'agenda_session' ? 'reasonSession' : 'reasonResponse') as Key),
          ),
        ),
      ),
    );
    if (!results.children.length) results.append(h('li', {}, t('none')));
    more.hidden = !page.nextCursor;
    more.onclick = () => void load(page.nextCursor ?? undefined);
  };
  await load();
}

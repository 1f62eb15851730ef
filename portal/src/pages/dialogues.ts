/**
 * The dialogue: the threads (filters as GET /dialogues offers them: council, official, category,
 * status, words), opening a thread, and a thread's page (messages, the council's answer,
 * commitments and their status, history in the chosen language; reply, follow).
 */
import { api, bearer, fresh, newIdempotencyKey, ok, session, type Schemas } from '../api.js';
import { searchTo, section, showPages, showProblem } from '../components.js';
import { append, formText, h } from '../dom.js';
import { count, currentLang, date, dateTime, Key, named, t } from '../i18n.js';
import { actingAs, loginForm, sessionLine } from '../login.js';
import { threadOfficialTools } from './official-actions.js';

type Category = Schemas['ThreadCategory'];
type Official = Schemas['OfficialView'];
const THREAD_STATUSES = ['open', 'resolved', 'closed'] as const;

const categoryName = (categories: Category[], code: string) => {
  const c = categories.find((x) => x.code === code);
  return c ? named(c.labels) : code;
};

export const threadBadge = (status: string): HTMLElement => h('span', { class: `badge badge-th-${status}` }, t(`th_${status}` as Key));

export function officialRole(o: Pick<Official, 'role'>): string {
  return t(`role_${o.role}` as Key);
}

function selectField(name: string, label: string, options: [string, string][], value: string | null): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: `f-${name}` }, label),
    h('select', { id: `f-${name}`, name }, ...options.map(([v, text]) => h('option', { value: v, selected: v === (value ?? '') }, text))),
  );
}

/** A thread's card in a list. */
export function threadCard(thread: Schemas['ThreadSummary'], categories: Category[]): HTMLElement {
  return h(
    'li',
    { class: 'card' },
    h('h3', { dir: 'auto' }, h('a', { href: `#/dialogues/${thread.id}` }, thread.subject)),
    h('p', { class: 'meta' }, threadBadge(thread.status), ' · ', categoryName(categories, thread.category), ' · ', h('span', { dir: 'auto' }, thread.area)),
    h(
      'p',
      { class: 'meta' },
      count('messages', thread.messageCount),
      thread.commitments.open + thread.commitments.kept + thread.commitments.missed
        ? ` · ${count('commitments', thread.commitments.open + thread.commitments.kept + thread.commitments.missed)}`
        : '',
    ),
    thread.awaitingOfficialSince && thread.status === 'open'
      ? h('p', { class: 'late' }, t('waiting', { days: count('days', thread.daysWaitingForOfficial) }))
      : null,
  );
}

export async function dialoguesPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  const [councils, { categories }] = await Promise.all([api.GET('/councils').then(ok), api.GET('/dialogues/categories').then(ok)]);
  const council = params.get('council');
  const official = params.get('official');
  const form = h(
    'form',
    { role: 'search', class: 'filters', onsubmit: searchTo('#/dialogues') },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'f-q' }, t('searchLabel')),
      h('input', { id: 'f-q', name: 'q', type: 'search', value: params.get('q') ?? '' }),
    ),
    selectField('council', t('council'), [['', t('all')], ...councils.councils.map((c): [string, string] => [c.id, named(c.name)])], council),
    selectField('category', t('category'), [['', t('all')], ...categories.map((c): [string, string] => [c.code, named(c.labels)])], params.get('category')),
    selectField('status', t('status'), [['', t('all')], ...THREAD_STATUSES.map((s): [string, string] => [s, t(`th_${s}`)])], params.get('status')),
    official ? h('input', { type: 'hidden', name: 'official', value: official }) : null,
    h('button', { type: 'submit' }, t('search')),
  );
  const results = h('ul', { class: 'cards', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('more'));
  main.append(
    h('h1', {}, t('dialoguesTitle')),
    h('p', { class: 'lead' }, t('dialoguesLead')),
    h('p', {}, h('a', { class: 'button', href: `#/dialogues/new${council ? `?council=${council}` : ''}` }, t('newThread'))),
    form,
    results,
    more,
  );
  const query = {
    ...(params.get('q') ? { q: params.get('q')! } : {}),
    ...(council ? { council } : {}),
    ...(official ? { official } : {}),
    ...(params.get('category') ? { category: params.get('category')! } : {}),
    ...(params.get('status') ? { status: params.get('status')! as (typeof THREAD_STATUSES)[number] } : {}),
    limit: 10,
  };
  const headers = fresh(params.get('minPosition'));
  await showPages(
    results,
    more,
    (cursor) => api.GET('/dialogues', { params: { query: { ...query, ...(cursor ? { cursor } : {}) } }, headers }).then(ok),
    (thread) => threadCard(thread, categories),
    t('noThreads'),
  );
}

/** Opening a thread (citizens): council, the official addressed (or the council), category, area, subject, message, public name. */
export async function newThreadPage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  main.append(h('h1', {}, t('newThread')), h('p', { class: 'lead' }, t('dialoguesLead')));
  const me = session();
  if (!me || !actingAs(['citizen'])) {
    main.append(loginForm(() => location.reload(), 'citizen'));
    return;
  }
  main.append(sessionLine() ?? '');
  const [councils, { categories }] = await Promise.all([api.GET('/councils').then(ok), api.GET('/dialogues/categories').then(ok)]);
  const chosen = params.get('council') ?? councils.councils[0].id;
  const officialSelect = h('select', { id: 'thread-officialId', name: 'officialId' });
  const loadOfficials = async (councilId: string) => {
    const { items } = await api.GET('/officials', { params: { query: { council: councilId, limit: 100 } } }).then(ok);
    officialSelect.replaceChildren(
      h('option', { value: '' }, t('theCouncil')),
      ...items
        .filter((o) => o.inOffice)
        .map((o) => h('option', { value: o.id, selected: o.id === params.get('official') }, `${named(o.name)} — ${officialRole(o)}`)),
    );
  };
  const field = (name: string, label: Key, control: HTMLElement, hint?: string) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: `thread-${name}` }, t(label)),
      control,
      hint ? h('p', { class: 'meta', id: `thread-${name}-hint` }, hint) : null,
    );
  const problems = h('div');
  const idempotencyKey = newIdempotencyKey();
  const form = h(
    'form',
    { novalidate: true, class: 'thread-form' },
    field(
      'councilId',
      'council',
      h(
        'select',
        { id: 'thread-councilId', name: 'councilId', onchange: (e: Event) => void loadOfficials((e.target as HTMLSelectElement).value) },
        ...councils.councils.map((c) => h('option', { value: c.id, selected: c.id === chosen }, named(c.name))),
      ),
    ),
    field('officialId', 'addressee', officialSelect),
    field(
      'category',
      'category',
      h('select', { id: 'thread-category', name: 'category' }, ...categories.map((c) => h('option', { value: c.code }, named(c.labels)))),
    ),
    field('area', 'area', h('input', { id: 'thread-area', name: 'area', required: true, dir: 'auto' })),
    field('subject', 'subject', h('input', { id: 'thread-subject', name: 'subject', required: true, dir: 'auto' })),
    field('text', 'message', h('textarea', { id: 'thread-text', name: 'text', rows: 5, required: true, dir: 'auto' })),
    field(
      'displayName',
      'displayName',
      h('input', { id: 'thread-displayName', name: 'displayName', required: true, dir: 'auto', 'aria-describedby': 'thread-displayName-hint' }),
      t('displayNameHint'),
    ),
    h('button', { type: 'submit' }, t('openButton')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (k: string) => formText(data, k);
    void api
      .POST('/dialogues', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: {
          councilId: text('councilId'),
          ...(text('officialId') ? { officialId: text('officialId') } : {}),
          category: text('category'),
          area: text('area'),
          subject: text('subject'),
          text: text('text'),
          displayName: text('displayName'),
        },
        headers: bearer(me),
      })
      .then(ok)
      .then((opened) => {
        location.hash = `#/dialogues/${opened.id}?minPosition=${opened.position ?? ''}`;
      })
      .catch((e: unknown) => showProblem(problems, e, form));
  });
  main.append(problems, form);
  await loadOfficials(chosen);
}

/** A thread: what was asked, the replies (officials by name and office), the council's answer, commitments, history; reply and follow. */
export async function threadPage(main: HTMLElement, params: URLSearchParams, id: string): Promise<void> {
  const headers = fresh(params.get('minPosition'));
  const lang = currentLang();
  const [thread, history, { categories }] = await Promise.all([
    api.GET('/dialogues/{id}', { params: { path: { id } }, headers }).then(ok),
    api.GET('/dialogues/{id}/history', { params: { path: { id }, query: { lang, limit: 100 } }, headers }).then(ok),
    api.GET('/dialogues/categories').then(ok),
  ]);
  const [council, officials] = await Promise.all([
    api.GET('/councils/{id}', { params: { path: { id: thread.councilId } } }).then(ok),
    api.GET('/officials', { params: { query: { council: thread.councilId, limit: 100 } }, headers }).then(ok),
  ]);
  const byId = new Map(officials.items.map((o) => [o.id, o]));
  // Officials beyond the list's page (or registered since it was cached): asked for one by one.
  const named_ = [thread.officialId, ...thread.messages.map((m) => m.author.officialId), ...thread.commitments.map((c) => c.officialId)];
  const missing = [...new Set(named_.filter((x): x is string => !!x && !byId.has(x)))];
  for (const o of await Promise.all(missing.map((oid) => api.GET('/officials/{id}', { params: { path: { id: oid } }, headers }).then(ok)))) byId.set(o.id, o);
  const officialLink = (officialId: string) => {
    const o = byId.get(officialId);
    return o ? h('a', { href: `#/officials/${o.id}` }, `${named(o.name)} — ${officialRole(o)}`) : officialId;
  };

  append(main, [
    h('p', { class: 'meta' }, h('a', { href: `#/dialogues?council=${thread.councilId}` }, named(council.name)), ' · ', threadBadge(thread.status)),
    h('h1', { dir: 'auto' }, thread.subject),
    h(
      'p',
      { class: 'meta' },
      categoryName(categories, thread.category),
      ' · ',
      h('span', { dir: 'auto' }, thread.area),
      ' · ',
      t('addressee'),
      ': ',
      thread.officialId ? officialLink(thread.officialId) : t('theCouncil'),
    ),
    h('p', { class: 'meta' }, t('openedBy', { name: thread.displayName, date: date(thread.openedAt) })),
    thread.awaitingOfficialSince && thread.status === 'open'
      ? h('p', { class: 'late' }, t('waiting', { days: count('days', thread.daysWaitingForOfficial) }))
      : null,
    thread.escalatedTo ? h('p', { class: 'panel' }, h('a', { href: `#/petitions/${thread.escalatedTo}` }, t('escalatedTo'))) : null,
  ]);

  main.append(
    section(
      t('messagesTitle'),
      h(
        'ol',
        { class: 'messages' },
        ...thread.messages.map((m) =>
          h(
            'li',
            { class: `message message-${m.author.kind}${m.councilAnswer ? ' council-answer' : ''}`, id: `message-${m.messageId}` },
            h(
              'p',
              { class: 'meta' },
              h(
                'strong',
                {},
                m.author.kind === 'official' && m.author.officialId
                  ? officialLink(m.author.officialId)
                  : h('span', { dir: 'auto' }, m.author.displayName ?? ''),
              ),
              ' · ',
              h('time', { datetime: m.postedAt }, dateTime(m.postedAt)),
              m.councilAnswer ? h('span', { class: 'badge badge-answer' }, t('councilAnswer')) : null,
            ),
            m.hidden || m.text === null ? h('p', { class: 'meta' }, h('em', {}, t('hiddenMessage'))) : h('p', { class: 'text', dir: 'auto' }, m.text),
          ),
        ),
      ),
    ),
  );

  if (thread.commitments.length) {
    main.append(
      section(
        t('commitmentsTitle'),
        h(
          'ul',
          { class: 'commitments' },
          ...thread.commitments.map((c) =>
            h(
              'li',
              { class: 'card' },
              h('p', { class: 'text', dir: 'auto' }, c.text),
              h(
                'p',
                { class: 'meta' },
                officialLink(c.officialId),
                ' · ',
                t('dueOn', { date: date(c.dueOn) }),
                ' · ',
                h('span', { class: `badge badge-cm-${c.status}` }, t(`cm_${c.status}`)),
              ),
              c.evidence ? h('p', { class: 'meta', dir: 'auto' }, t('evidence', { text: c.evidence })) : null,
            ),
          ),
        ),
      ),
    );
  }

  const actions = h('div', { class: 'actions' });
  main.append(actions);
  if (thread.status !== 'closed') actions.append(replyBlock(thread.id, thread.councilId));
  const tools = threadOfficialTools(thread);
  if (tools) actions.append(tools);
  const me = session();
  if (me && actingAs(['citizen'])) actions.append(followBlock(thread.id));

  main.append(
    section(
      t('history'),
      h(
        'ol',
        { class: 'timeline' },
        ...history.entries.map((e) => h('li', {}, h('time', { datetime: e.occurredAt }, dateTime(e.occurredAt)), h('p', {}, e.text))),
      ),
    ),
  );
}

/** Reply in a thread: citizens under a display name; a registered official of the council as that official (and, if so, as the council's answer). */
function replyBlock(threadId: string, councilId: string): HTMLElement {
  const box = h('section', { class: 'panel', 'aria-labelledby': 'reply-title' }, h('h2', { id: 'reply-title' }, t('replyTitle')));
  const me = session();
  if (!me || !actingAs(['citizen', 'official'], councilId)) {
    box.append(loginForm(() => location.reload(), { roles: ['citizen', 'official'], council: councilId }));
    return box;
  }
  const official = me.roles.includes('official');
  box.append(sessionLine() ?? '', official ? h('p', { class: 'meta' }, t('officialAccount', { sub: me.sub })) : '');
  const problems = h('div');
  const idempotencyKey = newIdempotencyKey();
  const form = h(
    'form',
    { novalidate: true, class: 'reply-form' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'reply-text' }, t('yourReply')),
      h('textarea', { id: 'reply-text', name: 'text', rows: 4, required: true, dir: 'auto' }),
    ),
    official
      ? h(
          'div',
          { class: 'choice' },
          h('input', { type: 'checkbox', id: 'reply-asCouncilAnswer', name: 'asCouncilAnswer' }),
          h('label', { for: 'reply-asCouncilAnswer' }, t('asCouncilAnswer')),
        )
      : h(
          'div',
          { class: 'field' },
          h('label', { for: 'reply-displayName' }, t('displayName')),
          h('input', { id: 'reply-displayName', name: 'displayName', required: true, dir: 'auto', 'aria-describedby': 'reply-displayName-hint' }),
          h('p', { class: 'meta', id: 'reply-displayName-hint' }, t('displayNameHint')),
        ),
    h('button', { type: 'submit' }, t('replyButton')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    void api
      .POST('/dialogues/{id}/messages', {
        params: { path: { id: threadId }, header: { 'Idempotency-Key': idempotencyKey } },
        body: official
          ? { text: formText(data, 'text'), asCouncilAnswer: data.get('asCouncilAnswer') === 'on' }
          : { text: formText(data, 'text'), displayName: formText(data, 'displayName') },
        headers: bearer(me),
      })
      .then(ok)
      .then((posted) => {
        location.hash = `#/dialogues/${threadId}?minPosition=${posted.position ?? ''}`;
      })
      .catch((e: unknown) => showProblem(problems, e, form));
  });
  box.append(problems, form);
  return box;
}

function followBlock(threadId: string): HTMLElement {
  const me = session()!;
  const status = h('div', { role: 'status' });
  const idempotencyKey = newIdempotencyKey();
  const button = h('button', { type: 'button', class: 'secondary', id: 'follow-thread' }, t('follow'));
  // Already followed: say so rather than offer it again.
  void api
    .GET('/follows', { params: { query: { limit: 100 } }, headers: bearer(me) })
    .then(ok)
    .then(({ items }) => {
      if (items.some((f) => f.target.kind === 'thread' && f.target.id === threadId)) {
        button.hidden = true;
        status.replaceChildren(h('p', { class: 'success' }, t('following')));
      }
    })
    .catch((e: unknown) => showProblem(status, e));
  button.addEventListener('click', () => {
    void api
      .POST('/follows', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body: { kind: 'thread', id: threadId }, headers: bearer(me) })
      .then(ok)
      .then(() => {
        button.hidden = true;
        status.replaceChildren(h('p', { class: 'success' }, t('following')));
      })
      .catch((e: unknown) => showProblem(status, e));
  });
  return h('div', { class: 'panel' }, button, status);
}

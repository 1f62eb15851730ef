/** File a petition: the council's rules (GET /councils/{id}) beside the form; the API's field errors on the fields. */
import { api, bearer, newIdempotencyKey, ok, session } from '../api.js';
import { section, showProblem } from '../components.js';
import { formText, h } from '../dom.js';
import { Key, named, num, t } from '../i18n.js';
import { loginForm } from './petition.js';

export async function filePage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  main.append(h('h1', {}, t('fileTitle')));
  const me = session();
  if (!me) {
    main.append(loginForm(() => location.reload()));
    return;
  }
  const { councils } = await api.GET('/councils').then(ok);
  const chosen = params.get('council') ?? councils[0].id;
  const rules = h('div', { 'aria-live': 'polite' });
  const showRules = async (id: string) => {
    const c = await api.GET('/councils/{id}', { params: { path: { id } } }).then(ok);
    const limits = c.rules.limits as Record<string, number>;
    rules.replaceChildren(
      section(
        t('rules'),
        h(
          'ul',
          {},
          h('li', {}, t('threshold', { n: num(c.rules.threshold.required) }), ` — ${c.rules.threshold.appliesTo}`),
          h('li', {}, t('deadlineMonths', { n: num(c.responseDeadlineMonths) })),
          ...Object.entries(limits)
            .filter(([, v]) => typeof v === 'number')
            .map(([k, v]) => h('li', { class: 'meta' }, `${k}: ${num(v)}`)),
        ),
      ),
    );
  };
  const problems = h('div');
  // One key for this filing: pressing the button twice, or retrying after a lost answer, files one petition.
  const idempotencyKey = newIdempotencyKey();
  const field = (name: string, label: Key, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: `file-${name}` }, t(label)), control);
  const form = h(
    'form',
    { novalidate: true, class: 'file-form' },
    field(
      'councilId',
      'council',
      h(
        'select',
        { id: 'file-councilId', name: 'councilId', onchange: (e: Event) => void showRules((e.target as HTMLSelectElement).value) },
        ...councils.map((c) => h('option', { value: c.id, selected: c.id === chosen }, `${named(c.name)} (${t(c.level as Key)})`)),
      ),
    ),
    field(
      'petitionerType',
      'petitionerType',
      h(
        'select',
        { id: 'file-petitionerType', name: 'petitionerType' },
        h('option', { value: 'citizens' }, t('citizens')),
        h('option', { value: 'association', disabled: true }, t('association')),
      ),
    ),
    field('title', 'title', h('input', { id: 'file-title', name: 'title', required: true })),
    field('subject', 'subject', h('textarea', { id: 'file-subject', name: 'subject', rows: 4, required: true })),
    field('requests', 'requests', h('textarea', { id: 'file-requests', name: 'requests', rows: 3, required: true })),
    field('reasons', 'reasons', h('textarea', { id: 'file-reasons', name: 'reasons', rows: 3, required: true })),
    h('button', { type: 'submit' }, t('fileButton')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (k: string) => formText(data, k);
    void api
      .POST('/petitions', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: {
          councilId: text('councilId'),
          petitionerType: 'citizens',
          title: text('title'),
          subject: text('subject'),
          requests: text('requests'),
          reasons: text('reasons'),
        },
        headers: bearer(me),
      })
      .then(ok)
      .then((filed) => {
        // Read-your-writes: the petition page waits for the read model to reach the filing.
        location.hash = `#/petitions/${filed.id}?minPosition=${filed.position}`;
      })
      .catch((e: unknown) => showProblem(problems, e, form));
  });
  main.append(h('div', { class: 'two-columns' }, h('div', {}, problems, form), rules));
  await showRules(chosen);
}

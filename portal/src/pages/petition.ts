/**
 * The petition page: text, progress (per province for regions), the signing chart, the history in
 * the chosen language, the decision and response, the officials' positions; and the actions:
 * sign online (with a receipt to keep) and, for its owner, submit to the council.
 */
import { api, bearer, fresh, newIdempotencyKey, ok, session, setSession, type Session } from '../api.js';
import { loginForm } from '../login.js';
import { councilActions } from './council-actions.js';
import { positionTools } from './official-actions.js';
import { progressBar, section, showProblem, signaturesChart, statusText } from '../components.js';
import { formText, h } from '../dom.js';
import { count, currentLang, date, dateTime, Key, named, t } from '../i18n.js';

export async function petitionPage(main: HTMLElement, params: URLSearchParams, id: string): Promise<void> {
  // Read-your-writes: a page opened right after a command asks for the read models at its position.
  const headers = fresh(params.get('minPosition'));
  const lang = currentLang();
  const [p, history, daily] = await Promise.all([
    api.GET('/petitions/{id}', { params: { path: { id } }, headers }).then(ok),
    api.GET('/petitions/{id}/history', { params: { path: { id }, query: { lang, limit: 100 } }, headers }).then(ok),
    api.GET('/petitions/{id}/signatures/daily', { params: { path: { id } }, headers }).then(ok),
  ]);
  const council = await api.GET('/councils/{id}', { params: { path: { id: p.councilId } } }).then(ok);
  const provinceName = (pid: string) => {
    const province = council.provinces?.find((x) => x.id === pid);
    return province ? named(province.name) : pid;
  };

  main.append(
    h(
      'p',
      { class: 'meta' },
      h('a', { href: `#/councils/${p.councilId}` }, named(p.councilName)),
      ' · ',
      h('span', { class: `badge badge-${p.status}` }, statusText(p.status)),
    ),
    h('h1', { dir: 'auto' }, p.title),
    h('p', { class: 'meta' }, t('filedOn', { date: date(p.filedAt) }), p.responseDueAt ? ` · ${t('responseDue', { date: date(p.responseDueAt) })}` : ''),
  );

  const progress = section(
    t('progress'),
    p.thresholdApplies ? progressBar(p.signatureCount, p.threshold) : h('p', {}, count('signatures', p.signatureCount), ' — ', t('noThreshold')),
  );
  if (p.provinceShares?.length) {
    progress.append(
      h('h3', {}, t('perProvince')),
      h(
        'ul',
        { class: 'provinces' },
        ...p.provinceShares.map((share) =>
          h(
            'li',
            {},
            h('span', {}, provinceName(share.provinceId)),
            progressBar(p.provinceCounts[share.provinceId] ?? 0, share.required, provinceName(share.provinceId)),
          ),
        ),
      ),
    );
  }
  main.append(progress);

  const actions = h('div', { class: 'actions' });
  main.append(actions);
  if (p.status === 'collecting') actions.append(signBlock(p.id, p.councilLevel, council.provinces ?? []));
  const me = session();
  if (p.status === 'collecting' && me && (p.thresholdMet ?? p.thresholdReached)) actions.append(submitBlock(p.id, me));
  const council_ = councilActions(p, council);
  if (council_) actions.append(council_);
  const position = positionTools(p);
  if (position) actions.append(position);

  main.append(
    section(t('subject'), h('p', { class: 'text', dir: 'auto' }, p.subject)),
    section(t('requests'), h('p', { class: 'text', dir: 'auto' }, p.requests)),
    section(t('reasons'), h('p', { class: 'text', dir: 'auto' }, p.reasons)),
    section(t('overTime'), signaturesChart(daily.days)),
  );

  if (p.admissibility) {
    const labels = new Map(council.rules.inadmissibilityReasons.map((r) => [r.code, named(r.labels)]));
    main.append(
      section(
        t('decision'),
        h('p', {}, statusText(p.admissibility), p.decidedAt ? ` · ${date(p.decidedAt)}` : ''),
        p.reasonCodes.length ? h('ul', {}, ...p.reasonCodes.map((c) => h('li', {}, labels.get(c) ?? c))) : null,
        p.reasonText ? h('p', { class: 'text', dir: 'auto' }, p.reasonText) : null,
        // A first-strong isolate: the committee's name keeps its own direction inside the sentence.
        p.committee ? h('p', {}, t('committeeIs', { name: `\u2068${p.committee}\u2069` })) : null,
        p.targetSession ? h('p', {}, t('targetSession', { date: date(p.targetSession.opensOn) })) : null,
      ),
    );
  }
  if (p.response) {
    main.append(
      section(
        t('response'),
        h('p', {}, h('strong', {}, t(`dec_${p.response.decision}` as Key)), p.answeredAt ? ` · ${date(p.answeredAt)}` : ''),
        h('blockquote', { class: 'text', dir: 'auto' }, p.response.text),
        h('p', { class: 'meta' }, `${p.response.respondingOfficial.name}, ${p.response.respondingOfficial.title}`),
      ),
    );
  }
  if (p.officialPositions.length) {
    main.append(
      section(
        t('positions'),
        h(
          'ul',
          { class: 'positions' },
          ...p.officialPositions.map((o) =>
            h(
              'li',
              {},
              h('a', { href: `#/officials/${o.officialId}` }, h('strong', {}, named(o.name))),
              ` (${t(`role_${o.role}` as Key)}) — ${t(`stance_${o.stance}` as Key)}`,
              h('p', { class: 'text', dir: 'auto' }, o.reasons),
            ),
          ),
        ),
      ),
    );
  }
  if (p.fromThreadId) main.append(h('p', {}, h('a', { href: `#/dialogues/${p.fromThreadId}` }, t('navDialogues'))));
  main.append(h('p', { class: 'audit-link' }, h('a', { href: `#/petitions/${p.id}/audit` }, t('auditLink'))));
  main.append(
    section(
      t('history'),
      h(
        'ol',
        { class: 'timeline' },
        ...history.entries.map((e) => h('li', {}, h('time', { datetime: e.at }, dateTime(e.at)), h('p', {}, e.text), h('p', { class: 'meta' }, e.actor))),
      ),
    ),
  );
}

const BASES = [
  ['residence', 'basisResidence'],
  ['economic_activity', 'basisEconomic'],
  ['commercial_activity', 'basisCommercial'],
  ['professional_activity', 'basisProfessional'],
] as const;

/** Development login (the identity provider's stand-in), then the signing form; the receipt after. */
function signBlock(petitionId: string, level: string, provinces: { id: string; name: { ar: string; fr: string; en: string } }[]): HTMLElement {
  const box = h('section', { class: 'panel', 'aria-labelledby': 'sign-title' }, h('h2', { id: 'sign-title' }, t('sign')));
  const me = session();
  if (!me) {
    box.append(loginForm(() => location.reload()));
    return box;
  }
  box.append(
    h(
      'p',
      { class: 'meta' },
      t('loggedAs', { who: me.sub }),
      ' ',
      h('button', { type: 'button', class: 'link', onclick: () => (setSession(null), location.reload()) }, t('logout')),
    ),
  );
  const problems = h('div');
  // One key per signing intention: a retry after a lost answer is the same signature, not a second one.
  const idempotencyKey = newIdempotencyKey();
  const form = h(
    'form',
    { novalidate: true },
    h(
      'fieldset',
      {},
      h('legend', {}, t('basis')),
      ...BASES.map(([value, label], i) =>
        h(
          'div',
          { class: 'choice' },
          h('input', { type: 'radio', id: `basis-${value}`, name: 'basis', value, checked: i === 0 }),
          h('label', { for: `basis-${value}` }, t(label)),
        ),
      ),
    ),
    level === 'region'
      ? h(
          'div',
          { class: 'field' },
          h('label', { for: 'sign-province' }, t('province_')),
          h('select', { id: 'sign-province', name: 'provinceId', required: true }, ...provinces.map((p) => h('option', { value: p.id }, named(p.name)))),
        )
      : h(
          'div',
          { class: 'choice' },
          h('input', { type: 'checkbox', id: 'sign-electoral', name: 'meetsElectoralRegistrationConditions', checked: true }),
          h('label', { for: 'sign-electoral' }, t('electoral')),
        ),
    h('button', { type: 'submit' }, t('confirmSign')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const body = {
      basis: formText(data, 'basis') as (typeof BASES)[number][0],
      ...(level === 'region'
        ? { provinceId: formText(data, 'provinceId') }
        : { meetsElectoralRegistrationConditions: data.get('meetsElectoralRegistrationConditions') === 'on' }),
    };
    void api
      .POST('/petitions/{id}/signatures', { params: { path: { id: petitionId }, header: { 'Idempotency-Key': idempotencyKey } }, body, headers: bearer(me) })
      .then(ok)
      .then((signed) => {
        form.replaceWith(receiptBlock(signed.receipt, petitionId, signed.position));
      })
      .catch((e: unknown) => showProblem(problems, e, form));
  });
  box.append(problems, form);
  return box;
}

function receiptBlock(receipt: string, petitionId: string, position: string): HTMLElement {
  const status = h('p', { role: 'status' });
  return h(
    'div',
    { class: 'receipt' },
    h('p', { role: 'status', class: 'success' }, t('signed')),
    h('label', { for: 'receipt' }, t('receipt')),
    h('textarea', { id: 'receipt', readonly: true, rows: 4, 'aria-describedby': 'receipt-hint' }, receipt),
    h('p', { id: 'receipt-hint', class: 'meta' }, t('receiptHint')),
    h(
      'button',
      { type: 'button', class: 'secondary', onclick: () => void navigator.clipboard?.writeText(receipt).then(() => (status.textContent = t('copied'))) },
      t('copy'),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () =>
          void api
            .GET('/receipts/{receipt}', { params: { path: { receipt } } })
            .then(ok)
            .then((r) => (status.textContent = t('receiptStatus', { status: r.status === 'signed' ? t('signed') : r.status })))
            .catch((e: unknown) => showProblem(status, e)),
      },
      t('verify'),
    ),
    status,
    h('p', {}, h('a', { href: `#/petitions/${petitionId}?minPosition=${position}` }, t('progress'))),
  );
}

function submitBlock(petitionId: string, me: Session): HTMLElement {
  const problems = h('div');
  const idempotencyKey = newIdempotencyKey();
  const button = h('button', { type: 'button', id: 'submit-petition' }, t('submit'));
  button.addEventListener('click', () => {
    void api
      .POST('/petitions/{id}/submission', { params: { path: { id: petitionId }, header: { 'Idempotency-Key': idempotencyKey } }, headers: bearer(me) })
      .then(ok)
      .then((outcome) => {
        location.hash = `#/petitions/${petitionId}?minPosition=${outcome.position ?? ''}`;
      })
      .catch((e: unknown) => showProblem(problems, e));
  });
  return h('div', { class: 'panel' }, button, problems);
}

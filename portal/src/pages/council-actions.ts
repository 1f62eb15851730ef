/**
 * What a council's clerk or official does on a petition page, where their role allows it: decide
 * admissibility once it is submitted (with the grounds the rulebook accepts, and the reasoned
 * refusal), then record the council's response. The API's field errors go on the fields.
 */
import { api, bearer, newIdempotencyKey, ok, session, type Schemas } from '../api.js';
import { showProblem } from '../components.js';
import { formText, h } from '../dom.js';
import { Key, named, t } from '../i18n.js';
import { actingAs, loginForm, sessionLine } from '../login.js';

type Petition = Schemas['PetitionView'];
type Council = Schemas['CouncilView'];

const field = (id: string, name: string, label: Key, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: id }, t(label)), control);

/** The council's actions for this petition, or null when its status calls for none. */
export function councilActions(p: Petition, council: Council): HTMLElement | null {
  if (p.status !== 'submitted' && p.status !== 'admissible') return null;
  const me = session();
  const box = h('details', { class: 'panel council-actions', open: actingAs(['clerk', 'official'], p.councilId) }, h('summary', {}, t('clerkTitle')));
  if (!me || !actingAs(['clerk', 'official'], p.councilId)) {
    box.append(loginForm(() => location.reload(), { roles: ['clerk', 'official'], council: p.councilId }));
    return box;
  }
  box.append(sessionLine() ?? '', p.status === 'submitted' ? decideForm(p, council) : respondForm(p));
  return box;
}

function done(petitionId: string) {
  return (outcome: { position?: string | null }) => {
    location.hash = `#/petitions/${petitionId}?minPosition=${outcome.position ?? ''}`;
  };
}

function decideForm(p: Petition, council: Council): HTMLElement {
  const me = session()!;
  const problems = h('div');
  const idempotencyKey = newIdempotencyKey();
  const reasons = council.rules.inadmissibilityReasons.filter((r) => r.acceptedInNewDecisions);
  const admissibleFields = h(
    'div',
    {},
    field('decide-committee', 'committee', 'committee', h('input', { id: 'decide-committee', name: 'committee', dir: 'auto' })),
    field('decide-agendaSession', 'agendaSession', 'agendaSession', h('input', { id: 'decide-agendaSession', name: 'agendaSession', dir: 'auto' })),
    field('decide-note', 'note', 'note', h('textarea', { id: 'decide-note', name: 'note', rows: 2, dir: 'auto' })),
  );
  const inadmissibleFields = h(
    'div',
    { hidden: true },
    h(
      'fieldset',
      {},
      h('legend', {}, t('reasonCodes')),
      // The group's errors land on its first box (the API names the field reasonCodes).
      ...reasons.map((r) =>
        h(
          'div',
          { class: 'choice' },
          h('input', { type: 'checkbox', id: `decide-reason-${r.code}`, name: 'reasonCodes', value: r.code }),
          h('label', { for: `decide-reason-${r.code}` }, named(r.labels), r.article ? h('span', { class: 'meta' }, ` (${r.article})`) : ''),
        ),
      ),
    ),
    field('decide-reasonText', 'reasonText', 'reasonText', h('textarea', { id: 'decide-reasonText', name: 'reasonText', rows: 4, dir: 'auto' })),
  );
  const decision = h(
    'select',
    {
      id: 'decide-decision',
      name: 'decision',
      onchange: (e: Event) => {
        const inadmissible = (e.target as HTMLSelectElement).value === 'inadmissible';
        admissibleFields.hidden = inadmissible;
        inadmissibleFields.hidden = !inadmissible;
      },
    },
    h('option', { value: 'admissible' }, t('admissibleOpt')),
    h('option', { value: 'inadmissible' }, t('inadmissibleOpt')),
  );
  const form = h(
    'form',
    { novalidate: true, class: 'decide-form' },
    h('h3', {}, t('decideTitle')),
    field('decide-decision', 'decision', 'decision_', decision),
    admissibleFields,
    inadmissibleFields,
    h('button', { type: 'submit' }, t('decideButton')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (k: string) => formText(data, k).trim();
    const body =
      text('decision') === 'inadmissible'
        ? { decision: 'inadmissible' as const, reasonCodes: data.getAll('reasonCodes').map(String), reasonText: text('reasonText') }
        : {
            decision: 'admissible' as const,
            committee: text('committee'),
            ...(text('agendaSession') ? { agendaSession: text('agendaSession') } : {}),
            ...(text('note') ? { note: text('note') } : {}),
          };
    void api
      .POST('/petitions/{id}/admissibility', { params: { path: { id: p.id }, header: { 'Idempotency-Key': idempotencyKey } }, body, headers: bearer(me) })
      .then(ok)
      .then(done(p.id))
      .catch((e: unknown) => showProblem(problems, e, form));
  });
  return h('div', {}, problems, form);
}

function respondForm(p: Petition): HTMLElement {
  const me = session()!;
  const problems = h('div');
  const idempotencyKey = newIdempotencyKey();
  const form = h(
    'form',
    { novalidate: true, class: 'respond-form' },
    h('h3', {}, t('responseTitle')),
    field(
      'respond-decision',
      'decision',
      'decision_',
      h(
        'select',
        { id: 'respond-decision', name: 'decision' },
        ...(['adopted', 'partially_adopted', 'rejected'] as const).map((d) => h('option', { value: d }, t(d))),
      ),
    ),
    field('respond-text', 'text', 'responseText', h('textarea', { id: 'respond-text', name: 'text', rows: 5, dir: 'auto' })),
    field(
      'respond-official-name',
      'respondingOfficial.name',
      'officialName',
      h('input', { id: 'respond-official-name', name: 'respondingOfficial.name', dir: 'auto' }),
    ),
    field(
      'respond-official-title',
      'respondingOfficial.title',
      'officialTitle',
      h('input', { id: 'respond-official-title', name: 'respondingOfficial.title', dir: 'auto' }),
    ),
    field('respond-deliberationRef', 'deliberationRef', 'deliberationRef', h('input', { id: 'respond-deliberationRef', name: 'deliberationRef', dir: 'auto' })),
    h('button', { type: 'submit' }, t('respondButton')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (k: string) => formText(data, k).trim();
    void api
      .POST('/petitions/{id}/response', {
        params: { path: { id: p.id }, header: { 'Idempotency-Key': idempotencyKey } },
        body: {
          decision: text('decision') as 'adopted' | 'partially_adopted' | 'rejected',
          text: text('text'),
          respondingOfficial: { name: text('respondingOfficial.name'), title: text('respondingOfficial.title') },
          ...(text('deliberationRef') ? { deliberationRef: text('deliberationRef') } : {}),
        },
        headers: bearer(me),
      })
      .then(ok)
      .then(done(p.id))
      .catch((e: unknown) => showProblem(problems, e, form));
  });
  return h('div', {}, problems, form);
}

/**
 * What an official of the council does beyond replying, where their role allows it: commit to a
 * date in a thread, mark one of their commitments kept (with what shows it), and state their
 * position on a petition. The API decides (a registered official, in office, of that council, and
 * their own commitment); its field errors go on the fields.
 */
import { api, bearer, newIdempotencyKey, ok, session, type Schemas } from '../api.js';
import { section, showProblem } from '../components.js';
import { formText, h } from '../dom.js';
import { Key, t } from '../i18n.js';
import { actingAs } from '../login.js';

const field = (id: string, label: Key, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: id }, t(label)), control);

/** The official's tools on a thread (commitments), or null for anyone else. */
export function threadOfficialTools(thread: Schemas['ThreadView']): HTMLElement | null {
  const me = session();
  if (!me || !me.roles.includes('official') || !actingAs(['official'], thread.councilId) || thread.status === 'closed') return null;
  const done = (outcome: { position?: string | null }) => {
    location.hash = `#/dialogues/${thread.id}?minPosition=${outcome.position ?? ''}`;
  };
  const problems = h('div');
  const key = newIdempotencyKey();
  const commit = h(
    'form',
    { novalidate: true, class: 'commit-form' },
    h('h3', {}, t('commitTitle')),
    field('commit-text', 'commitText', h('textarea', { id: 'commit-text', name: 'text', rows: 2, dir: 'auto' })),
    field('commit-dueOn', 'commitDue', h('input', { id: 'commit-dueOn', name: 'dueOn', type: 'date' })),
    h('button', { type: 'submit' }, t('commitButton')),
  );
  commit.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(commit);
    void api
      .POST('/dialogues/{id}/commitments', {
        params: { path: { id: thread.id }, header: { 'Idempotency-Key': key } },
        body: { text: formText(data, 'text').trim(), dueOn: formText(data, 'dueOn') },
        headers: bearer(me),
      })
      .then(ok)
      .then(done)
      .catch((e: unknown) => showProblem(problems, e, commit));
  });
  const keeps = thread.commitments
    .filter((c) => c.status === 'open')
    .map((c) => {
      const keepProblems = h('div');
      const keepKey = newIdempotencyKey();
      const id = `keep-${c.commitmentId}`;
      const form = h(
        'form',
        { novalidate: true, class: 'keep-form' },
        h('h3', { dir: 'auto' }, t('keepTitle'), ' — ', c.text),
        field(id, 'keepEvidence', h('textarea', { id, name: 'evidence', rows: 2, dir: 'auto' })),
        h('button', { type: 'submit', class: 'secondary' }, t('keepButton')),
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void api
          .POST('/dialogues/{id}/commitments/{commitmentId}/kept', {
            params: { path: { id: thread.id, commitmentId: c.commitmentId }, header: { 'Idempotency-Key': keepKey } },
            body: { evidence: formText(new FormData(form), 'evidence').trim() },
            headers: bearer(me),
          })
          .then(ok)
          .then(done)
          .catch((e: unknown) => showProblem(keepProblems, e, form));
      });
      return h('div', {}, keepProblems, form);
    });
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'official-tools' },
    h('h2', { id: 'official-tools' }, t('commitmentsTitle')),
    problems,
    commit,
    ...keeps,
  );
}

/** An official's position on a petition of their council (support, oppose, undecided, and why). */
export function positionTools(petition: Schemas['PetitionView']): HTMLElement | null {
  const me = session();
  if (!me || !me.roles.includes('official') || !actingAs(['official'], petition.councilId)) return null;
  const problems = h('div');
  const key = newIdempotencyKey();
  const form = h(
    'form',
    { novalidate: true, class: 'position-form' },
    field(
      'position-stance',
      'stance',
      h(
        'select',
        { id: 'position-stance', name: 'stance' },
        ...(['support', 'oppose', 'undecided'] as const).map((s) => h('option', { value: s }, t(`stance_${s}`))),
      ),
    ),
    field('position-reasons', 'positionReasons', h('textarea', { id: 'position-reasons', name: 'reasons', rows: 3, dir: 'auto' })),
    h('button', { type: 'submit' }, t('positionButton')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    void api
      .POST('/petitions/{id}/positions', {
        params: { path: { id: petition.id }, header: { 'Idempotency-Key': key } },
        body: { stance: formText(data, 'stance') as 'support' | 'oppose' | 'undecided', reasons: formText(data, 'reasons').trim() },
        headers: bearer(me),
      })
      .then(ok)
      .then((outcome) => {
        location.hash = `#/petitions/${petition.id}?minPosition=${outcome.position ?? ''}`;
      })
      .catch((e: unknown) => showProblem(problems, e, form));
  });
  return section(t('positionTitle'), problems, form);
}

/**
 * File a petition, as citizens (their agent) or as an association (its legal representative): the
 * council's rules for that petitioner (GET /councils/{id}) beside the form; the API's field errors
 * on the fields.
 */
import { api, bearer, newIdempotencyKey, ok, session } from '../api.js';
import { section, showProblem } from '../components.js';
import { formText, h } from '../dom.js';
import { count, Key, named, num, t } from '../i18n.js';
import { loginForm, sessionLine } from '../login.js';

type PetitionerType = 'citizens' | 'association';
interface Eligibility {
  id: string;
  article?: string;
  wording?: { ar: string; fr: string; en: string };
}

export async function filePage(main: HTMLElement, params: URLSearchParams): Promise<void> {
  main.append(h('h1', {}, t('fileTitle')));
  const me = session();
  if (!me) {
    main.append(loginForm(() => location.reload(), { roles: ['citizen', 'association_rep'] }));
    return;
  }
  main.append(sessionLine() ?? '');
  const { councils } = await api.GET('/councils').then(ok);
  const chosen = params.get('council') ?? councils[0].id;
  let petitionerType: PetitionerType = me.roles.includes('association_rep') ? 'association' : 'citizens';
  let councilId = chosen;
  const rules = h('div', { 'aria-live': 'polite' });
  const showRules = async () => {
    const c = await api.GET('/councils/{id}', { params: { path: { id: councilId } } }).then(ok);
    const limits = c.rules.limits as Record<string, number>;
    const eligibility = c.rules.eligibility as unknown as Eligibility[];
    const forAssociation = (e: Eligibility) => e.id.startsWith('association-');
    const wording = (e: Eligibility) => h('li', {}, e.wording ? named(e.wording) : e.id, e.article ? h('span', { class: 'meta' }, ` — ${e.article}`) : '');
    const years = (c.rules.association as { minYearsConstituted?: { value?: number } }).minYearsConstituted?.value;
    rules.replaceChildren(
      petitionerType === 'association'
        ? section(
            t('assocRules'),
            h(
              'ul',
              { class: 'rules' },
              ...eligibility.filter(forAssociation).map(wording),
              years ? h('li', {}, t('assocYears', { years: count('years', years) })) : null,
              h('li', {}, t('assocNoThreshold')),
              h('li', {}, t('deadlineMonths', { n: num(c.responseDeadlineMonths) })),
            ),
          )
        : section(
            t('rules'),
            h(
              'ul',
              { class: 'rules' },
              h('li', {}, t('threshold', { n: num(c.rules.threshold.required) })),
              h('li', {}, t('deadlineMonths', { n: num(c.responseDeadlineMonths) })),
            ),
            h('h3', {}, t('citizenRules')),
            h('ul', { class: 'rules' }, ...eligibility.filter((e) => !forAssociation(e)).map(wording)),
          ),
      h(
        'ul',
        { class: 'meta limits' },
        ...Object.entries(limits)
          .filter(([, v]) => typeof v === 'number')
          .map(([k, v]) => h('li', {}, `${k}: ${num(v)}`)),
      ),
    );
  };
  const problems = h('div');
  // One key for this filing: pressing the button twice, or retrying after a lost answer, files one petition.
  const idempotencyKey = newIdempotencyKey();
  const field = (name: string, label: Key, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: `file-${name}` }, t(label)), control);
  const check = (name: string, label: Key) =>
    h('div', { class: 'choice' }, h('input', { type: 'checkbox', id: `file-${name}`, name }), h('label', { for: `file-${name}` }, t(label)));
  const association = h(
    'fieldset',
    { class: 'association', hidden: petitionerType !== 'association' },
    h('legend', {}, t('assocTitle')),
    field('association.name', 'assocName', h('input', { id: 'file-association.name', name: 'association.name', dir: 'auto' })),
    field(
      'association.registrationNumber',
      'assocRegistration',
      h('input', { id: 'file-association.registrationNumber', name: 'association.registrationNumber', dir: 'ltr' }),
    ),
    field(
      'association.constitutedOn',
      'assocConstituted',
      h('input', { id: 'file-association.constitutedOn', name: 'association.constitutedOn', type: 'date' }),
    ),
    field(
      'association.memberCount',
      'assocMembers',
      h('input', { id: 'file-association.memberCount', name: 'association.memberCount', type: 'number', min: 1, inputmode: 'numeric' }),
    ),
    check('association.seatOrBranchInTerritory', 'assocSeat'),
    check('association.activityRelatedToSubject', 'assocActivity'),
    h(
      'fieldset',
      {},
      h('legend', {}, t('assocDocs')),
      check('association.documents.constitutionProof', 'docConstitution'),
      check('association.documents.statutes', 'docStatutes'),
      check('association.documents.representativePowers', 'docPowers'),
    ),
  );
  const form = h(
    'form',
    { novalidate: true, class: 'file-form' },
    field(
      'councilId',
      'council',
      h(
        'select',
        {
          id: 'file-councilId',
          name: 'councilId',
          onchange: (e: Event) => {
            councilId = (e.target as HTMLSelectElement).value;
            void showRules();
          },
        },
        ...councils.map((c) => h('option', { value: c.id, selected: c.id === chosen }, `${named(c.name)} (${t(c.level as Key)})`)),
      ),
    ),
    field(
      'petitionerType',
      'petitionerType',
      h(
        'select',
        {
          id: 'file-petitionerType',
          name: 'petitionerType',
          onchange: (e: Event) => {
            petitionerType = (e.target as HTMLSelectElement).value as PetitionerType;
            association.hidden = petitionerType !== 'association';
            void showRules();
          },
        },
        h('option', { value: 'citizens', selected: petitionerType === 'citizens' }, t('citizens')),
        h('option', { value: 'association', selected: petitionerType === 'association' }, t('association')),
      ),
    ),
    association,
    field('title', 'title', h('input', { id: 'file-title', name: 'title', required: true, dir: 'auto' })),
    field('subject', 'subject', h('textarea', { id: 'file-subject', name: 'subject', rows: 4, required: true, dir: 'auto' })),
    field('requests', 'requests', h('textarea', { id: 'file-requests', name: 'requests', rows: 3, required: true, dir: 'auto' })),
    field('reasons', 'reasons', h('textarea', { id: 'file-reasons', name: 'reasons', rows: 3, required: true, dir: 'auto' })),
    h('button', { type: 'submit' }, t('fileButton')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (k: string) => formText(data, k);
    const checked = (k: string) => data.get(k) === 'on';
    void api
      .POST('/petitions', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: {
          councilId: text('councilId'),
          petitionerType,
          ...(petitionerType === 'association'
            ? {
                association: {
                  name: text('association.name'),
                  registrationNumber: text('association.registrationNumber'),
                  constitutedOn: text('association.constitutedOn'),
                  memberCount: Number(text('association.memberCount')),
                  seatOrBranchInTerritory: checked('association.seatOrBranchInTerritory'),
                  activityRelatedToSubject: checked('association.activityRelatedToSubject'),
                  documents: {
                    constitutionProof: checked('association.documents.constitutionProof'),
                    statutes: checked('association.documents.statutes'),
                    representativePowers: checked('association.documents.representativePowers'),
                  },
                },
              }
            : {}),
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
  await showRules();
}

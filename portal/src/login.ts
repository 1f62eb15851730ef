/**
 * The development login (the identity provider's stand-in): mints a development token through
 * POST /dev/token, only where the service offers it. The visitor chooses the role the page needs
 * (citizen, association representative, council clerk or official, auditor); clerks and officials
 * act for one council.
 */
import { api, ok, session, setSession } from './api.js';
import { showProblem } from './components.js';
import { formText, h } from './dom.js';
import { Key, named, t } from './i18n.js';

export type DevRole = 'citizen' | 'association_rep' | 'clerk' | 'official' | 'auditor';

export interface LoginOptions {
  /** The roles this page can act with; the first is preselected. */
  roles?: DevRole[];
  /** Clerks and officials: the council preselected (the page's council). */
  council?: string;
}

export function loginForm(done: () => void, options: LoginOptions | DevRole = {}): HTMLElement {
  const { roles = ['citizen'], council } = typeof options === 'string' ? { roles: [options] } : options;
  const problems = h('div');
  const councilField = h(
    'div',
    { class: 'field', hidden: !roles[0] || !needsCouncil(roles[0]) },
    h('label', { for: 'login-council' }, t('council')),
    h('select', { id: 'login-council', name: 'council' }, council ? h('option', { value: council }, council) : null),
  );
  const roleField =
    roles.length > 1
      ? h(
          'div',
          { class: 'field' },
          h('label', { for: 'login-role' }, t('role')),
          h(
            'select',
            {
              id: 'login-role',
              name: 'role',
              onchange: (e: Event) => (councilField.hidden = !needsCouncil((e.target as HTMLSelectElement).value as DevRole)),
            },
            ...roles.map((r) => h('option', { value: r }, t(`r_${r}` as Key))),
          ),
        )
      : h('input', { type: 'hidden', name: 'role', value: roles[0] });
  const form = h(
    'form',
    { novalidate: true, class: 'login' },
    h('h3', {}, t('login')),
    h('p', { class: 'meta' }, t('loginHint')),
    roleField,
    councilField,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'login-cin' }, t('cin')),
      h('input', { id: 'login-cin', name: 'cin', autocomplete: 'off', required: true, dir: 'ltr', inputmode: 'text' }),
    ),
    h('div', { class: 'field' }, h('label', { for: 'login-name' }, t('fullName')), h('input', { id: 'login-name', name: 'name', autocomplete: 'name' })),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'login-address' }, t('address')),
      h('input', { id: 'login-address', name: 'address', autocomplete: 'street-address' }),
    ),
    h('button', { type: 'submit' }, t('login')),
  );
  if (roles.some(needsCouncil)) {
    // The councils a clerk or an official may act for.
    void api
      .GET('/councils')
      .then(ok)
      .then(({ councils }) => {
        const select = form.querySelector<HTMLSelectElement>('#login-council')!;
        select.replaceChildren(...councils.map((c) => h('option', { value: c.id, selected: c.id === council }, named(c.name))));
      })
      .catch((e: unknown) => showProblem(problems, e));
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (k: string) => formText(data, k).trim();
    const role = text('role') as DevRole;
    void api
      .POST('/dev/token', {
        body: {
          role,
          ...(needsCouncil(role) ? { council: text('council') } : {}),
          ...(text('cin') ? { cin: text('cin') } : {}),
          ...(text('name') ? { name: text('name') } : {}),
          ...(text('address') ? { address: text('address') } : {}),
        },
      })
      .then(ok)
      .then((s) => {
        setSession(s);
        done();
      })
      .catch((e: unknown) => showProblem(problems, e, form));
  });
  return h('div', {}, problems, form);
}

const needsCouncil = (role: DevRole): boolean => role === 'clerk' || role === 'official';

/** Who is logged in, with a way out. */
export function sessionLine(): HTMLElement | null {
  const me = session();
  if (!me) return null;
  return h(
    'p',
    { class: 'meta session' },
    t('loggedAs', { who: `${me.sub} (${me.roles.map((r) => t(`r_${r}` as Key)).join(', ')}${me.council ? ` · ${me.council}` : ''})` }),
    ' ',
    h('button', { type: 'button', class: 'link', onclick: () => (setSession(null), location.reload()) }, t('logout')),
  );
}

/** Whether the visitor is logged in with one of these roles (and, when given, for this council). */
export function actingAs(roles: DevRole[], council?: string): boolean {
  const me = session();
  return !!me && me.roles.some((r) => (roles as string[]).includes(r)) && (!council || !me.council || me.council === council);
}

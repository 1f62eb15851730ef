/**
 * The auditor's page for a petition: the public key that signs the log's checkpoints, the download
 * of the petition's audit export (GET /petitions/{id}/audit, JSON Lines, for auditors and the
 * council's clerks and officials), and how to verify it offline, step by step, with what each
 * check proves.
 */
import { api, bearer, ok, ProblemError, session } from '../api.js';
import { section, showProblem } from '../components.js';
import { h } from '../dom.js';
import { count, Key, t } from '../i18n.js';
import { actingAs, loginForm, sessionLine } from '../login.js';

/** The lines of an export the page summarises (the verifier, offline, checks them all). */
type ExportLine = { kind: 'header'; keyId: string } | { kind: 'checkpoint'; treeSize: number | string } | { kind: 'event' } | { kind: 'end'; events: number };

const code = (text: string): HTMLElement => h('pre', { class: 'code', dir: 'ltr' }, h('code', {}, text));

export async function auditPage(main: HTMLElement, _params: URLSearchParams, id: string): Promise<void> {
  const [petition, key] = await Promise.all([api.GET('/petitions/{id}', { params: { path: { id } } }).then(ok), api.GET('/audit/public-key').then(ok)]);
  const file = `petition-${id}-audit.jsonl`;
  const origin = location.origin;
  main.append(
    h('p', { class: 'meta' }, h('a', { href: `#/petitions/${id}` }, petition.title)),
    h('h1', {}, t('auditTitle')),
    h('p', { class: 'lead' }, t('auditLead')),
    h('p', { class: 'meta' }, t('auditPrivacy')),
  );

  const download = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'download-title' },
    h('h2', { id: 'download-title' }, t('auditDownload')),
    h('p', { class: 'meta' }, t('auditWho')),
  );
  const me = session();
  if (!me || !actingAs(['auditor', 'clerk', 'official'], petition.councilId)) {
    download.append(loginForm(() => location.reload(), { roles: ['auditor', 'clerk', 'official'], council: petition.councilId }));
  } else {
    const status = h('div', { role: 'status', 'aria-live': 'polite' });
    const button = h('button', { type: 'button', id: 'download-audit' }, t('auditDownload'));
    button.addEventListener('click', () => {
      status.replaceChildren();
      void api
        .GET('/petitions/{id}/audit', { params: { path: { id } }, headers: bearer(me), parseAs: 'text' })
        .then((result) => {
          if (!result.response.ok) {
            // A problem document: parse it as the other answers are.
            return ok({ error: safeJson(result.error), response: result.response });
          }
          const text = String(result.data ?? '');
          save(text, file);
          status.replaceChildren(h('p', { class: 'success' }, summary(text, file)));
          return undefined;
        })
        .catch((e: unknown) => {
          if (e instanceof ProblemError && e.problem.code === 'NO_CHECKPOINT_YET')
            status.replaceChildren(h('p', { role: 'alert', class: 'error' }, t('auditNoCheckpoint')));
          else showProblem(status, e);
        });
    });
    download.append(sessionLine() ?? '', button, status);
  }
  main.append(download);

  main.append(
    section(t('auditKey'), h('p', {}, t('auditKeyHint', { keyId: key.keyId })), code(key.publicKey)),
    section(
      t('auditStepsTitle'),
      h(
        'ol',
        { class: 'steps' },
        h('li', {}, h('p', {}, t('auditStep1')), code(`curl -s ${origin}/audit/public-key > audit-public-key.json`)),
        h('li', {}, h('p', {}, t('auditStep2')), code(`curl -s ${origin}/petitions/${id}/audit -H "authorization: Bearer $AUDITOR" > ${file}`)),
        h('li', {}, h('p', {}, t('auditStep3')), code(`npm run audit:verify -- ${file} --public-key audit-public-key.json`)),
        h('li', {}, h('p', {}, t('auditStep4'))),
      ),
    ),
    section(
      t('auditChecksTitle'),
      h(
        'ul',
        { class: 'checks' },
        ...(['auditCheckChain', 'auditCheckInclusion', 'auditCheckSignature', 'auditCheckConsistency', 'auditCheckCount'] as Key[]).map((k) =>
          h('li', {}, t(k)),
        ),
      ),
    ),
  );
}

function safeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return {};
  }
}

/** Hands the export to the browser as a file download. */
function save(text: string, file: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/jsonl' }));
  const link = h('a', { href: url, download: file, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function summary(text: string, file: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const parsed = lines.map((l) => JSON.parse(l) as ExportLine);
  const checkpoint = parsed.find((l): l is Extract<ExportLine, { kind: 'checkpoint' }> => l.kind === 'checkpoint');
  const events = parsed.filter((l) => l.kind === 'event').length;
  return t('auditDownloaded', {
    // A left-to-right isolate: the file name keeps its order inside an Arabic sentence.
    file: `\u2066${file}\u2069`,
    lines: count('lines', lines.length),
    events: count('events', events),
    size: count('events', Number(checkpoint?.treeSize ?? 0)),
  });
}

/** Pieces shared by the pages: petition cards, status badges, progress, the chart, problem documents. */
import type { Schemas } from './api.js';
import { ProblemError } from './api.js';
import { h, svg } from './dom.js';
import { count, date, Key, named, num, shortDate, t } from './i18n.js';

/** What a petition card shows: fields every petition answer (list, overdue board, petition) has. */
type Summary = Pick<Schemas['PetitionSummary'], 'id' | 'title' | 'status' | 'councilName' | 'signatureCount' | 'threshold' | 'progress'>;

export const statusText = (status: string): string => t(`st_${status}` as Key);

export function petitionCard(p: Summary, extra?: Node | string): HTMLElement {
  return h(
    'li',
    { class: 'card' },
    h('h3', { dir: 'auto' }, h('a', { href: `#/petitions/${p.id}` }, p.title)),
    h('p', { class: 'meta' }, named(p.councilName), ' · ', h('span', { class: `badge badge-${p.status}` }, statusText(p.status))),
    p.status === 'collecting' ? progressBar(p.signatureCount, p.threshold) : h('p', { class: 'meta' }, count('signatures', p.signatureCount)),
    extra ?? null,
  );
}

export function progressBar(value: number, threshold: number, label?: string): HTMLElement {
  const ratio = threshold > 0 ? Math.min(1, value / threshold) : 1;
  return h(
    'div',
    { class: 'progress' },
    h('progress', { max: threshold, value: Math.min(value, threshold), 'aria-label': label ?? t('progress') }),
    h('span', {}, t('progressText', { count: count('signatures', value), threshold: num(threshold) }), ` (${Math.round(ratio * 100)}%)`),
  );
}

/** Cumulative signatures per day: an inline SVG line with a text alternative (a table for screen readers). */
export function signaturesChart(days: { day: string; cumulative: number }[]): HTMLElement {
  const width = 320;
  const height = 140;
  const pad = 28;
  const max = Math.max(1, ...days.map((d) => d.cumulative));
  const x = (i: number) => pad + (days.length <= 1 ? (width - 2 * pad) / 2 : (i * (width - 2 * pad)) / (days.length - 1));
  const y = (v: number) => height - pad - (v * (height - 2 * pad)) / max;
  const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d.cumulative).toFixed(1)}`).join(' ');
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-title', class: 'chart' },
    svg('title', { id: 'chart-title' }, t('chartLabel')),
    svg('line', { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: 'axis' }),
    svg('line', { x1: pad, y1: pad, x2: pad, y2: height - pad, class: 'axis' }),
    svg('text', { x: pad - 4, y: pad + 4, 'text-anchor': 'end', class: 'tick' }, num(max)),
    svg('text', { x: pad - 4, y: height - pad, 'text-anchor': 'end', class: 'tick' }, num(0)),
    ...(days.length
      ? [
          svg('polyline', { points, class: 'line' }),
          ...days.map((d, i) => svg('circle', { cx: x(i), cy: y(d.cumulative), r: 3, class: 'dot' })),
          svg('text', { x: x(0), y: height - 8, 'text-anchor': 'middle', class: 'tick' }, shortDate(days[0].day)),
          ...(days.length > 1
            ? [svg('text', { x: x(days.length - 1), y: height - 8, 'text-anchor': 'middle', class: 'tick' }, shortDate(days[days.length - 1].day))]
            : []),
        ]
      : []),
  );
  // Charts keep the time axis left to right in every language, as Arabic print does; the table mirrors.
  chart.setAttribute('dir', 'ltr');
  const table = h(
    'table',
    { class: 'visually-hidden' },
    h('caption', {}, t('chartLabel')),
    h('tbody', {}, ...days.map((d) => h('tr', {}, h('th', { scope: 'row' }, date(d.day)), h('td', {}, num(d.cumulative))))),
  );
  return h('figure', { class: 'chart-figure' }, chart, table);
}

/** A problem document, with its field errors next to the fields when the form has them. */
export function showProblem(target: HTMLElement, error: unknown, form?: HTMLFormElement): void {
  target.replaceChildren();
  if (!(error instanceof ProblemError)) {
    target.append(h('p', { role: 'alert', class: 'error' }, t('error', { detail: error instanceof Error ? error.message : String(error) })));
    return;
  }
  const { problem } = error;
  form?.querySelectorAll('.field-error').forEach((e) => e.remove());
  form?.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const items = (problem.errors ?? []).map((e) => {
    const input = form?.querySelector<HTMLElement>(`[name="${CSS.escape(e.field)}"]`);
    if (input) {
      const id = `${input.id}-error`;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', id);
      input.insertAdjacentElement('afterend', h('p', { class: 'field-error', id }, e.messages.join('; ')));
    }
    return h('li', {}, h('code', {}, e.field), ': ', e.messages.join('; '));
  });
  target.append(
    h(
      'div',
      { role: 'alert', class: 'error' },
      h('p', {}, `${problem.title} (${problem.code})`),
      problem.detail ? h('p', {}, problem.detail) : null,
      items.length ? h('ul', {}, ...items) : null,
    ),
  );
}

export function section(title: string, ...children: (Node | string | null)[]): HTMLElement {
  return h('section', { 'aria-label': title }, h('h2', {}, title), ...children);
}

export const loading = (): HTMLElement => h('p', { role: 'status' }, t('loading'));

/** Cursor pagination: the first page, then "show more" asks for the page at the previous page's nextCursor. */
export async function showPages<T>(
  results: HTMLElement,
  more: HTMLButtonElement,
  fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string | null }>,
  card: (item: T) => Node,
  empty: string,
): Promise<void> {
  const load = async (cursor?: string) => {
    const page = await fetchPage(cursor);
    results.append(...page.items.map(card));
    if (!results.children.length) results.append(h('li', {}, empty));
    more.hidden = !page.nextCursor;
    more.onclick = () => void load(page.nextCursor ?? undefined);
  };
  await load();
}

/** A search form's submit: its filled fields become the query of `route`. */
export function searchTo(route: string): (event: Event) => void {
  return (event) => {
    event.preventDefault();
    const data = new URLSearchParams();
    for (const [k, v] of new FormData(event.currentTarget as HTMLFormElement)) if (typeof v === 'string' && v.trim()) data.set(k, v.trim());
    location.hash = `${route}?${data.toString()}`;
  };
}

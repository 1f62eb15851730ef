/**
 * The signatory list a petition's agent attaches to the filing and the council's clerk verifies:
 * CSV for checking, and a page to print in the layout of the decree's signatory sheet — the council,
 * the filing date and the subject at the top of every printed page (a repeated table header), then
 * one numbered line per signatory: full name, identity-card number, address, province for regions,
 * and the paper sheet and line it came from. Erased particulars print as erased, never as blanks
 * that could be filled in. Labels are Arabic first, then French, as on the official forms.
 */
import { csvField } from '../domain/shared/csv';
import type { Council } from '../domain/rules/rulebook';
import type { Opened, SignatoryEntry } from './signatory-vault.service';

export interface SignatoryListHeader {
  council: Council;
  petitionId: string;
  title: string;
  filedAt: string;
  /** Regional petitions: province names by id. */
  provinces: Map<string, Council>;
}

export interface SignatoryRow {
  entry: SignatoryEntry;
  opened: Opened;
}

const ERASED = { csv: 'erased', html: 'مُحيت · effacé' };
const NOT_RECORDED = { csv: 'not_recorded', html: 'غير مسجل · non enregistré' };

const sheetOf = (e: SignatoryEntry): string => (e.paperSheet ? `${e.paperSheet.sheet}/${e.paperSheet.line}` : (e.paperSheetRef ?? ''));

export function signatoryListCsv(rows: SignatoryRow[]): string {
  const columns = ['line', 'signatureId', 'status', 'fullName', 'identityNumber', 'address', 'provinceId', 'sheet', 'sheetLine', 'channel', 'signedAt'];
  const lines = rows.map(({ entry, opened }, i) => {
    const data = opened.state === 'readable' ? opened.data : undefined;
    const mark = opened.state === 'erased' ? ERASED.csv : opened.state === 'not_recorded' ? NOT_RECORDED.csv : undefined;
    return [
      i + 1,
      entry.signatureId,
      opened.state,
      data?.fullName ?? mark,
      data?.identityNumber ?? mark,
      data?.address ?? mark,
      entry.provinceId,
      entry.paperSheet?.sheet ?? entry.paperSheetRef,
      entry.paperSheet?.line,
      entry.channel,
      entry.signedAt,
    ]
      .map(csvField)
      .join(',');
  });
  return '\uFEFF' + [columns.join(','), ...lines].join('\r\n') + '\r\n';
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const dateIn = (iso: string, locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Africa/Casablanca' }).format(new Date(iso));

/** "1 signatory" / "N signatories", by the language's plural rules. */
export function signatoryCount(n: number, lang: 'ar' | 'fr' | 'en'): string {
  const category = new Intl.PluralRules(lang).select(n);
  const words: Record<'ar' | 'fr' | 'en', Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }> = {
    ar: { zero: 'لا موقّع', one: 'موقّع واحد', two: 'موقّعان', few: '{n} موقّعين', many: '{n} موقّعًا', other: '{n} موقّع' },
    fr: { one: '{n} signataire', other: '{n} signataires' },
    en: { one: '{n} signatory', other: '{n} signatories' },
  };
  const pattern = words[lang][category] ?? words[lang].other;
  return pattern.replace('{n}', new Intl.NumberFormat(lang === 'ar' ? 'ar-MA' : lang).format(n));
}

export function signatoryListHtml(header: SignatoryListHeader, rows: SignatoryRow[], downloadedAt: string): string {
  const regional = header.council.level === 'region';
  const h = escapeHtml;
  const cells = ({ entry, opened }: SignatoryRow, i: number): string => {
    const data = opened.state === 'readable' ? opened.data : undefined;
    const mark = opened.state === 'erased' ? ERASED.html : NOT_RECORDED.html;
    const particulars = data
      ? `<td>${h(data.fullName)}</td><td dir="ltr">${h(data.identityNumber)}</td><td>${h(data.address)}</td>`
      : `<td class="gone" colspan="3">${h(mark)}</td>`;
    const province = regional ? `<td>${h(entry.provinceId ? (header.provinces.get(entry.provinceId)?.name.ar ?? entry.provinceId) : '')}</td>` : '';
    return `<tr><td>${i + 1}</td>${particulars}${province}<td dir="ltr">${h(sheetOf(entry))}</td><td></td></tr>`;
  };
  const columns = ['الرقم<br>N°', 'الاسم الشخصي والعائلي<br>Nom et prénom', 'رقم البطاقة الوطنية<br>N° CNIE', 'العنوان<br>Adresse']
    .concat(regional ? ['العمالة أو الإقليم<br>Préfecture ou province'] : [])
    .concat(['الورقة/السطر<br>Feuille/ligne', 'التوقيع<br>Signature']);
  const span = columns.length;
  return `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<title>لائحة الموقعين · Liste des signataires — ${h(header.title)}</title>
<style>
@page { size: A4 landscape; margin: 12mm 10mm; }
body { font-family: "Noto Naskh Arabic", "Amiri", "DejaVu Sans", sans-serif; font-size: 10pt; margin: 0; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 3px 5px; text-align: start; vertical-align: top; }
thead .sheet-head th { border: none; font-weight: normal; padding: 0 0 2px; }
thead .sheet-head h1 { font-size: 12pt; margin: 0 0 4px; }
td.gone { font-style: italic; color: #444; }
td:last-child { min-width: 25mm; }
</style>
</head>
<body>
<table>
<thead>
<tr class="sheet-head"><th colspan="${span}"><h1>لائحة الموقعين على العريضة · Liste des signataires de la pétition</h1></th></tr>
<tr class="sheet-head"><th colspan="${span}">المجلس: ${h(header.council.name.ar)} · Conseil : ${h(header.council.name.fr)}</th></tr>
<tr class="sheet-head"><th colspan="${span}">تاريخ الإيداع: ${h(dateIn(header.filedAt, 'ar-MA'))} · Date de dépôt : ${h(dateIn(header.filedAt, 'fr-MA'))}</th></tr>
<tr class="sheet-head"><th colspan="${span}">الموضوع · Objet : ${h(header.title)}</th></tr>
<tr>${columns.map((c) => `<th>${c}</th>`).join('')}</tr>
</thead>
<tfoot>
<tr class="sheet-head"><th colspan="${span}">${h(signatoryCount(rows.length, 'ar'))} · ${h(signatoryCount(rows.length, 'fr'))} — ${h(header.petitionId)} — ${h(downloadedAt)}</th></tr>
</tfoot>
<tbody>
${rows.map(cells).join('\n')}
</tbody>
</table>
</body>
</html>
`;
}

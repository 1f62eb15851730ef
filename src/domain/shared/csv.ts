/**
 * CSV as spreadsheets read it (RFC 4180), for every export: a field is quoted when it holds a
 * separator, a quote or a line break, and text that starts like a spreadsheet formula (= + - @, tab,
 * carriage return) gets a leading apostrophe, so a title or a name cannot run in an NGO's
 * spreadsheet. Numbers stay numbers (a negative one is not a formula).
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value)
    ? value.join(';')
    : typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
        ? String(value)
        : (JSON.stringify(value) ?? '');
  const guarded = typeof value !== 'number' && typeof value !== 'bigint' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** One CSV record, CRLF-terminated. */
export const csvLine = (values: unknown[]): string => values.map(csvField).join(',') + '\r\n';

/** The one CSV every export speaks: quoting, and no formula can run in a spreadsheet. */
import { csvField, csvLine } from '../../src/domain/shared/csv';

describe('csvField', () => {
  it('quotes separators, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('Tan-Tan, El Wahda')).toBe('"Tan-Tan, El Wahda"');
    expect(csvField('dit "non"')).toBe('"dit ""non"""');
    expect(csvField('ligne\nsuivante')).toBe('"ligne\nsuivante"');
  });

  it('defuses text that starts like a formula, in strings and in lists', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField(['+33', 'ok'])).toBe("'+33;ok");
  });

  it('leaves numbers as numbers, and empty what is missing', () => {
    expect(csvField(-5)).toBe('-5');
    expect(csvField(12n)).toBe('12');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('ends each record with CRLF', () => {
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });
});

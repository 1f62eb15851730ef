import { checkBodyShape, REQUEST_LIMITS, scanJsonStructure } from '../../src/infrastructure/http/request-limits';
import { textProblem } from '../../src/infrastructure/http/clean-text';

const scan = (text: string) => () => scanJsonStructure(Buffer.from(text));
const object = (keys: number) => JSON.stringify(Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, i])));

describe('scanJsonStructure: the bounds on the raw bytes, before parsing', () => {
  it('lets through every shape within the limits', () => {
    expect(scan(object(REQUEST_LIMITS.keysPerObject))).not.toThrow();
    expect(scan(JSON.stringify({ a: Array.from({ length: REQUEST_LIMITS.arrayItems }, () => 1) }))).not.toThrow();
    expect(scan('['.repeat(REQUEST_LIMITS.depth) + ']'.repeat(REQUEST_LIMITS.depth))).not.toThrow();
  });

  it.each([
    ['one key too many', object(REQUEST_LIMITS.keysPerObject + 1), /keys/],
    ['one item too many', JSON.stringify({ a: Array.from({ length: REQUEST_LIMITS.arrayItems + 1 }, () => 1) }), /items/],
    ['one level too deep', '['.repeat(REQUEST_LIMITS.depth + 1) + ']'.repeat(REQUEST_LIMITS.depth + 1), /nested/],
    ['too many values in all', JSON.stringify(Array.from({ length: 20 }, () => Array.from({ length: 30 }, () => 0))), /values/],
  ])('refuses %s', (_, text, message) => {
    expect(scan(text)).toThrow(message);
  });

  it('does not count what is inside strings, escaped quotes and backslashes included', () => {
    const tricky = 'a,b,c,{[{[\\"],' + ',\\\\'.repeat(500);
    expect(scan(JSON.stringify({ title: tricky, other: '\\', last: '"{,,,}"' }))).not.toThrow();
    expect(scan(JSON.stringify({ title: tricky, list: Array.from({ length: REQUEST_LIMITS.arrayItems + 1 }, () => 1) }))).toThrow(/items/);
  });

  it('leaves malformed JSON to the parser (an unterminated string ends the scan)', () => {
    expect(scan('{"a": "unterminated')).not.toThrow();
  });
});

describe('checkBodyShape: the bounds on the parsed value', () => {
  it('refuses a string longer than the limit, and a key longer than it', () => {
    expect(() => checkBodyShape({ a: 'x'.repeat(REQUEST_LIMITS.stringChars + 1) })).toThrow(/characters/);
    expect(() => checkBodyShape({ ['k'.repeat(REQUEST_LIMITS.stringChars + 1)]: 1 })).toThrow(/characters/);
    expect(() => checkBodyShape({ a: 'x'.repeat(REQUEST_LIMITS.stringChars) })).not.toThrow();
  });
});

describe('textProblem: what permanent text may not contain', () => {
  it.each([
    ['U+202E', 'abc \u202E def'],
    ['U+2066', 'abc \u2066 def'],
    ['U+0085 (C1)', 'abc \u0085 def'],
    ['U+009F (C1)', 'abc \u009F def'],
    ['a lone surrogate', 'abc \uD800 def'],
    ['U+FFFF', 'abc \uFFFF def'],
  ])('refuses %s in any field', (_, text) => {
    expect(textProblem(text)).not.toBeNull();
    expect(textProblem(text, { multiline: true })).not.toBeNull();
  });

  it.each([
    ['a line feed', 'ligne un\nligne deux'],
    ['a carriage return and line feed', 'ligne un\r\nligne deux'],
    ['a tab', 'colonne\tcolonne'],
    ['U+2028', 'ligne un\u2028ligne deux'],
    ['U+2029', 'paragraphe\u2029paragraphe'],
  ])('allows %s in multi-line fields only', (_, text) => {
    expect(textProblem(text)).not.toBeNull();
    expect(textProblem(text, { multiline: true })).toBeNull();
  });

  it('allows Arabic with the right-to-left, left-to-right and Arabic letter marks, and emoji', () => {
    expect(textProblem('حي الوحدة\u200F 40 lampadaires\u200E \u061C👍')).toBeNull();
  });

  it.each([
    ['spaces', '     '],
    ['punctuation', '…—!?'],
    ['zero-width', '\u200B\u200C\u200D\u2060'],
    ['combining marks', '\u0301\u0308'],
  ])('refuses a string of only %s', (_, text) => {
    expect(textProblem(text, { multiline: true })).toMatch(/letter or a digit/);
  });
});

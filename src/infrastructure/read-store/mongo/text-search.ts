/**
 * MongoDB read store: `$text` search. MongoDB's text index (no language: no stemming, case and
 * diacritics folded) selects candidates with every token quoted; because its phrase match is a
 * substring match, candidates are re-checked here for whole words, as the port requires.
 */
import { searchableText, searchWords, valueAtPath } from '../read-store.rules';

/** A `$text` search: the words, each as the tokens it must match in a row. */
export interface TextQuery {
  /** Tokens of each word (a word like "l'école" is the two tokens l, école, adjacent). */
  words: string[][];
  /** The MongoDB `$search` string (every distinct token quoted), '' when there are no words. */
  search: string;
}

/** A token: letters, digits and private-use characters (with combining marks); the rest separates. */
const TOKEN = /[\p{L}\p{N}\p{Co}][\p{L}\p{N}\p{Co}\p{M}]*/gu;

/** Case- and diacritics-folded form, used to compare tokens. */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
}

/** The tokens of a text, as written. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * A user's search as words (runs separated by white space that hold a letter or a digit), each
 * the list of its tokens; and the `$search` string for MongoDB: every distinct token quoted,
 * because MongoDB ORs bare terms but requires every quoted phrase. Quotes, minus signs
 * (negation) and all other punctuation never reach MongoDB: only letters and digits do.
 */
export function textQuery(search: string): TextQuery {
  const words = searchWords(search)
    .map(tokenize)
    .filter((tokens) => tokens.length > 0);
  return { words, search: quoteTokens(words.flat()) };
}

/** `"a" "b"`: each distinct (folded) token quoted once. */
export function quoteTokens(tokens: readonly string[]): string {
  const seen = new Set<string>();
  const quoted: string[] = [];
  for (const token of tokens) {
    const folded = foldText(token);
    if (seen.has(folded)) continue;
    seen.add(folded);
    quoted.push(`"${token}"`);
  }
  return quoted.join(' ');
}

/** The `$search` string for a user's search (see textQuery); '' when it has no word. */
export function quoteTextSearch(search: string): string {
  return textQuery(search).search;
}

function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Whether every word occurs as whole tokens (in a row, within one text field), case- and
 * diacritics-insensitively. MongoDB's phrase matching is a substring match ("eclairage" is found
 * in "éclairages" once another word of the search selected the document through the index), so
 * the store re-checks MongoDB's candidates with this.
 */
export function documentMatchesText(doc: unknown, textFields: readonly string[], words: readonly string[][]): boolean {
  if (words.length === 0) return false;
  const fields: string[][] = [];
  for (const field of textFields) {
    const text = searchableText(valueAtPath(doc, field));
    if (text !== null) fields.push(tokenize(text).map(foldText));
  }
  return words.every((word) => {
    const folded = word.map(foldText);
    return fields.some((tokens) => containsRun(tokens, folded));
  });
}

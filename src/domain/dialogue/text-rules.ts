/**
 * Text rules of the dialogue. Search: what people type matches what was written, whatever the
 * hamza, alef form, tashkeel, tatweel or taa marbuta in Arabic, and the accents and case in French.
 * Personal data: free text must not carry something shaped like an identity number (CNIE).
 */
import { refused } from '../shared/domain-error';

const TASHKEEL = /[\u064B-\u065F\u0670\u0640]/g; // harakat, superscript alef, tatweel
const COMBINING = /\p{M}/gu;

/** One form for indexing and querying alike. */
export function normaliseForSearch(text: string): string {
  return text
    .replace(TASHKEEL, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي')
    .normalize('NFD')
    .replace(COMBINING, '')
    .normalize('NFC')
    .toLowerCase();
}

/**
 * One or two letters then 5–8 digits, standing alone: "JB123456", "jb123456", and, written apart,
 * "JB 123456" or "JB-123456" in capitals (apart and in lower case it is a word and a number: "de 1200000").
 */
const IDENTITY_NUMBER_IN_TEXT = /(?<![\p{L}\p{N}])(?:[A-Za-z]{1,2}\d{5,8}|[A-Z]{1,2}[\s-]\d{5,8})(?![\p{L}\p{N}])/u;

export function containsIdentityNumber(text: string): boolean {
  return IDENTITY_NUMBER_IN_TEXT.test(text);
}

/** Refuses (PERSONAL_DATA_IN_TEXT) when a free-text field carries something shaped like an identity number. */
export function requireNoIdentityNumber(fields: Record<string, string | null | undefined>): void {
  const found = Object.entries(fields)
    .filter(([, v]) => typeof v === 'string' && containsIdentityNumber(v))
    .map(([k]) => k);
  if (found.length) {
    throw refused('PERSONAL_DATA_IN_TEXT', `Free text must not carry an identity number (CNIE): ${found.join(', ')}`, { fields: found });
  }
}

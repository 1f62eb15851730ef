/**
 * Text rules of the dialogue. Search: what people type matches what was written, whatever the
 * hamza, alef form, tashkeel, tatweel or taa marbuta in Arabic, and the accents and case in French.
 * Personal data: free text must not carry something shaped like an identity number (CNIE); the rule
 * is the domain's, for petitions and the dialogue alike (../shared/personal-data.ts).
 */

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

export { containsIdentityNumber, requireNoIdentityNumber } from '../shared/personal-data';

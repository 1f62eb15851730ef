/**
 * Personal data in free text. Names, identity numbers and addresses are collected only where the
 * law asks for them (the signatory-data vault), never in text that is published or kept in clear:
 * every free-text field of a petition or of the dialogue is refused when it carries something
 * shaped like a national identity card number (CNIE).
 */
import { refused } from './domain-error';

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

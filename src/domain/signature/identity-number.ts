/**
 * The national identity card number (CNIE, formerly CIN): one or two letters, then digits.
 * People write it with spaces or dashes and in lower case; it is compared once normalised.
 */
export const IDENTITY_NUMBER = /^[A-Z]{1,2}[0-9]{3,8}$/;

/** Drops spaces and dashes and upper-cases the letters: "jb 123-456" → "JB123456". */
export function normaliseIdentityNumber(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase();
}

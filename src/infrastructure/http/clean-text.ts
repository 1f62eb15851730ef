import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/**
 * What permanent text may not contain. Every free-text field ends in an immutable event, a public
 * page and the CSV exports, so it must read the same everywhere it is shown:
 * - C0 controls (tab and line breaks only in multi-line fields), DEL and C1 controls (U+0080–U+009F);
 * - bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can
 *   show a title reversed or reorder a sentence; the marks LRM, RLM and ALM stay allowed: Arabic
 *   text mixed with Latin names and numbers needs them;
 * - line and paragraph separators (U+2028, U+2029) outside multi-line fields;
 * - unpaired UTF-16 surrogates and the noncharacters U+FFFE and U+FFFF;
 * - and a string must have something to read: at least one letter or digit (a string of only
 *   spaces, punctuation, zero-width or combining marks is refused).
 */
const CONTROLS_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/u;
const CONTROLS_MULTI_LINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
const SEPARATORS = /[\u2028\u2029]/u;
const BROKEN = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/;
const MEANINGFUL = /[\p{L}\p{N}]/u;

export interface CleanTextOptions {
  /** Line breaks (and tabs, line and paragraph separators) allowed: a petition's subject, a response's text. */
  multiline?: boolean;
}

/** Why text cannot go into a permanent event, or null when it can. */
export function textProblem(value: unknown, options: CleanTextOptions = {}): string | null {
  if (typeof value !== 'string') return 'must be text';
  if (BROKEN.test(value)) return 'must be valid Unicode text (no unpaired surrogates or noncharacters)';
  if (BIDI_CONTROLS.test(value)) return 'must not contain bidirectional embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069)';
  if ((options.multiline ? CONTROLS_MULTI_LINE : CONTROLS_SINGLE_LINE).test(value)) {
    return options.multiline ? 'must not contain control characters other than tabs and line breaks' : 'must be one line, without control characters';
  }
  if (!options.multiline && SEPARATORS.test(value)) return 'must be one line (no line or paragraph separator)';
  if (!MEANINGFUL.test(value)) return 'must contain a letter or a digit (not only spaces, punctuation or invisible marks)';
  return null;
}

/** Whether text can go into a permanent event (see textProblem). */
export function isCleanText(value: unknown, options: CleanTextOptions = {}): boolean {
  return textProblem(value, options) === null;
}

/** Unicode NFC, so that the same words typed on two keyboards are the same text. */
export function toNfc(value: unknown): unknown {
  return typeof value === 'string' ? value.normalize('NFC') : value;
}

/**
 * Text that ends in an immutable event must be text: what a person can read, the same way
 * everywhere. Normalises to NFC, then refuses what `textProblem` names.
 */
export function IsCleanText(options: CleanTextOptions & ValidationOptions = {}): PropertyDecorator {
  const { multiline, ...validation } = options;
  const rule: CleanTextOptions = { multiline: multiline ?? false };
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => toNfc(value)),
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name: 'isCleanText',
        target: target.constructor,
        propertyName: propertyName as string,
        options: {
          message: (args: ValidationArguments) => `${args.property} ${textProblem(args.value, rule) ?? 'must be readable text'}`,
          ...validation,
        },
        validator: { validate: (value: unknown) => isCleanText(value, rule) },
      }),
  );
}

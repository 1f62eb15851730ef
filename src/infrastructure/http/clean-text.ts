import { registerDecorator, ValidationOptions } from 'class-validator';

// Control characters other than tab and line breaks, and unpaired UTF-16 surrogates.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
const MEANINGFUL = /[\p{L}\p{N}]/u;

/** Whether text can go into a permanent event: no control characters or broken Unicode, and some letter or digit. */
export function isCleanText(value: unknown): boolean {
  return typeof value === 'string' && !FORBIDDEN.test(value) && MEANINGFUL.test(value);
}

/**
 * Text that ends in an immutable event must be text: what a person can read. Refuses control
 * characters, unpaired surrogates, and strings of only spaces, punctuation or invisible marks.
 */
export function IsCleanText(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCleanText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be readable text: letters or digits, no control characters`, ...options },
      validator: { validate: isCleanText },
    });
}

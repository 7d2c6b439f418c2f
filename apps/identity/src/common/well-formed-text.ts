import { type ValidationOptions, registerDecorator } from 'class-validator';

// Lone UTF-16 surrogates cannot be stored (PostgreSQL would get U+FFFD instead) and NUL cannot be stored at all:
// such a value is refused, so what is stored is exactly what was sent.
// eslint-disable-next-line no-control-regex
const ILL_FORMED = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u0000/;

export function isWellFormedText(value: unknown): boolean {
  return typeof value === 'string' && !ILL_FORMED.test(value);
}

/** The string is well-formed Unicode without NUL (a local stand-in until the kit's request edge checks every string). */
export function IsWellFormedText(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isWellFormedText',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} contains a lone UTF-16 surrogate or a NUL character; send well-formed Unicode text`, ...options },
      validator: { validate: isWellFormedText },
    });
  };
}

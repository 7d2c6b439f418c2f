import { type ValidationArguments, type ValidationOptions, registerDecorator } from 'class-validator';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
// C0 and C1 controls, except tab, line feed and carriage return (allowed in multi-line text).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * What is wrong with a string that will be stored and published, or undefined: PostgreSQL cannot store NUL, and a lone
 * UTF-16 surrogate is not text. Single-line text also refuses line breaks and other control characters.
 */
export function textProblem(value: string, multiLine = false): string | undefined {
  if (NUL.test(value)) return 'must not contain NUL (\\u0000) characters';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode text (it contains a lone UTF-16 surrogate)';
  if (!multiLine && (CONTROL.test(value) || /[\t\n\r]/.test(value))) return 'must be a single line of text without control characters';
  if (multiLine && CONTROL.test(value)) return 'must not contain control characters';
  return undefined;
}

/** A single line of well-formed text (names): no NUL, no lone surrogate, no control characters. */
export function IsPlainText(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPlainText',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || textProblem(value) === undefined,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${typeof args.value === 'string' ? (textProblem(args.value) ?? '') : ''}`.trim(),
      },
    });
  };
}

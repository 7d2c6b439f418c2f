import { type ValidationArguments, type ValidationOptions, registerDecorator } from 'class-validator';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 and C1 controls (NUL included), except tab, line feed and carriage return in multi-line text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** What is wrong with text that will be stored and published, or undefined (PostgreSQL cannot store NUL). */
export function textProblem(value: string, multiLine: boolean): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode text (it contains a lone UTF-16 surrogate)';
  if (CONTROL.test(value) || (!multiLine && /[\t\n\r]/.test(value))) return multiLine ? 'must not contain control characters' : 'must be a single line without control characters';
  return undefined;
}

/** Well-formed text without control characters (line breaks allowed with `multiLine`). */
export function IsText(multiLine = false, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isText',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || textProblem(value, multiLine) === undefined,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${typeof args.value === 'string' ? (textProblem(args.value, multiLine) ?? '') : ''}`.trim(),
      },
    });
  };
}

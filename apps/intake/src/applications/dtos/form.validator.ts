import { type ValidationArguments, type ValidationOptions, ValidatorConstraint, type ValidatorConstraintInterface, registerDecorator } from 'class-validator';
import { textProblem } from './text.validator';

/** Bounds of an application form: it is stored, published in the accepted event and shown to officers. */
export const FORM_LIMITS = {
  maxFields: 200,
  maxDepth: 4,
  maxItems: 100,
  maxStringLength: 4000,
  maxBytes: 64 * 1024,
} as const;

/** Field names: a letter first, then letters, digits, `_`, `.` or `-`, up to 64 characters. */
const KEY_PATTERN = /^\p{L}[\p{L}\p{N}_.-]{0,63}$/u;

/**
 * Names the JSON layers drop or choke on: the validation pipe deletes `__proto__`, `prototype` and `constructor`
 * keys in place, class-transformer drops keys named like Object.prototype members and throws on a nested
 * `constructor`. A form keeps what was sent or is refused, so these names are refused.
 */
function isReservedName(key: string): boolean {
  return key === 'prototype' || Object.prototype.hasOwnProperty.call(Object.prototype, key);
}

/** A key as shown in a field path: control characters and surrogates escaped, so the path is printable text. */
function printableKey(key: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what gets escaped
  return key.replace(/[\u0000-\u001f\u007f-\u009f\uD800-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface FormProblem {
  /** Where: `form`, `form.premises.address`, `form.rooms[2]`. */
  field: string;
  message: string;
}

/**
 * What is wrong with a form, naming the field, or undefined when it is fine. Values are strings, finite numbers,
 * booleans, null, or arrays and objects of them, nested at most `maxDepth` deep.
 */
export function formProblem(form: unknown): FormProblem | undefined {
  if (typeof form !== 'object' || form === null || Array.isArray(form)) return { field: 'form', message: 'form must be an object of field names to values' };
  let fields = 0;
  const at = (field: string, message: string): FormProblem => ({ field, message });
  const visit = (value: unknown, path: string, depth: number): FormProblem | undefined => {
    switch (typeof value) {
      case 'string': {
        if (value.length > FORM_LIMITS.maxStringLength) return at(path, `${path} must be at most ${FORM_LIMITS.maxStringLength} characters; send large content as a material`);
        const problem = textProblem(value, true);
        return problem ? at(path, `${path} ${problem}`) : undefined;
      }
      case 'number':
        return Number.isFinite(value) ? undefined : at(path, `${path} must be a finite number`);
      case 'boolean':
        return undefined;
      case 'object': {
        if (value === null) return undefined;
        if (depth >= FORM_LIMITS.maxDepth) return at(path, `${path} is nested too deeply: forms nest at most ${FORM_LIMITS.maxDepth} levels`);
        if (Array.isArray(value)) {
          if (value.length > FORM_LIMITS.maxItems) return at(path, `${path} must have at most ${FORM_LIMITS.maxItems} items`);
          for (let i = 0; i < value.length; i++) {
            const problem = visit(value[i], `${path}[${i}]`, depth + 1);
            if (problem) return problem;
          }
          return undefined;
        }
        for (const [key, child] of Object.entries(value)) {
          const field = `${path}.${printableKey(key)}`;
          if (isReservedName(key)) return at(field, `${path} has a reserved field name (${key}): choose another name`);
          if (!KEY_PATTERN.test(key)) return at(field, `${path} has a field name that is not allowed (${JSON.stringify(printableKey(key.slice(0, 70)))}): start with a letter, then letters, digits, _ . or -, at most 64 characters`);
          if (++fields > FORM_LIMITS.maxFields) return at('form', `form must have at most ${FORM_LIMITS.maxFields} fields in all`);
          const problem = visit(child, field, depth + 1);
          if (problem) return problem;
        }
        return undefined;
      }
      case 'bigint':
      case 'symbol':
      case 'undefined':
      case 'function':
        return at(path, `${path} must be a string, number, boolean, null, array or object`);
    }
  };
  const problem = visit(form, 'form', 0);
  if (problem) return problem;
  if (Buffer.byteLength(JSON.stringify(form), 'utf8') > FORM_LIMITS.maxBytes) return at('form', `form must be at most ${FORM_LIMITS.maxBytes / 1024} KiB as JSON; send large content as a material`);
  return undefined;
}

@ValidatorConstraint({ name: 'isBoundedForm' })
class BoundedFormConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return formProblem(value) === undefined;
  }
  defaultMessage(args: ValidationArguments): string {
    return formProblem(args.value)?.message ?? 'form is invalid';
  }
}

/** An application form within FORM_LIMITS, every string well-formed Unicode without NUL. */
export function IsBoundedForm(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({ target: target.constructor, propertyName: String(propertyName), options, validator: BoundedFormConstraint });
  };
}

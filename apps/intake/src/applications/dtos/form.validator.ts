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
 * What is wrong with a form, naming the field (e.g. `form.premises.address`), or undefined when it is fine. Values are
 * strings, finite numbers, booleans, null, or arrays and objects of them, nested at most `maxDepth` deep.
 */
export function formProblem(form: unknown): string | undefined {
  if (typeof form !== 'object' || form === null || Array.isArray(form)) return 'form must be an object of field names to values';
  let fields = 0;
  const visit = (value: unknown, path: string, depth: number): string | undefined => {
    switch (typeof value) {
      case 'string': {
        if (value.length > FORM_LIMITS.maxStringLength) return `${path} must be at most ${FORM_LIMITS.maxStringLength} characters; send large content as a material`;
        const problem = textProblem(value, true);
        return problem ? `${path} ${problem}` : undefined;
      }
      case 'number':
        return Number.isFinite(value) ? undefined : `${path} must be a finite number`;
      case 'boolean':
        return undefined;
      case 'object': {
        if (value === null) return undefined;
        if (depth >= FORM_LIMITS.maxDepth) return `${path} is nested too deeply: forms nest at most ${FORM_LIMITS.maxDepth} levels`;
        if (Array.isArray(value)) {
          if (value.length > FORM_LIMITS.maxItems) return `${path} must have at most ${FORM_LIMITS.maxItems} items`;
          for (let i = 0; i < value.length; i++) {
            const problem = visit(value[i], `${path}[${i}]`, depth + 1);
            if (problem) return problem;
          }
          return undefined;
        }
        for (const [key, child] of Object.entries(value)) {
          if (!KEY_PATTERN.test(key)) return `${path} has a field name that is not allowed (${JSON.stringify(key.slice(0, 70))}): start with a letter, then letters, digits, _ . or -, at most 64 characters`;
          if (++fields > FORM_LIMITS.maxFields) return `form must have at most ${FORM_LIMITS.maxFields} fields in all`;
          const problem = visit(child, `${path}.${key}`, depth + 1);
          if (problem) return problem;
        }
        return undefined;
      }
      case 'bigint':
      case 'symbol':
      case 'undefined':
      case 'function':
        return `${path} must be a string, number, boolean, null, array or object`;
    }
  };
  const problem = visit(form, 'form', 0);
  if (problem) return problem;
  if (Buffer.byteLength(JSON.stringify(form), 'utf8') > FORM_LIMITS.maxBytes) return `form must be at most ${FORM_LIMITS.maxBytes / 1024} KiB as JSON; send large content as a material`;
  return undefined;
}

@ValidatorConstraint({ name: 'isBoundedForm' })
class BoundedFormConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return formProblem(value) === undefined;
  }
  defaultMessage(args: ValidationArguments): string {
    return formProblem(args.value) ?? 'form is invalid';
  }
}

/** An application form within FORM_LIMITS, every string well-formed Unicode without NUL. */
export function IsBoundedForm(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({ target: target.constructor, propertyName: String(propertyName), options, validator: BoundedFormConstraint });
  };
}

import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { AppError } from './app-error';
import { KitErrors } from './error-codes';

export interface FieldProblem {
  /** The property path, e.g. `applicant.name`, `items[2].code`. */
  field: string;
  /** The class-validator constraint that failed, e.g. `isDefined`, `whitelistValidation`, `isInstant`. */
  rule: string;
  message: string;
}

/** Every failing constraint of a class-validator result, with its full property path (walked without recursion). */
export function fieldProblems(errors: ValidationError[]): FieldProblem[] {
  const out: FieldProblem[] = [];
  const stack = errors.map((error) => ({ error, parent: '' })).reverse();
  while (stack.length > 0) {
    const { error, parent } = stack.pop()!;
    const property = String(error.property);
    const field = parent === '' ? property : /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      // class-validator prefixes nested messages only with the last property: say the whole path once.
      out.push({ field, rule, message: message.startsWith(`${property} `) && field !== property ? `${field} ${message.slice(property.length + 1)}` : message });
    }
    const children = error.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ error: children[i], parent: field });
  }
  return out;
}

/** The one shape every validation failure takes: 400 ValidationFailed, `details.fields` lists each field and rule. */
export function validationFailed(errors: ValidationError[]): AppError {
  const fields = fieldProblems(errors);
  const message = fields.length > 0 ? fields.map((f) => f.message).join('; ') : 'The request is not valid.';
  return KitErrors.error('ValidationFailed', message, { fields });
}

/** The global validation pipe: whitelisting, unknown fields refused, transformed DTOs, every failure reported. */
export function kitValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => validationFailed(errors),
  });
}

import { type PipeTransform } from '@nestjs/common';
import { isCaseNumber } from '../case-numbers/case-number';
import { IntakeErrors } from '../errors';

/** How a path names an application: by its id (UUID) or by its case number. */
export type ApplicationRef = { by: 'id'; id: string } | { by: 'caseNumber'; caseNumber: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseApplicationRef(value: string): ApplicationRef | undefined {
  if (UUID.test(value)) return { by: 'id', id: value.toLowerCase() };
  if (isCaseNumber(value)) return { by: 'caseNumber', caseNumber: value };
  return undefined;
}

/** Types an application path parameter; anything else is a 400 naming the parameter, before any query runs. */
export class ApplicationRefPipe implements PipeTransform<unknown, ApplicationRef> {
  constructor(private readonly field = 'param.id') {}

  transform(value: unknown): ApplicationRef {
    const ref = typeof value === 'string' ? parseApplicationRef(value) : undefined;
    if (!ref) {
      const message = `${this.field} must be an application id (UUID) or a case number such as 449900-20261122-000001.`;
      throw IntakeErrors.error('InvalidApplicationRef', message, { field: this.field, fields: [{ field: this.field, rule: 'applicationRef', message }] });
    }
    return ref;
  }
}

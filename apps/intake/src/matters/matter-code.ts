import { type PipeTransform } from '@nestjs/common';
import { IntakeErrors } from '../errors';

/** Matter codes: capital letters, digits and dashes, up to 64 characters (e.g. DEMO-SCJG-001). */
export const MATTER_CODE_PATTERN = /^[0-9A-Z][0-9A-Z-]{0,63}$/;
export const MATTER_CODE_RULE = 'capital letters, digits and dashes, 1-64 characters, e.g. DEMO-SCJG-001';

/** Types a `:code` path parameter: a malformed code is a 400 naming the parameter (`param.code`, as the kit's pipes do). */
export class MatterCodePipe implements PipeTransform<unknown, string> {
  constructor(private readonly field = 'param.code') {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !MATTER_CODE_PATTERN.test(value)) {
      const message = `${this.field} must be a matter code: ${MATTER_CODE_RULE}.`;
      throw IntakeErrors.error('InvalidMatterCode', message, { field: this.field, fields: [{ field: this.field, rule: 'matterCode', message }] });
    }
    return value;
  }
}

import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { CaseNumber, isValidCreditCode, isValidResidentId } from '@gov/contracts';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { KitErrors } from './error-codes';

// Typed path and query parameters. Each pipe refuses a value of the wrong form with 400 InvalidParameter naming the
// parameter (`param.id`, `query.caseNumber`), so no malformed value reaches a query (where PostgreSQL would answer
// "invalid input syntax for type uuid" as a 500). The name comes from the decorator: `@Param('id', ParseUuidParam)`.

function fieldName(metadata: ArgumentMetadata, label?: string): string {
  if (label) return label;
  const where = metadata.type === 'custom' ? 'value' : metadata.type;
  return metadata.data ? `${where}.${metadata.data}` : where;
}

function refuse(field: string, expected: string): never {
  const message = `${field} must be ${expected}.`;
  throw KitErrors.error('InvalidParameter', message, { field, expected, fields: [{ field, rule: 'format', message }] });
}

function requireString(value: unknown, field: string, expected: string): string {
  if (typeof value !== 'string' || value === '') refuse(field, expected);
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A UUID (any version, with hyphens), returned in lower case. */
@Injectable()
export class ParseUuidParam implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = fieldName(metadata);
    const s = requireString(value, field, 'a UUID such as 3f2b8c1e-8d4a-4c3b-9e1f-2a6b7c8d9e0f');
    if (!isUuid(s)) refuse(field, 'a UUID such as 3f2b8c1e-8d4a-4c3b-9e1f-2a6b7c8d9e0f');
    return s.toLowerCase();
  }
}

export function isCaseNumber(value: string): boolean {
  return value.length <= 64 && CaseNumber.safeParse(value).success;
}

/** A case number in the contracts' form (`441200-20261122-000001`). */
@Injectable()
export class ParseCaseNumberParam implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = fieldName(metadata);
    const expected = 'a case number such as 441200-20261122-000001';
    const s = requireString(value, field, expected);
    if (!isCaseNumber(s)) refuse(field, expected);
    return s;
  }
}

/** The code formats the platform knows, with the check each one gets. */
export const CODE_FORMATS = {
  /** 18-character unified social credit code (GB 32100) with its check character. */
  creditCode: { test: (v: string) => isValidCreditCode(v), expected: 'an 18-character unified social credit code with a valid check character' },
  /** 18-character resident identity number (GB 11643) with its check character. */
  residentId: { test: (v: string) => isValidResidentId(v), expected: 'an 18-character resident identity number with a valid check character' },
  /** A resident identity number or a unified social credit code. */
  applicantId: {
    test: (v: string) => isValidResidentId(v) || isValidCreditCode(v),
    expected: 'an 18-character resident identity number or unified social credit code with a valid check character',
  },
  /** Administrative division code (GB/T 2260, with township and village extensions): 6, 9 or 12 digits. */
  divisionCode: { test: (v: string) => /^\d{6}(\d{3}|\d{6})?$/.test(v), expected: 'a 6, 9 or 12 digit administrative division code' },
  /** A catalogue code (matter, organisation, document): letters, digits, `.`, `_` and `-`, 1 to 64 characters. */
  code: { test: (v: string) => /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v), expected: 'a code of 1 to 64 letters, digits, ".", "_" or "-"' },
} as const satisfies Record<string, { test: (v: string) => boolean; expected: string }>;

export type CodeFormat = keyof typeof CODE_FORMATS;

/** A parameter in one of the `CODE_FORMATS`: `@Param('code', ParseCodeParam.of('creditCode'))` (an instance, not the class). */
export class ParseCodeParam implements PipeTransform<unknown, string> {
  constructor(
    private readonly format: CodeFormat,
    private readonly label?: string,
  ) {}
  static of(format: CodeFormat, label?: string): ParseCodeParam {
    return new ParseCodeParam(format, label);
  }
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const field = fieldName(metadata, this.label);
    const { test, expected } = CODE_FORMATS[this.format];
    const s = requireString(value, field, expected);
    if (!test(s)) refuse(field, expected);
    return s;
  }
}

// RFC 3339 date-time: full date, full time, and a zone (Z or ±hh:mm). Week dates, ordinal dates, basic format and
// offset-less local times are ISO 8601 but not instants, and PostgreSQL either refuses or reinterprets them.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** True for a full RFC 3339 instant with an offset, e.g. `2027-01-01T08:00:00+08:00` or `2027-01-01T00:00:00Z`. */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  if (m[8] !== undefined && (Number(m[9]) > 14 || Number(m[10]) > 59)) return false;
  return true;
}

/** class-validator: the property is a full RFC 3339 instant with an offset (stricter than `@IsDateString()`). */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property must be an RFC 3339 instant with an offset, e.g. 2027-01-01T08:00:00+08:00`, ...options },
      validator: { validate: (value: unknown) => isInstant(value) },
    });
  };
}

import { CaseNumber } from '@gov/contracts';
import { Injectable, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { type SupervisionErrorCode, SupervisionErrors } from '../errors';

/**
 * Parses one path or query parameter with a schema, so that only well-formed values (never NUL bytes, arrays from a
 * repeated query key, or 100 KB strings) reach a repository. A bad value answers 400 with the code and the field.
 */
class SchemaPipe<T> implements PipeTransform<unknown, T> {
  constructor(
    private readonly field: string,
    private readonly schema: z.ZodType<T>,
    private readonly code: SupervisionErrorCode,
    private readonly message: string,
  ) {}

  transform(value: unknown): T {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) throw SupervisionErrors.error(this.code, `${this.field}: ${this.message}`, { field: this.field });
    return parsed.data;
  }
}

const caseNumber = CaseNumber.max(64);
const CASE_NUMBER_MESSAGE = 'a case number looks like 441200-20261122-000001';

/** `:caseNumber` in a path. */
@Injectable()
export class CaseNumberParam extends SchemaPipe<string> {
  constructor() {
    super('caseNumber', caseNumber, 'BadCaseNumber', CASE_NUMBER_MESSAGE);
  }
}

/** `?caseNumber=` (optional). */
@Injectable()
export class OptionalCaseNumberQuery extends SchemaPipe<string | undefined> {
  constructor() {
    super('caseNumber', caseNumber.optional(), 'BadCaseNumber', CASE_NUMBER_MESSAGE);
  }
}

/** `?level=yellow|red` (optional). */
@Injectable()
export class OptionalLevelQuery extends SchemaPipe<'yellow' | 'red' | undefined> {
  constructor() {
    super('level', z.enum(['yellow', 'red']).optional(), 'BadLevel', "must be 'yellow' or 'red'");
  }
}

/**
 * A number parsed from a query string by one of these pipes. Typed as an intersection so that its design type is
 * Object: the global ValidationPipe then leaves the raw string to the pipe (with `number` it would coerce "1e3" or
 * " 1" first).
 */
export type QueryNumber = number & Record<never, never>;

/** `?after=<ledger seq>` (optional, default 0). */
@Injectable()
export class CursorQuery extends SchemaPipe<QueryNumber> {
  constructor() {
    super('after', z.string().regex(/^\d{1,15}$/).transform(Number).optional().transform((v) => v ?? 0), 'BadCursor', 'must be a non-negative whole number (a ledger seq)');
  }
}

/** `?limit=1..500` (optional, default 200). */
@Injectable()
export class LimitQuery extends SchemaPipe<QueryNumber> {
  constructor() {
    super(
      'limit',
      z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(500)).optional().transform((v) => v ?? 200),
      'BadLimit',
      'must be a whole number from 1 to 500',
    );
  }
}

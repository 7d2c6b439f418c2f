import { QueryFailedError } from 'typeorm';

/** A PostgreSQL error as node-postgres reports it (TypeORM wraps it in QueryFailedError.driverError). */
export interface PgError {
  code: string;
  message: string;
  detail?: string;
  constraint?: string;
  column?: string;
  table?: string;
}

/** The driver error behind a failed query, or undefined when `e` is not a PostgreSQL error. */
export function pgErrorOf(e: unknown): PgError | undefined {
  const inner: unknown = e instanceof QueryFailedError ? (e.driverError as unknown) : e;
  if (typeof inner !== 'object' || inner === null) return undefined;
  const { code, message, severity } = inner as { code?: unknown; message?: unknown; severity?: unknown };
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || typeof message !== 'string') return undefined;
  // node-postgres' DatabaseError carries the severity; a TypeORM QueryFailedError wraps nothing else.
  if (!(e instanceof QueryFailedError) && typeof severity !== 'string') return undefined;
  return inner as PgError;
}

/** The columns of a unique violation, from its detail: `Key (a, lower(b))=(x, y) already exists.` → ['a', 'lower(b)']. */
export function conflictingFields(detail: string | undefined): string[] {
  if (!detail) return [];
  const m = /^Key \((.+?)\)=\(/.exec(detail);
  if (!m) return [];
  return m[1].split(/,\s*/).map((f) => f.replace(/^"|"$/g, '')).filter(Boolean);
}

export interface MappedDatabaseError {
  status: 400 | 409;
  code: 'Conflict' | 'InvalidValue';
  message: string;
  details: Record<string, unknown>;
}

/**
 * A database error caused by the request's data, in the caller's terms: a unique violation is 409 naming the field,
 * a value PostgreSQL could not take (bad syntax for its type, bad date, NUL or invalid UTF-8, out of range, too
 * long) is 400. This is a safety net behind the pipes and DTOs; anything else stays a 500.
 */
export function mapDatabaseError(e: unknown): MappedDatabaseError | undefined {
  const pg = pgErrorOf(e);
  if (!pg) return undefined;
  switch (pg.code) {
    case '23505': {
      const fields = conflictingFields(pg.detail);
      const named = fields.length > 0 ? ` ${fields.join(', ')}` : '';
      return { status: 409, code: 'Conflict', message: `A record with the same${named || ' key'} already exists.`, details: { fields } };
    }
    case '22P02': {
      const type = /for type ([\w ]+?)(?::|$)/.exec(pg.message)?.[1];
      return invalid(type ? `A value is not a valid ${type}.` : 'A value is not in the form its field requires.', type);
    }
    case '22007':
      return invalid('A date or time is not in a valid form; send an RFC 3339 instant such as 2027-01-01T08:00:00+08:00.', 'timestamp');
    case '22008':
      return invalid('A date or time is out of range.', 'timestamp');
    case '22021':
    case '22P05':
      return invalid('A text value contains a character that cannot be stored (NUL, a lone surrogate or invalid UTF-8).', 'text');
    case '22003':
      return invalid('A number is out of range for its field.', 'numeric');
    case '22001': {
      const type = /for type ([\w ]+(?:\(\d+\))?)/.exec(pg.message)?.[1];
      return invalid(type ? `A text value is longer than its field allows (${type}).` : 'A text value is longer than its field allows.', type);
    }
    default:
      return undefined;
  }
}

function invalid(message: string, type: string | undefined): MappedDatabaseError {
  return { status: 400, code: 'InvalidValue', message, details: type ? { type } : {} };
}

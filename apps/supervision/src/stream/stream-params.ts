import { KitErrors } from '@gov/service-kit';

// The stream's cursor and page size, refused with the kit's InvalidParameter (400, naming the parameter) like every
// other typed parameter. Plain functions over the raw strings: the global ValidationPipe would coerce "1e3" or " 1".

function refuse(field: string, expected: string): never {
  const message = `${field} must be ${expected}.`;
  throw KitErrors.error('InvalidParameter', message, { field, expected, fields: [{ field, rule: 'format', message }] });
}

/** A stream seq (`?after=`, `Last-Event-ID`): a non-negative whole number; absent gives `fallback`. */
export function parseSeq<T extends number | undefined>(raw: unknown, field: string, fallback: T): number | T {
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) refuse(field, 'a non-negative whole number (the seq of an alert of this stream)');
  return Number(raw);
}

/** `?limit=1..500`, default 200. */
export function parseLimit(raw: unknown): number {
  if (raw === undefined || raw === '') return 200;
  if (typeof raw !== 'string' || !/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 500) refuse('query.limit', 'a whole number from 1 to 500');
  return Number(raw);
}

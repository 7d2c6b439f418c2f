import { type ValidationOptions, registerDecorator } from 'class-validator';

// A local stand-in for the service kit's IsInstant() (being added at the request edge); replace it once that lands.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 instant: full date, time and offset (`2027-01-01T09:00:00+08:00`, `...Z`), with a real calendar
 * day. Week dates (`2027-W01`), basic formats (`20270101`) and dates without a time or offset are refused.
 */
export function isInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offH, offM] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0', m[7] ?? '0', m[8] ?? '0'].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return false;
  if (hour > 23 || minute > 59 || second > 59 || offH > 23 || offM > 59) return false;
  return !Number.isNaN(Date.parse(value));
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be an instant with date, time and offset, e.g. 2027-01-01T09:00:00+08:00`, ...options },
      validator: { validate: isInstant },
    });
  };
}

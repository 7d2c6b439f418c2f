import { QueryFailedError } from 'typeorm';
import { conflictingFields, mapDatabaseError } from './database-errors';

function pg(code: string, message: string, detail?: string) {
  return Object.assign(new Error(message), { code, severity: 'ERROR', detail });
}

describe('mapDatabaseError', () => {
  it('maps a unique violation to 409 naming the conflicting field, through a TypeORM QueryFailedError', () => {
    // given
    const e = new QueryFailedError('INSERT ...', [], pg('23505', 'duplicate key value violates unique constraint "seals_document_code_key"', 'Key (document_code)=(x) already exists.'));
    // when
    const mapped = mapDatabaseError(e);
    // then
    expect(mapped).toEqual({ status: 409, code: 'Conflict', message: 'A record with the same document_code already exists.', details: { fields: ['document_code'] } });
  });

  it('reads composite and expression keys', () => {
    expect(conflictingFields('Key (tenant, "case_number")=(a, b) already exists.')).toEqual(['tenant', 'case_number']);
    expect(conflictingFields(undefined)).toEqual([]);
  });

  it('maps data errors caused by input to 400 InvalidValue without echoing the value', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['22P02', 'invalid input syntax for type uuid: "0"', /not a valid uuid/],
      ['22P02', 'invalid input syntax for type timestamp with time zone: "2027-W01"', /not a valid timestamp with time zone/],
      ['22007', 'invalid input syntax for type timestamp: "x"', /RFC 3339/],
      ['22008', 'date/time field value out of range: "x"', /out of range/],
      ['22021', 'invalid byte sequence for encoding "UTF8": 0x00', /cannot be stored/],
      ['22P05', 'unsupported Unicode escape sequence', /cannot be stored/],
      ['22003', 'value "99999999999" is out of range for type integer', /number is out of range/],
      ['22001', 'value too long for type character varying(64)', /character varying\(64\)/],
    ];
    for (const [code, message, expected] of cases) {
      const mapped = mapDatabaseError(new QueryFailedError('SELECT', [], pg(code, message)));
      expect(mapped?.status).toBe(400);
      expect(mapped?.code).toBe('InvalidValue');
      expect(mapped?.message).toMatch(expected);
      expect(mapped?.message).not.toContain('"0"');
    }
  });

  it('leaves every other error alone (a 500 that is logged)', () => {
    expect(mapDatabaseError(new QueryFailedError('SELECT', [], pg('40001', 'could not serialize access')))).toBeUndefined();
    expect(mapDatabaseError(new QueryFailedError('SELECT', [], pg('23503', 'violates foreign key constraint')))).toBeUndefined();
    expect(mapDatabaseError(new Error('plain'))).toBeUndefined();
    expect(mapDatabaseError(Object.assign(new Error('not pg'), { code: '23505' }))).toBeUndefined();
  });
});

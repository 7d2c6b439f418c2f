import type { ArgumentMetadata } from '@nestjs/common';
import { validate } from 'class-validator';
import { AppError } from './app-error';
import { KitErrors } from './error-codes';
import { IsInstant, ParseCaseNumberParam, ParseCodeParam, ParseUuidParam, isInstant } from './params';

const param = (data: string): ArgumentMetadata => ({ type: 'param', data });
const query = (data: string): ArgumentMetadata => ({ type: 'query', data });

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

describe('ParseUuidParam', () => {
  it('returns a UUID in lower case', () => {
    expect(new ParseUuidParam().transform('3F2B8C1E-8D4A-4C3B-9E1F-2A6B7C8D9E0F', param('id'))).toBe('3f2b8c1e-8d4a-4c3b-9e1f-2a6b7c8d9e0f');
  });

  it('refuses anything else with 400 naming the parameter', () => {
    for (const v of ['0', '', '\u0000', '3f2b8c1e8d4a4c3b9e1f2a6b7c8d9e0f', undefined, 42]) {
      const e = refusal(() => new ParseUuidParam().transform(v, param('id')));
      expect(e.status).toBe(400);
      expect(e.code).toBe(KitErrors.code.InvalidParameter);
      expect(e.details).toMatchObject({ field: 'param.id' });
    }
    expect(refusal(() => new ParseUuidParam().transform('x', query('userId'))).details).toMatchObject({ field: 'query.userId' });
  });
});

describe('ParseCaseNumberParam', () => {
  it('takes the contracts case number form only', () => {
    expect(new ParseCaseNumberParam().transform('441200-20261122-000001', param('caseNumber'))).toBe('441200-20261122-000001');
    for (const v of ['441200-2026-1', 'x', `441200-20261122-${'1'.repeat(80)}`, '%00']) {
      expect(refusal(() => new ParseCaseNumberParam().transform(v, param('caseNumber'))).details).toMatchObject({ field: 'param.caseNumber' });
    }
  });
});

describe('ParseCodeParam', () => {
  it('checks credit codes, resident ids and division codes with their check characters', () => {
    expect(ParseCodeParam.of('creditCode').transform('91350100M000100Y43', param('code'))).toBe('91350100M000100Y43');
    expect(refusal(() => ParseCodeParam.of('creditCode').transform('91350100M000100Y44', param('code'))).code).toBe(KitErrors.code.InvalidParameter);
    expect(ParseCodeParam.of('residentId').transform('11010519491231002X', param('id'))).toBe('11010519491231002X');
    expect(ParseCodeParam.of('applicantId').transform('91350100M000100Y43', param('id'))).toBe('91350100M000100Y43');
    expect(ParseCodeParam.of('divisionCode').transform('350100', param('division'))).toBe('350100');
    expect(refusal(() => ParseCodeParam.of('divisionCode').transform('3501', param('division'))).message).toContain('param.division');
    expect(ParseCodeParam.of('code').transform('MAT-001.a_b', param('matterCode'))).toBe('MAT-001.a_b');
    expect(refusal(() => ParseCodeParam.of('code').transform('bad code', param('matterCode'))).status).toBe(400);
  });
});

describe('isInstant', () => {
  it('accepts RFC 3339 instants with Z or an offset', () => {
    for (const v of ['2027-01-01T08:00:00+08:00', '2027-01-01T00:00:00Z', '2027-01-01T00:00:00.123456Z', '2028-02-29T23:59:59-05:30']) expect(isInstant(v)).toBe(true);
  });

  it('refuses week dates, basic format, dates without time or offset, impossible dates', () => {
    for (const v of ['2027-W01', '20270101', '2027-01-01', '2027-01-01T08:00:00', '2027-02-29T00:00:00Z', '2027-13-01T00:00:00Z', '2027-01-01T24:00:00Z', '2027-01-01T00:00:00+25:00', '0000-01-01T00:00:00Z', 20270101, null]) {
      expect(isInstant(v)).toBe(false);
    }
  });

  it('is a class-validator decorator naming the property', async () => {
    class Dto {
      @IsInstant() validFrom!: unknown;
    }
    const dto = Object.assign(new Dto(), { validFrom: '2027-W01' });
    const errors = await validate(dto);
    expect(errors).toHaveLength(1);
    expect(errors[0].constraints?.['isInstant']).toContain('validFrom must be an RFC 3339 instant');
    expect(await validate(Object.assign(new Dto(), { validFrom: '2027-01-01T00:00:00Z' }))).toHaveLength(0);
  });
});

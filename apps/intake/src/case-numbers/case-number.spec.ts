import { caseNumberDay, formatCaseNumber, isCaseNumber } from './case-number';

describe('case numbers', () => {
  it('count in the China Standard Time day, not the UTC one', () => {
    // given 23:30 UTC on 1 December, which is 07:30 on 2 December in Beijing
    const at = new Date('2026-12-01T23:30:00Z');
    // when
    const day = caseNumberDay(at);
    // then
    expect(day).toBe('20261202');
  });

  it('pad the sequence to six digits and keep growing beyond them', () => {
    expect(formatCaseNumber('449900', '20261202', 7)).toBe('449900-20261202-000007');
    expect(formatCaseNumber('449900', '20261202', 1234567n)).toBe('449900-20261202-1234567');
    expect(isCaseNumber(formatCaseNumber('449900', '20261202', 1))).toBe(true);
  });

  it('recognise only well-formed case numbers', () => {
    for (const bad of ['', '449900', '449900-2026120-000001', '449900-20261202-00001', 'abc-20261202-000001', '449900-20261202-000001\u0000']) {
      expect(isCaseNumber(bad)).toBe(false);
    }
  });
});

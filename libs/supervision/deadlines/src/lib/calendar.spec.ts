import { WorkingCalendar, lightAt } from './calendar';

const cst = (s: string) => new Date(`${s}+08:00`);

describe('WorkingCalendar', () => {
  const calendar = new WorkingCalendar();

  it('counts from the day after opening and ends at the end of the last working day', () => {
    // given a step opened on Monday 2026-11-23 at 10:00 CST with 3 working days
    // when
    const deadline = calendar.deadline(cst('2026-11-23T10:00:00'), 3);
    // then Thursday 23:59:59.999 CST
    expect(deadline.toISOString()).toBe(cst('2026-11-26T23:59:59.999').toISOString());
  });

  it('skips weekends', () => {
    expect(calendar.deadline(cst('2026-11-27T09:00:00'), 1).toISOString()).toBe(cst('2026-11-30T23:59:59.999').toISOString());
  });

  it('skips the National Day holiday and counts the make-up Saturday 2026-10-10 as a working day', () => {
    // opened Wednesday 2026-09-30; Oct 1-7 are holidays, Oct 8 and 9 working days, Oct 10 (Sat) a make-up working day
    expect(calendar.deadline(cst('2026-09-30T16:00:00'), 3).toISOString()).toBe(cst('2026-10-10T23:59:59.999').toISOString());
  });

  it('lets the override table correct a year the data package does not know yet', () => {
    // given 2027-01-01 (a Friday) declared a holiday by the override table
    const withOverride = new WorkingCalendar([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    // when / then
    expect(calendar.deadline(cst('2026-12-31T10:00:00'), 1).toISOString()).toBe(cst('2027-01-01T23:59:59.999').toISOString());
    expect(withOverride.deadline(cst('2026-12-31T10:00:00'), 1).toISOString()).toBe(cst('2027-01-04T23:59:59.999').toISOString());
  });

  it('treats an opening late in the UTC day by its CST date', () => {
    // 2026-11-22T17:00Z is Monday 2026-11-23 01:00 CST
    expect(calendar.deadline(new Date('2026-11-22T17:00:00Z'), 0).toISOString()).toBe(cst('2026-11-23T23:59:59.999').toISOString());
  });

  it('marks a deadline provisional when it crosses a year whose schedule is not known yet', () => {
    // 2026 is in the data package; 2027 is not (its schedule is published in November)
    expect(calendar.coversYear(2026)).toBe(true);
    expect(calendar.coversYear(2027)).toBe(false);
    expect(calendar.deadlineWithCoverage(cst('2026-11-23T10:00:00'), 3).provisional).toBe(false);
    expect(calendar.deadlineWithCoverage(cst('2026-12-28T10:00:00'), 10).provisional).toBe(true);
    // once the override table carries 2027, it is covered
    const withOverride = new WorkingCalendar([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    expect(withOverride.deadlineWithCoverage(cst('2026-12-28T10:00:00'), 10).provisional).toBe(false);
  });

  it('rejects negative or fractional limits', () => {
    expect(() => calendar.deadline(new Date(), -1)).toThrow(/non-negative integer/);
    expect(() => calendar.deadline(new Date(), 1.5)).toThrow(/non-negative integer/);
  });
});

describe('lightAt', () => {
  const deadline = new Date('2026-11-26T15:59:59.999Z');
  it.each([
    ['2026-11-24T00:00:00Z', 'green'],
    ['2026-11-26T00:00:00Z', 'yellow'],
    ['2026-11-26T15:59:59.999Z', 'yellow'],
    ['2026-11-26T16:00:00Z', 'red'],
  ])('at %s is %s', (now, light) => {
    expect(lightAt(new Date(now), deadline)).toBe(light);
  });
});

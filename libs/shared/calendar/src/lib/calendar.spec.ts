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

  it('answers a calendar that has counted before exactly as a fresh one (the day lookups it keeps change nothing)', () => {
    // given a calendar that has already counted across the National Day holiday and a year end
    const used = new WorkingCalendar([{ date: '2027-01-01', kind: 'holiday' }]);
    used.deadline(cst('2026-09-20T10:00:00'), 120);
    const starts = Array.from({ length: 40 }, (_, i) => new Date(cst('2026-09-25T10:00:00').getTime() + i * 2.5 * 24 * 3600 * 1000));
    // when both count the same steps
    const counted = (c: WorkingCalendar) => starts.map((s) => [c.deadline(s, 7).toISOString(), c.workingDaysBetween(s, cst('2027-01-08T12:00:00'))]);
    // then
    expect(counted(used)).toEqual(counted(new WorkingCalendar([{ date: '2027-01-01', kind: 'holiday' }])));
    expect(used.deadline(cst('2026-09-30T16:00:00'), 3).toISOString()).toBe(cst('2026-10-10T23:59:59.999').toISOString());
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

// The rule enforced below (DESIGN.md "Deadlines": suspension intervals are excluded): a working day whose office
// hours (09:00-17:00 CST) are covered by suspensions does not count toward the limit; a day suspended only in part
// still counts. Sources: seed text 3, 第十四条 "依法需要经听证、专家评审、检验或者检测等作出行政审批决定的, 应当明确所需时间,
// 审批时限暂停计算"; seed text 10 "听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审等…特殊程序环节不计入办理时限".
describe('WorkingCalendar with suspension intervals', () => {
  const calendar = new WorkingCalendar();
  const suspended = (from: string, to: string, reason = 'hearing') => ({ from: cst(from), to: cst(to), reason });
  // Monday 2026-11-23 10:00 CST, 3 working days: Thursday 2026-11-26 without suspensions.
  const opened = cst('2026-11-23T10:00:00');

  it('第十四条 审批时限暂停计算: a hearing suspending Tuesday and Wednesday moves the deadline past both days', () => {
    // given a hearing from Tuesday 08:00 to Wednesday 18:00 CST
    const hearing = [suspended('2026-11-24T08:00:00', '2026-11-25T18:00:00')];
    // when
    const deadline = calendar.deadline(opened, 3, hearing);
    // then Thursday, Friday and Monday are the three counted days
    expect(deadline.toISOString()).toBe(cst('2026-11-30T23:59:59.999').toISOString());
  });

  it('第十四条 审批时限暂停计算: a suspension covering only part of each day\'s office hours excludes no day', () => {
    // given expert review from Tuesday 10:00 to Wednesday 10:00 (neither day's 09:00-17:00 fully covered)
    const review = [suspended('2026-11-24T10:00:00', '2026-11-25T10:00:00', 'expert review')];
    // when / then the deadline is the unsuspended one
    expect(calendar.deadline(opened, 3, review).toISOString()).toBe(cst('2026-11-26T23:59:59.999').toISOString());
  });

  it('特殊程序环节不计入办理时限: several suspensions each exclude the days they cover', () => {
    // given testing on Tuesday and an appraisal on Thursday, each for the whole office day
    const intervals = [suspended('2026-11-24T09:00:00', '2026-11-24T17:00:00', 'testing'), suspended('2026-11-26T08:30:00', '2026-11-26T17:30:00', 'appraisal')];
    // when
    const deadline = calendar.deadline(opened, 3, intervals);
    // then Wednesday, Friday and Monday count
    expect(deadline.toISOString()).toBe(cst('2026-11-30T23:59:59.999').toISOString());
  });

  it('特殊程序环节不计入办理时限: overlapping or touching suspensions are merged, so together they cover the day', () => {
    // given a morning inspection and an afternoon one that overlap, and a quarantine split at noon on Wednesday
    const intervals = [
      suspended('2026-11-24T08:00:00', '2026-11-24T13:00:00', 'inspection'),
      suspended('2026-11-24T12:00:00', '2026-11-24T18:00:00', 'inspection'),
      suspended('2026-11-25T09:00:00', '2026-11-25T12:00:00', 'quarantine'),
      suspended('2026-11-25T12:00:00', '2026-11-25T17:00:00', 'quarantine'),
    ];
    // when
    const deadline = calendar.deadline(opened, 3, intervals);
    // then Tuesday and Wednesday are excluded once each: Thursday, Friday, Monday
    expect(deadline.toISOString()).toBe(cst('2026-11-30T23:59:59.999').toISOString());
    // and listing the same suspension twice changes nothing
    expect(calendar.deadline(opened, 3, [...intervals, ...intervals]).toISOString()).toBe(deadline.toISOString());
  });

  it('特殊程序环节不计入办理时限: a suspension across the National Day holiday excludes only its working days', () => {
    // given a step opened Wednesday 2026-09-30 with 3 working days (Oct 8, 9 and the make-up Saturday Oct 10 without
    // suspensions) and an inspection from Sep 30 17:00 to Oct 9 18:00 across the Oct 1-7 holiday
    const inspection = [suspended('2026-09-30T17:00:00', '2026-10-09T18:00:00', 'inspection')];
    // when
    const deadline = calendar.deadline(cst('2026-09-30T16:00:00'), 3, inspection);
    // then Oct 8 and 9 are excluded; Oct 10 (make-up Saturday), Mon Oct 12 and Tue Oct 13 count
    expect(deadline.toISOString()).toBe(cst('2026-10-13T23:59:59.999').toISOString());
    expect(calendar.workingDaysBetween(cst('2026-09-30T16:00:00'), cst('2026-10-09T23:00:00'), inspection)).toBe(0);
  });

  it('第十四条 审批时限暂停计算: a suspension across the year end excludes days on both sides, and the deadline stays provisional until next year\'s schedule is known', () => {
    // given a step opened Monday 2026-12-28 with 5 working days and a correction from Dec 30 to Jan 1 2027
    const correction = [suspended('2026-12-30T00:00:00', '2027-01-01T23:59:59', 'correction')];
    // when
    const result = calendar.deadlineWithCoverage(cst('2026-12-28T10:00:00'), 5, correction);
    // then Dec 29, Jan 4, 5, 6, 7 count, and 2027 is not in the data package
    expect(result.deadline.toISOString()).toBe(cst('2027-01-07T23:59:59.999').toISOString());
    expect(result.provisional).toBe(true);
    // and once the override table carries 2027 the same deadline is no longer provisional
    const withOverride = new WorkingCalendar([{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    expect(withOverride.deadlineWithCoverage(cst('2026-12-28T10:00:00'), 5, correction)).toEqual({ deadline: result.deadline, provisional: false });
  });

  it('keeps the plain count when no suspension falls inside the step', () => {
    // given suspensions before the opening day and after the deadline
    const outside = [suspended('2026-11-20T08:00:00', '2026-11-20T18:00:00'), suspended('2026-11-27T08:00:00', '2026-11-27T18:00:00')];
    // when / then
    expect(calendar.deadline(opened, 3, outside).toISOString()).toBe(calendar.deadline(opened, 3).toISOString());
    expect(calendar.deadline(opened, 3, []).toISOString()).toBe(cst('2026-11-26T23:59:59.999').toISOString());
  });

  it('refuses a suspension that ends before it starts', () => {
    expect(() => calendar.deadline(opened, 3, [suspended('2026-11-25T00:00:00', '2026-11-24T00:00:00')])).toThrow(/ends before it starts/);
  });
});

describe('WorkingCalendar.workingDaysBetween', () => {
  const calendar = new WorkingCalendar();
  const opened = cst('2026-11-23T10:00:00');

  it('counts the working days after the opening day up to and including the day of the second instant', () => {
    // given Monday 10:00 to the next Monday 09:00 (Tue-Fri and Monday)
    // when / then
    expect(calendar.workingDaysBetween(opened, cst('2026-11-30T09:00:00'))).toBe(5);
    expect(calendar.workingDaysBetween(opened, cst('2026-11-23T23:00:00'))).toBe(0);
    expect(calendar.workingDaysBetween(opened, cst('2026-11-20T09:00:00'))).toBe(0);
  });

  it('第十四条 审批时限暂停计算: excludes the suspended working days', () => {
    const hearing = [{ from: cst('2026-11-24T08:00:00'), to: cst('2026-11-25T18:00:00') }];
    expect(calendar.workingDaysBetween(opened, cst('2026-11-30T09:00:00'), hearing)).toBe(3);
  });

  it('is the inverse of deadline, with and without suspensions', () => {
    const cases = [[], [{ from: cst('2026-11-24T08:00:00'), to: cst('2026-11-25T18:00:00') }], [{ from: cst('2026-09-30T17:00:00'), to: cst('2026-10-09T18:00:00') }]];
    for (const suspensions of cases) {
      for (const start of [opened, cst('2026-09-30T16:00:00'), cst('2026-12-28T10:00:00')]) {
        for (let n = 0; n <= 12; n++) {
          expect(calendar.workingDaysBetween(start, calendar.deadline(start, n, suspensions), suspensions)).toBe(n);
        }
      }
    }
  });
});

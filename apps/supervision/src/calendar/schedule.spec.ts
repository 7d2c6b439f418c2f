import { WorkingCalendar } from '@gov/calendar';
import { ScheduleError, parseIcsSchedule, parseJsonSchedule } from './schedule';

describe('year schedules', () => {
  it('reads an ICS file: all-day holiday periods (DTEND exclusive) and make-up working days (班)', () => {
    // given the 2027 New Year holiday (3 days) and a make-up Sunday, folded lines included
    const ics = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270101', 'DTEND;VALUE=DATE:20270104', 'SUMMARY:元旦', ' 休', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270207', 'SUMMARY:春节调休 班', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    // when
    const days = parseIcsSchedule(2027, ics);
    // then
    expect(days.map((d) => [d.date, d.kind])).toEqual([
      ['2027-01-01', 'holiday'],
      ['2027-01-02', 'holiday'],
      ['2027-01-03', 'holiday'],
      ['2027-02-07', 'workday'],
    ]);
    expect(new WorkingCalendar(days).isWorkingDay('2027-02-07')).toBe(true);
  });

  it('refuses an ICS event outside the year, naming its line', () => {
    const ics = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261231', 'DTEND;VALUE=DATE:20270102', 'END:VEVENT', 'END:VCALENDAR'].join('\n');
    expect(() => parseIcsSchedule(2027, ics)).toThrow(new ScheduleError('ics line 2', '2026-12-31 is not in 2027'));
  });

  it.each([
    [[{ date: '2027-02-29', kind: 'holiday' }], 'days[0].date'],
    [[{ date: '2027-01-01', kind: 'holiday' }, { date: '2027-01-01', kind: 'workday' }], 'days[1].date'],
    [[{ date: '2027-01-01', kind: 'holiday', name: 'x'.repeat(101) }], 'days[0].name'],
    [[null], 'days[0]'],
  ])('refuses the JSON days %j naming %s', (days, field) => {
    expect(() => parseJsonSchedule(2027, days)).toThrow(ScheduleError);
    expect(() => parseJsonSchedule(2027, days)).toThrow(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `));
  });

  it('keeps valid JSON days as given', () => {
    expect(parseJsonSchedule(2027, [{ date: '2027-10-01', kind: 'holiday', name: '国庆节' }])).toEqual([{ date: '2027-10-01', kind: 'holiday', name: '国庆节' }]);
  });
});

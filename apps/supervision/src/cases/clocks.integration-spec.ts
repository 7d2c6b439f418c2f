import { LightMonitor } from '../alerts/light-monitor.service';
import { SupervisionErrors } from '../errors';
import { type TestSupervision, accepted, anEvent, deliver, deliverAny, http, newCaseNumber, orgsOf, startTestSupervision, stepEvent, tokenOf } from '../testing/test-app';

interface StepView {
  stepId: string;
  deadline: string | null;
  deadlineProvisional: boolean;
}
interface ClockView {
  statutoryDeadline: string;
  promisedDeadline: string | null;
  deadlineProvisional: boolean;
  suspensions: { suspensionId: string; resumedAt: string | null }[];
}

// Deadlines in working days (seed 001 text 3 art. 22: 按法定/承诺时限计算; issue 10 §1): the opening day does not
// count, holidays and weekends do not count, make-up working days (调休上班) do, and suspended days are excluded.
describe('case and step clocks', () => {
  let t: TestSupervision;
  let supervisor: string;
  let admin: string;
  let marketGroup: string;
  let marketOrg: string;

  beforeAll(async () => {
    t = await startTestSupervision();
    const handler = await tokenOf('handler.market');
    [supervisor, admin] = await Promise.all(['supervisor', 'admin'].map(tokenOf));
    marketOrg = orgsOf(handler)[0];
    marketGroup = `handler:${marketOrg}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  const steps = async (caseNumber: string) => (await http<StepView[]>(`${t.url}/cases/${caseNumber}/steps`, { token: supervisor })).body;
  const clock = async (caseNumber: string) => (await http<ClockView>(`${t.url}/cases/${caseNumber}/clock`, { token: supervisor })).body;

  it('gives a 5-working-day step opened on the Friday before the 2026 Spring Festival its deadline after the holiday, counting the make-up Saturday', async () => {
    // given a step opened Friday 2026-02-13 (Spring Festival holiday 02-15..02-23, make-up working day Saturday 02-14)
    const caseNumber = newCaseNumber();
    // when
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [marketGroup], timeLimitWorkingDays: 5, openedAt: '2026-02-13T10:00:00+08:00' }));
    // then 02-14 (make-up), 02-24, 25, 26, 27: the end of Friday 2026-02-27, China Standard Time
    expect(await steps(caseNumber)).toEqual([expect.objectContaining({ deadline: '2026-02-27T15:59:59.999Z', deadlineProvisional: false })]);
  });

  it('keeps the statutory and the promised deadline of a case from its acceptance', async () => {
    // given
    const caseNumber = newCaseNumber();
    // when accepted Monday 2026-11-02 with 20 statutory and 5 promised working days
    await deliverAny(t, accepted(caseNumber, { departmentCode: marketOrg, acceptedAt: '2026-11-02T10:00:00+08:00', timeLimitWorkingDays: 20, promisedLimitWorkingDays: 5 }), 'intake.application.v1');
    // then
    const c = await clock(caseNumber);
    expect(c.promisedDeadline).toBe('2026-11-09T15:59:59.999Z');
    expect(c.statutoryDeadline).toBe('2026-11-30T15:59:59.999Z');
    expect(c.deadlineProvisional).toBe(false);
  });

  it('moves the step and case deadlines by the suspended working days when the suspension ends, and shows no light while suspended', async () => {
    // given a case accepted and a 5-day step opened Monday 2026-11-02 (deadline Monday 11-09)
    const caseNumber = newCaseNumber();
    await deliverAny(t, accepted(caseNumber, { departmentCode: marketOrg, acceptedAt: '2026-11-02T10:00:00+08:00', timeLimitWorkingDays: 20, promisedLimitWorkingDays: 5 }));
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [marketGroup], timeLimitWorkingDays: 5, openedAt: '2026-11-02T10:00:00+08:00' }));
    expect((await steps(caseNumber))[0].deadline).toBe('2026-11-09T15:59:59.999Z');
    // when its clock stops for an expert review over the office hours of Tuesday and Wednesday ...
    await deliverAny(t, anEvent('gov.approval.step.suspended', { caseNumber, suspensionId: `s-${caseNumber}`, stepId: null, reason: '专家评审', statedWorkingDays: 2, suspendedAt: '2026-11-03T08:00:00+08:00' }, caseNumber));
    // (its deadline has long passed on the real clock, yet no light while the clock is stopped)
    await t.app.get(LightMonitor).scan();
    const during = await t.ownerQuery(`SELECT level FROM alerts WHERE case_number = $1`, [caseNumber]);
    // ... and resumes on Wednesday evening
    await deliverAny(t, anEvent('gov.approval.step.resumed', { caseNumber, suspensionId: `s-${caseNumber}`, resumedAt: '2026-11-04T18:00:00+08:00' }, caseNumber));
    // then both deadlines move two working days later
    expect(during).toEqual([]);
    expect((await steps(caseNumber))[0].deadline).toBe('2026-11-11T15:59:59.999Z');
    const c = await clock(caseNumber);
    expect(c.promisedDeadline).toBe('2026-11-11T15:59:59.999Z');
    expect(c.statutoryDeadline).toBe('2026-12-02T15:59:59.999Z');
    expect(c.suspensions).toEqual([expect.objectContaining({ suspensionId: `s-${caseNumber}`, resumedAt: '2026-11-04T10:00:00.000Z' })]);
  });

  it('marks a deadline crossing a year without a schedule provisional, warns the office once, and moves it when the schedule is entered', async () => {
    // given a 5-day step opened Monday 2026-12-28: 2027's holidays are not known yet
    const caseNumber = newCaseNumber();
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [marketGroup], timeLimitWorkingDays: 5, openedAt: '2026-12-28T10:00:00+08:00' }));
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: `${caseNumber}1`, taskId: `task-${caseNumber}-b`, candidateGroups: [marketGroup], timeLimitWorkingDays: 5, openedAt: '2026-12-28T10:00:00+08:00' }));
    expect(await steps(caseNumber)).toEqual([expect.objectContaining({ deadline: '2027-01-04T15:59:59.999Z', deadlineProvisional: true })]);
    const warnings = await t.ownerQuery<{ rule: string }>(`SELECT rule FROM alert_stream WHERE kind = 'calendar' AND dedupe_key = 'calendar:missing:2027'`);
    expect(warnings).toEqual([{ rule: 'calendar.schedule-missing' }]);
    // when the State Council's 2027 schedule is entered (New Year's Day a holiday)
    const put = await http<{ recomputed: { steps: number } }>(`${t.url}/calendar/years/2027`, {
      method: 'PUT',
      token: admin,
      body: { days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }, { date: '2027-02-07', kind: 'workday', name: '春节调休上班' }] },
    });
    // then the provisional deadline is computed again: one day later, and final
    expect(put.status).toBe(200);
    expect(put.body.recomputed.steps).toBeGreaterThanOrEqual(2);
    expect(await steps(caseNumber)).toEqual([expect.objectContaining({ deadline: '2027-01-05T15:59:59.999Z', deadlineProvisional: false })]);
    const year = await http<{ known: boolean; entered: unknown[] }>(`${t.url}/calendar/years/2027`);
    expect(year.body).toMatchObject({ known: true, entered: [expect.objectContaining({ date: '2027-01-01', kind: 'holiday' }), expect.objectContaining({ date: '2027-02-07', kind: 'workday' })] });
  });

  it('imports a year from an ICS file (holidays and make-up working days)', async () => {
    // given the published calendar of a year nobody has entered
    const ics = ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20280101', 'DTEND;VALUE=DATE:20280104', 'SUMMARY:元旦 休', 'END:VEVENT', 'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20280205', 'SUMMARY:春节 班', 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
    // when
    const res = await http<{ days: number }>(`${t.url}/calendar/years/2028`, { method: 'PUT', token: supervisor, body: { ics } });
    // then
    expect(res.status).toBe(200);
    expect(res.body.days).toBe(4);
    const deadline = await http<{ deadline: string; provisional: boolean }>(`${t.url}/calendar/deadline?start=2027-12-31T10:00:00%2B08:00&days=1`);
    expect(deadline.body).toEqual(expect.objectContaining({ deadline: '2028-01-04T15:59:59.999Z', provisional: false }));
  });

  it('answers the deadline and the working days between two dates publicly', async () => {
    const d = await http<{ deadline: string; provisional: boolean }>(`${t.url}/calendar/deadline?start=2026-02-13T10:00:00%2B08:00&days=5`);
    const w = await http<{ workingDays: number }>(`${t.url}/calendar/working-days?from=2026-02-13T10:00:00%2B08:00&to=2026-02-27T10:00:00%2B08:00`);
    expect(d.status).toBe(200);
    expect(d.body).toEqual(expect.objectContaining({ deadline: '2026-02-27T15:59:59.999Z', provisional: false }));
    expect(w.body.workingDays).toBe(5);
  });

  it.each([
    ['/calendar/deadline?start=yesterday&days=5', 'BadCalendarQuery', 'start'],
    ['/calendar/deadline?start=2026-02-13&days=-1', 'BadCalendarQuery', 'days'],
    ['/calendar/working-days?from=2026-02-13&to=9999-01-01', 'BadCalendarQuery', 'to'],
    ['/calendar/years/20x6', 'BadSchedule', 'year'],
  ] as const)('answers 400 for %s naming the field', async (path, code, field) => {
    const res = await http<{ error: string; details: { field: string } }>(`${t.url}${path}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(SupervisionErrors.code[code]);
    expect(res.body.details.field).toBe(field);
  });

  it.each([
    [{ days: [{ date: '2029-02-30', kind: 'holiday' }] }, 'days[0].date'],
    [{ days: [{ date: '2030-01-01', kind: 'holiday' }] }, 'days[0].date'],
    [{ days: [{ date: '2029-01-01', kind: 'rest' }] }, 'days[0].kind'],
    [{ days: [] }, 'days'],
    [{ ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR' }, 'ics'],
    [{}, 'days'],
  ])('refuses the 2029 schedule %j with BadSchedule naming %s, and changes nothing', async (body, field) => {
    // when
    const res = await http<{ error: string; details: { field: string } }>(`${t.url}/calendar/years/2029`, { method: 'PUT', token: admin, body });
    // then
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(SupervisionErrors.code.BadSchedule);
    expect(res.body.details.field).toBe(field);
    expect(await t.ownerQuery(`SELECT day FROM calendar_overrides WHERE day >= '2029-01-01' AND day < '2030-01-01'`)).toEqual([]);
  });
});

import { AdjustableClock } from '../clock/clock';
import { type TestSupervision, deliver, http, newCaseNumber, orgsOf, startTestSupervision, stepEvent, tokenOf } from '../testing/test-app';
import { LightMonitor } from './light-monitor.service';

const HOUR = 3600 * 1000;

// Early warning (预警, seed 001 text 10; issue 10 §2): before the deadline, at configurable lead times, to the officer
// holding the step and their section (the chief reads the section's stream); once per step and lead time.
describe('early warnings', () => {
  let t: TestSupervision;
  const clock = new AdjustableClock();

  beforeAll(async () => {
    t = await startTestSupervision({ WARNING_LEAD_HOURS: '48,24' }, { clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('warns the officer and the section at 48 and at 24 hours before the deadline, each once', async () => {
    // given a 3-working-day step held by handler.market
    const [handler, chief, other] = await Promise.all(['handler.market', 'chief.market', 'handler.resources'].map(tokenOf));
    const section = orgsOf(handler)[0];
    const caseNumber = newCaseNumber();
    const stepId = `task-${caseNumber}`;
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: stepId, candidateGroups: [`handler:${section}`], assignee: 'u-liu', timeLimitWorkingDays: 3, openedAt: new Date().toISOString() }));
    const [{ deadline }] = await t.ownerQuery<{ deadline: Date }>(`SELECT deadline FROM steps WHERE step_id = $1`, [stepId]);
    const monitor = t.app.get(LightMonitor);
    // when the clock reaches 30 hours before the deadline, then 12 hours before, scanning twice each time
    clock.advance(deadline.getTime() - Date.now() - 30 * HOUR);
    const at30 = (await monitor.warn()) + (await monitor.warn());
    clock.advance(18 * HOUR);
    const at12 = (await monitor.warn()) + (await monitor.warn());
    // then
    expect([at30, at12]).toEqual([1, 1]);
    const entries = async (token: string) =>
      (await http<{ rule: string; officer: string; stepId: string; evidence: { leadHours: number } }[]>(`${t.url}/alerts/stream/entries`, { token })).body.filter((a) => a.stepId === stepId);
    expect((await entries(handler)).map((a) => [a.rule, a.evidence.leadHours, a.officer])).toEqual([
      ['warning.lead-time', 48, 'u-liu'],
      ['warning.lead-time', 24, 'u-liu'],
    ]);
    expect(await entries(chief)).toHaveLength(2);
    expect(await entries(other)).toEqual([]);
  });

  it('turns a long step yellow once 80% of its time has run, days before the last 24 hours, and not before', async () => {
    // given a 10-working-day step opened now
    const section = orgsOf(await tokenOf('handler.market'))[0];
    const caseNumber = newCaseNumber();
    const stepId = `task-${caseNumber}`;
    const openedAt = clock.now();
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: stepId, candidateGroups: [`handler:${section}`], timeLimitWorkingDays: 10, openedAt: openedAt.toISOString() }));
    const [{ deadline }] = await t.ownerQuery<{ deadline: Date }>(`SELECT deadline FROM steps WHERE step_id = $1`, [stepId]);
    const span = deadline.getTime() - openedAt.getTime();
    const monitor = t.app.get(LightMonitor);
    const yellow = async () => (await t.ownerQuery(`SELECT 1 FROM alerts WHERE step_id = $1 AND level = 'yellow'`, [stepId])).length;
    // when the clock reaches 75% of the span, then 85%
    clock.advance(openedAt.getTime() + span * 0.75 - clock.now().getTime());
    await monitor.scan();
    const at75 = await yellow();
    clock.advance(span * 0.1);
    await monitor.scan();
    // then yellow only at 85%, still more than a day before the deadline
    expect(deadline.getTime() - clock.now().getTime()).toBeGreaterThan(24 * HOUR);
    expect([at75, await yellow()]).toEqual([0, 1]);
  });
});

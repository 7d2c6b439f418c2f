import { STACK, eventually } from '@gov/testing';
import { Client } from 'pg';
import { AdjustableClock } from '../clock/clock';
import { STATISTICS_CONSUMER } from '../statistics/statistics-events.controller';
import { DC_MARKET, MARKET, deliverRaw } from '../testing/supstats-fixtures';
import { type TestSupervision, accepted, anEvent, deliverAny, http, newCaseNumber, startTestSupervision, tokenOf } from '../testing/test-app';
import { CaseLightMonitor } from './case-light-monitor.service';

const HOUR = 3600 * 1000;

// Lights for whole cases (issue 10 §1; seed 001 text 3 art. 22: yellow within 24 hours of the limit, red once it is
// exceeded, the red record never changed), for the statutory (法定) and the promised (承诺) limit.
describe('case deadline lights', () => {
  let t: TestSupervision;
  let clock: AdjustableClock;
  let supervisor: string;

  beforeAll(async () => {
    clock = new AdjustableClock();
    t = await startTestSupervision({}, { clock });
    supervisor = await tokenOf('supervisor');
  });
  afterAll(async () => {
    await t?.close();
  });

  const scan = () => t.app.get(CaseLightMonitor).scan();
  const ledger = (caseNumber: string) => t.ownerQuery<{ step_id: string; level: string }>(`SELECT step_id, level FROM alerts WHERE case_number = $1 ORDER BY seq`, [caseNumber]);
  const deadlines = async (caseNumber: string) =>
    (await t.ownerQuery<{ statutory_deadline: Date; promised_deadline: Date | null }>(`SELECT statutory_deadline, promised_deadline FROM cases WHERE case_number = $1`, [caseNumber]))[0];
  const moveTo = (at: number) => clock.advance(Math.max(0, at - clock.now().getTime()));

  it('turns the promised and then the statutory deadline yellow 24 hours before and red once passed, each once (seed 001 text 3 art. 22)', async () => {
    // given a case accepted now with 2 promised and 4 statutory working days
    const caseNumber = newCaseNumber();
    await deliverAny(t, accepted(caseNumber, { departmentCode: MARKET, acceptedAt: clock.now().toISOString(), timeLimitWorkingDays: 4, promisedLimitWorkingDays: 2 }));
    const d = await deadlines(caseNumber);
    // when the clock is 12 hours before the promised deadline
    moveTo(d.promised_deadline!.getTime() - 12 * HOUR);
    await scan();
    // then the promised clock is yellow, the statutory one still green
    expect(await ledger(caseNumber)).toEqual([{ step_id: `case:promised:${caseNumber}`, level: 'yellow' }]);
    // when the promised deadline has passed and the statutory one is within 24 hours, scanned twice
    moveTo(d.statutory_deadline.getTime() - 2 * HOUR);
    await scan();
    await scan();
    // then red for the promised, yellow for the statutory limit, once each
    expect(await ledger(caseNumber)).toEqual([
      { step_id: `case:promised:${caseNumber}`, level: 'yellow' },
      { step_id: `case:statutory:${caseNumber}`, level: 'yellow' },
      { step_id: `case:promised:${caseNumber}`, level: 'red' },
    ]);
    // and each light is on the alert stream with the case's department, and published on Kafka's alert topic
    const streamed = await t.ownerQuery<{ rule: string; level: string; org_code: string; clock: string }>(
      `SELECT rule, level, org_code, evidence->>'clock' AS clock FROM alert_stream WHERE case_number = $1 AND kind = 'light' ORDER BY seq`,
      [caseNumber],
    );
    expect(streamed).toEqual([
      { rule: 'case-light.yellow', level: 'yellow', org_code: MARKET, clock: 'promised' },
      { rule: 'case-light.yellow', level: 'yellow', org_code: MARKET, clock: 'statutory' },
      { rule: 'case-light.red', level: 'red', org_code: MARKET, clock: 'promised' },
    ]);
    const published = await t.ownerQuery<{ level: string; clock: string }>(
      `SELECT payload->'data'->>'level' AS level, payload->'data'->>'clock' AS clock FROM outbox WHERE type = 'gov.supervision.case-light.raised' AND key = $1 ORDER BY seq`,
      [caseNumber],
    );
    expect(published).toEqual([{ level: 'yellow', clock: 'promised' }, { level: 'yellow', clock: 'statutory' }, { level: 'red', clock: 'promised' }]);
  });

  it('gives no light to a case decided before its deadline, and a red to one decided after it', async () => {
    // given two cases accepted now with 2 statutory working days
    const onTime = newCaseNumber();
    const late = newCaseNumber();
    for (const c of [onTime, late]) await deliverAny(t, accepted(c, { departmentCode: MARKET, acceptedAt: clock.now().toISOString(), timeLimitWorkingDays: 2 }));
    const d = await deadlines(onTime);
    // when one is decided before its deadline and the other only after it, before any scan saw it overdue
    const decided = (c: string, at: Date) => anEvent('gov.approval.case.decided', { caseNumber: c, processInstanceId: `pi-${c}`, decision: 'approved', documentNumber: `D-${c}`, decidedAt: at.toISOString() }, c);
    await deliverAny(t, decided(onTime, new Date(d.statutory_deadline.getTime() - 30 * HOUR)));
    await deliverAny(t, decided(late, new Date(d.statutory_deadline.getTime() + HOUR)));
    moveTo(d.statutory_deadline.getTime() + 2 * HOUR);
    await scan();
    // then
    expect(await ledger(onTime)).toEqual([]);
    expect(await ledger(late)).toEqual([{ step_id: `case:statutory:${late}`, level: 'red' }]);
  });

  it('stops the case clock while a suspension runs, and runs it to a deadline moved by the suspension once it resumes', async () => {
    // given a case accepted now with 2 statutory working days, suspended at once
    const caseNumber = newCaseNumber();
    const acceptedAt = clock.now();
    await deliverAny(t, accepted(caseNumber, { departmentCode: MARKET, acceptedAt: acceptedAt.toISOString(), timeLimitWorkingDays: 2 }));
    const before = await deadlines(caseNumber);
    await deliverAny(t, anEvent('gov.approval.step.suspended', { caseNumber, suspensionId: `s-${caseNumber}`, stepId: null, reason: '专家评审', statedWorkingDays: 10, suspendedAt: acceptedAt.toISOString() }, caseNumber));
    // when its first deadline passes while suspended
    moveTo(before.statutory_deadline.getTime() + HOUR);
    await scan();
    const during = await ledger(caseNumber);
    // and it resumes then
    await deliverAny(t, anEvent('gov.approval.step.resumed', { caseNumber, suspensionId: `s-${caseNumber}`, resumedAt: clock.now().toISOString() }, caseNumber));
    await scan();
    const after = await deadlines(caseNumber);
    // then no light while it was stopped, and none right after resuming: the deadline moved by the suspended days
    expect(during).toEqual([]);
    expect(after.statutory_deadline.getTime()).toBeGreaterThan(before.statutory_deadline.getTime());
    expect(await ledger(caseNumber)).toEqual([]);
  });

  it("counts case lights in the statistics apart from step lights, lists them for the department's supervisor, and keeps them out of the art. 22 tallies", async () => {
    // given a case of a department no other test here uses, overdue on its statutory limit
    const caseNumber = newCaseNumber();
    await deliverAny(t, accepted(caseNumber, { departmentCode: DC_MARKET, acceptedAt: clock.now().toISOString(), timeLimitWorkingDays: 1 }));
    moveTo((await deadlines(caseNumber)).statutory_deadline.getTime() + HOUR);
    await scan();
    // when the statistics consumer receives the published light (from Kafka, and once more by hand: counted once)
    const [row] = await t.ownerQuery<{ payload: { type: string; subject: string } }>(`SELECT payload FROM outbox WHERE type = 'gov.supervision.case-light.raised' AND key = $1`, [caseNumber]);
    await deliverRaw(t, STATISTICS_CONSUMER, row.payload);
    // then the department's rollup counts a case red, not a step red
    const rollup = () => t.ownerQuery<{ case_reds: number; reds: number }>(`SELECT case_reds, reds FROM stats_rollups WHERE dim = 'department' AND dim_key = $1 AND period = 'year'`, [DC_MARKET]);
    await eventually('the light counted', async () => (await rollup()).length > 0, 20_000);
    expect(await rollup()).toEqual([{ case_reds: 1, reds: 0 }]);
    // and the supervisor's alert list has it
    const list = await http<{ stepId: string; level: string }[]>(`${t.url}/alerts?caseNumber=${caseNumber}`, { token: supervisor });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ stepId: `case:statutory:${caseNumber}`, level: 'red' })]);
    // and no tally flag counts it
    const year = clock.now().getUTCFullYear();
    const tally = await http<{ sections: { subject: string }[] }>(`${t.url}/tallies/${year}`, { token: supervisor });
    expect(tally.status).toBe(200);
    expect(tally.body.sections.find((s) => s.subject === DC_MARKET)).toBeUndefined();
  });
});

describe('case lights across a restart', () => {
  let first: TestSupervision | undefined;
  let second: TestSupervision | undefined;

  afterAll(async () => {
    await second?.close();
    if (first) {
      const c = new Client({ host: STACK.pg.host, port: STACK.pg.port, user: process.env['PG_SUPERUSER'] ?? 'postgres', database: 'postgres' });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${first.database} WITH (FORCE)`);
      await c.end();
    }
  });

  it('fires the red that fell due while the service was down on the next start, exactly once (seed 001 text 3 art. 22)', async () => {
    // given a case accepted with 2 working days, yellow raised before the service stops
    const clock1 = new AdjustableClock();
    first = await startTestSupervision({}, { clock: clock1 });
    const caseNumber = newCaseNumber();
    await deliverAny(first, accepted(caseNumber, { departmentCode: MARKET, acceptedAt: clock1.now().toISOString(), timeLimitWorkingDays: 2 }));
    const [{ statutory_deadline: deadline }] = await first.ownerQuery<{ statutory_deadline: Date }>(`SELECT statutory_deadline FROM cases WHERE case_number = $1`, [caseNumber]);
    clock1.advance(deadline.getTime() - Date.now() - 6 * HOUR);
    await first.app.get(CaseLightMonitor).scan();
    await first.app.close();
    // when it starts again after the deadline passed, scanning on start, and scans again
    const clock2 = new AdjustableClock();
    clock2.advance(deadline.getTime() - Date.now() + HOUR);
    second = await startTestSupervision({ LIGHT_SCAN_ON_START: 'true' }, { reuseDatabase: first.database, clock: clock2, consumers: false });
    const lights = () => second!.ownerQuery<{ level: string }>(`SELECT level FROM alerts WHERE case_number = $1 ORDER BY seq`, [caseNumber]);
    await eventually('the red raised on start', async () => (await lights()).length === 2, 20_000);
    await second.app.get(CaseLightMonitor).scan();
    // then yellow and red, once each
    expect(await lights()).toEqual([{ level: 'yellow' }, { level: 'red' }]);
  });
});

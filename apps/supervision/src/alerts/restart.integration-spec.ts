import { STACK, eventually } from '@gov/testing';
import { Client } from 'pg';
import { AdjustableClock } from '../clock/clock';
import { type TestSupervision, deliver, newCaseNumber, orgsOf, startTestSupervision, stepEvent, tokenOf } from '../testing/test-app';
import { LightMonitor } from './light-monitor.service';

const HOUR = 3600 * 1000;

// Lights are written once and never change (seed 001 text 3 art. 22: 红灯记录不可更改; issue 10 §1 scheduling: safe
// across restarts, a transition due while the service was down fires on start, once).
describe('yellow and red across a restart', () => {
  let first: TestSupervision | undefined;
  let second: TestSupervision | undefined;
  let third: TestSupervision | undefined;

  afterAll(async () => {
    await third?.close();
    await second?.close();
    if (first) {
      const c = new Client({ host: STACK.pg.host, port: STACK.pg.port, user: process.env['PG_SUPERUSER'] ?? 'postgres', database: 'postgres' });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${first.database} WITH (FORCE)`);
      await c.end();
    }
  });

  it('raises yellow before a restart and red on the next start, each exactly once, however often it scans or restarts', async () => {
    // given a 2-working-day step opened now on a service whose clock is then moved 12 hours before the deadline
    const clock1 = new AdjustableClock();
    first = await startTestSupervision({}, { clock: clock1 });
    const group = `handler:${orgsOf(await tokenOf('handler.market'))[0]}`;
    const caseNumber = newCaseNumber();
    const stepId = `task-${caseNumber}`;
    await deliver(first, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: stepId, candidateGroups: [group], timeLimitWorkingDays: 2, openedAt: new Date().toISOString() }));
    const [{ deadline }] = await first.ownerQuery<{ deadline: Date }>(`SELECT deadline FROM steps WHERE step_id = $1`, [stepId]);
    clock1.advance(deadline.getTime() - Date.now() - 12 * HOUR);
    await first.app.get(LightMonitor).scan();
    await first.app.get(LightMonitor).scan();
    const lights = () => first!.ownerQuery<{ level: string }>(`SELECT level FROM alerts WHERE step_id = $1 ORDER BY seq`, [stepId]);
    expect(await lights()).toEqual([{ level: 'yellow' }]);

    // when the service stops, the deadline passes while it is down, and it starts again (scanning on start)
    await first.app.close();
    const clock2 = new AdjustableClock();
    clock2.advance(deadline.getTime() - Date.now() + HOUR);
    second = await startTestSupervision({ LIGHT_SCAN_ON_START: 'true' }, { reuseDatabase: first.database, clock: clock2, consumers: false });

    // then the red fires on start, once
    await eventually('the red raised on start', async () => (await lights()).length === 2, 20_000);
    await second.app.get(LightMonitor).scan();
    await second.close();
    // and a further restart and scans change nothing
    const clock3 = new AdjustableClock();
    clock3.advance(deadline.getTime() - Date.now() + 5 * HOUR);
    third = await startTestSupervision({ LIGHT_SCAN_ON_START: 'true' }, { reuseDatabase: first.database, clock: clock3, consumers: false });
    await third.app.get(LightMonitor).scan();
    expect(await lights()).toEqual([{ level: 'yellow' }, { level: 'red' }]);
    const streamed = await third.ownerQuery<{ level: string }>(`SELECT level FROM alert_stream WHERE kind = 'light' AND step_id = $1 ORDER BY seq`, [stepId]);
    expect(streamed).toEqual([{ level: 'yellow' }, { level: 'red' }]);
    const published = await third.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE type = 'gov.supervision.alert.raised' AND key = $1`, [caseNumber]);
    expect(published).toEqual([{ n: 2 }]);
  });
});

import { eventually } from '@gov/testing';
import { CaseLightMonitor } from '../alerts/case-light-monitor.service';
import { LightMonitor } from '../alerts/light-monitor.service';
import { RulesService } from '../rules/rules.service';
import { type TestSupervision, startTestSupervision } from '../testing/test-app';
import { DEMO_CASES, DEMO_DC_MARKET, DEMO_MARKET } from './demo-data';
import { SeedService } from './seed.service';

// The supervision demo (issue 10 round three): what `npm run stack:up` shows — lights, anomalies and statistics —
// comes from the demo cases' events going through supervision's own consumers, scans and statistics.
describe('supervision demo seed', () => {
  let t: TestSupervision;
  let seeded: TestSupervision | undefined;
  beforeAll(async () => {
    t = await startTestSupervision();
  });
  afterAll(async () => {
    await seeded?.close();
    await t?.close();
  });

  it('seeds on start with DEMO_SEED, once per database', async () => {
    // given a service started with DEMO_SEED
    seeded = await startTestSupervision({ DEMO_SEED: 'true' }, { consumers: false });
    // when it is asked to seed again
    const again = await seeded.app.get(SeedService).run();
    // then nothing more is written: the start seeded it
    expect(again).toEqual({ written: 0 });
  });

  it('shows step and case lights, every kind of anomaly and statistics for the demo bureaus', async () => {
    // given the demo events written (and relayed through Kafka to the service's own consumers, which are listening)
    expect((await t.app.get(SeedService).run()).written).toBeGreaterThan(10);
    await eventually('the demo cases consumed', async () => (await t.ownerQuery(`SELECT 1 FROM case_facts WHERE type = 'gov.intake.consultation.overdue' OR case_number = $1`, [DEMO_CASES.suspended])).length > 0, 60_000);
    await eventually('every demo case consumed', async () => (await t.ownerQuery(`SELECT 1 FROM cases WHERE case_number LIKE 'DEMOSUP-%'`)).length === 5, 60_000);
    // when the scans run (until every demo event has arrived)
    const redsOfOverdue = () => t.ownerQuery<{ step_id: string }>(`SELECT step_id FROM alerts WHERE case_number = $1 AND level = 'red' ORDER BY step_id`, [DEMO_CASES.overdue]);
    await eventually(
      'the overdue case red on its step and both limits',
      async () => {
        await t.app.get(LightMonitor).scan();
        await t.app.get(CaseLightMonitor).scan();
        await t.app.get(RulesService).scanDeadlines();
        return (await redsOfOverdue()).length === 3;
      },
      30_000,
    );
    // then reds on the overdue case's step and on both its limits
    expect((await redsOfOverdue()).map((l) => l.step_id)).toEqual([`case:promised:${DEMO_CASES.overdue}`, `case:statutory:${DEMO_CASES.overdue}`, `demo-${DEMO_CASES.overdue}-HandlerReview`]);
    // and reds at the county bureau too: the step closed late and the decision after the statutory limit
    // (its step's closing and its decision may arrive after the overdue case's reds, so the scans run again)
    await eventually(
      'the county case red',
      async () => {
        await t.app.get(LightMonitor).scan();
        await t.app.get(CaseLightMonitor).scan();
        return (await t.ownerQuery(`SELECT 1 FROM alerts WHERE case_number = $1 AND level = 'red'`, [DEMO_CASES.outsider])).length === 2;
      },
      30_000,
    );
    // and the anomalies
    await eventually(
      'the anomalies',
      async () => {
        await t.app.get(RulesService).scanDeadlines();
        return (await t.ownerQuery(`SELECT DISTINCT rule FROM alert_stream WHERE kind = 'anomaly' AND (case_number LIKE 'DEMOSUP-%' OR rule = 'consultation-overdue')`)).length >= 7;
      },
      20_000,
    );
    const rules = await t.ownerQuery<{ rule: string }>(`SELECT DISTINCT rule FROM alert_stream WHERE kind = 'anomaly' AND (case_number LIKE 'DEMOSUP-%' OR rule = 'consultation-overdue') ORDER BY rule`);
    expect(rules.map((r) => r.rule)).toEqual(['consultation-overdue', 'decision-unpublished', 'deferred-materials-missed', 'fee-mismatch', 'suspension-still-open', 'too-many-returns', 'unauthorised-action']);
    // and figures for both bureaus
    const rollups = await t.ownerQuery<{ dim_key: string; accepted: number; returns: number }>(`SELECT dim_key, accepted, returns FROM stats_rollups WHERE dim = 'department' AND period = 'year' ORDER BY dim_key`);
    expect(rollups).toEqual(expect.arrayContaining([expect.objectContaining({ dim_key: DEMO_MARKET, accepted: 3, returns: 3 }), expect.objectContaining({ dim_key: DEMO_DC_MARKET, accepted: 2 })]));
  });
});

import { AdjustableClock } from '../clock/clock';
import { MARKET } from '../testing/supstats-fixtures';
import { type TestSupervision, http, startTestSupervision, tokenOf } from '../testing/test-app';
import { ComplaintEscalations } from './complaint-escalations.service';
import type { ComplaintDetail, FiledComplaint } from './complaints.service';

const DAY = 24 * 3600 * 1000;

// Seed 004 art. 12 (the office handles complaints) with the stage deadlines of complaint-flow.ts (issue 10 §6 round
// three): a stage left past its deadline is escalated once, an escalation record and an alert.
describe('complaint stage deadlines', () => {
  let t: TestSupervision;
  let clock: AdjustableClock;
  let supervisor: string;

  beforeAll(async () => {
    clock = new AdjustableClock();
    t = await startTestSupervision({}, { clock, consumers: false });
    supervisor = await tokenOf('supervisor');
  });
  afterAll(async () => {
    await t?.close();
  });

  const file = async () => (await http<FiledComplaint>(`${t.url}/complaints`, { body: { subjectKind: 'department', departmentCode: MARKET, content: '窗口多次推诿，不予答复。', contact: '13800000000' } })).body;
  const scan = () => t.app.get(ComplaintEscalations).scan();
  const escalations = (id: string) => t.ownerQuery<{ stage: string }>(`SELECT stage FROM complaint_escalations WHERE complaint_id = $1 ORDER BY escalated_at`, [id]);
  const alerts = (id: string) => t.ownerQuery<{ rule: string; level: string; org_code: string; stage: string }>(`SELECT rule, level, org_code, evidence->>'stage' AS stage FROM alert_stream WHERE kind = 'escalation' AND evidence->>'complaintId' = $1 ORDER BY seq`, [id]);

  it('escalates a complaint left registered past its 2 working days, once however often it scans (seed 004 art. 12)', async () => {
    // given a complaint filed now and not assigned
    const filed = await file();
    await scan();
    const early = await escalations(filed.id);
    // when its stage deadline passes and the office scans twice
    clock.advance(new Date(filed.stageDeadline!).getTime() - clock.now().getTime() + 3600 * 1000);
    await scan();
    await scan();
    // then one escalation record and one alert to the complained-about department
    expect(early).toEqual([]);
    expect(await escalations(filed.id)).toEqual([{ stage: 'registered' }]);
    expect(await alerts(filed.id)).toEqual([{ rule: 'complaint.stage-overdue', level: 'complaint-overdue', org_code: MARKET, stage: 'registered' }]);
    const detail = await http<ComplaintDetail>(`${t.url}/complaints/${filed.id}`, { token: supervisor });
    expect(detail.body.escalations).toEqual([expect.objectContaining({ stage: 'registered', deadline: filed.stageDeadline })]);
  });

  it('escalates nothing for a complaint moved on within its deadline, and the next stage on its own deadline', async () => {
    // given a complaint assigned the day it was filed
    const filed = await file();
    const assigned = await http<ComplaintDetail>(`${t.url}/complaints/${filed.id}/assign`, { body: { assignee: '监察室赵监察' }, token: supervisor });
    expect(assigned.status).toBe(200);
    // when the first stage's deadline passes
    clock.advance(new Date(filed.stageDeadline!).getTime() - clock.now().getTime() + 3600 * 1000);
    await scan();
    const afterFirst = await escalations(filed.id);
    // and then the assigned stage's own 3 working days
    clock.advance(new Date(assigned.body.stageDeadline!).getTime() - clock.now().getTime() + DAY);
    await scan();
    // then nothing for the stage left in time, one for the stage left late
    expect(afterFirst).toEqual([]);
    expect(await escalations(filed.id)).toEqual([{ stage: 'assigned' }]);
  });
});

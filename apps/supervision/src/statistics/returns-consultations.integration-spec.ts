import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { type EventData, type EventType, makeEvent } from '@gov/contracts';
import { DC_MARKET, acceptedData, deliverTo } from '../testing/supstats-fixtures';
import { type TestSupervision, deliverAny, http, newCaseNumber, startTestSupervision, tokenOf } from '../testing/test-app';
import type { StatisticsLine } from './statistics-export';

// Issue 10 round three: returns (退回), suspensions (暂停计算) and consultations (咨询) in the statistics read models
// (seed 002 §3: 横向/纵向 comparison per department, section, officer and region), and an overdue consultation as an alert.
const deliver = <T extends EventType>(t: TestSupervision, type: T, subject: string, data: EventData<T>, id?: string) => deliverTo(t, 'supervision.statistics', type, subject, data, id);

describe('returns, suspensions and consultations in the statistics', () => {
  let t: TestSupervision;
  let supervisor: string;
  const a = newCaseNumber();
  const b = newCaseNumber();
  const consultation = (id: string) => ({ consultationId: id, matterCode: 'DEMO-SCJG-001', departmentCode: DC_MARKET, tenantId: '449901', caseNumber: null, askedAt: '2026-12-01T02:00:00.000Z', dueAt: '2026-12-04T09:59:59.999Z' });
  const overdueId = randomUUID();

  beforeAll(async () => {
    t = await startTestSupervision();
    supervisor = await tokenOf('supervisor');
    // given two cases at 东城区's market bureau accepted on Tuesday 1 December 2026
    await deliver(t, 'gov.intake.application.accepted', a, acceptedData(a, DC_MARKET, '2026-12-01T02:00:00.000Z'));
    await deliver(t, 'gov.intake.application.accepted', b, acceptedData(b, DC_MARKET, '2026-12-01T02:00:00.000Z'));
    // case a returned twice by officer wang (one redelivered), case b suspended once
    const returnId = randomUUID();
    const returned = (at: string) => ({ caseNumber: a, stepId: null, by: 'officer-wang', reason: '材料需补正', returnedAt: at });
    await deliver(t, 'gov.approval.case.returned', a, returned('2026-12-02T02:00:00.000Z'), returnId);
    await deliver(t, 'gov.approval.case.returned', a, returned('2026-12-02T02:00:00.000Z'), returnId);
    await deliver(t, 'gov.approval.case.returned', a, returned('2026-12-03T02:00:00.000Z'));
    await deliver(t, 'gov.approval.step.suspended', b, { caseNumber: b, suspensionId: `s-${b}`, stepId: null, reason: '检验检测', statedWorkingDays: 5, suspendedAt: '2026-12-02T02:00:00.000Z' });
    // two consultations asked of the bureau, one of them overdue
    await deliver(t, 'gov.intake.consultation.asked', 'consultation', { ...consultation(randomUUID()), asker: 'applicant' });
    await deliver(t, 'gov.intake.consultation.asked', 'consultation', { ...consultation(overdueId), asker: 'anonymous' });
    await deliver(t, 'gov.intake.consultation.overdue', 'consultation', { ...consultation(overdueId), overdueAt: '2026-12-04T10:00:00.000Z' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const horizontal = (dimension: string) => http<StatisticsLine[]>(`${t.url}/statistics/horizontal?dimension=${dimension}&period=month&key=2026-12`, { token: supervisor });

  it('counts returns, suspensions and consultations for the department and its county in the month, each event once', async () => {
    const dept = await horizontal('department');
    const county = await horizontal('county');
    expect(dept.status).toBe(200);
    expect(dept.body.find((l) => l.key === DC_MARKET)).toMatchObject({ accepted: 2, returns: 2, suspensions: 1, consultations: 2, consultationsOverdue: 1 });
    expect(county.body.find((l) => l.key === '449901')).toMatchObject({ returns: 2, suspensions: 1, consultations: 2, consultationsOverdue: 1 });
  });

  it('attributes a return to the officer who made it', async () => {
    const officers = await horizontal('officer');
    expect(officers.body.find((l) => l.key === 'officer-wang')).toMatchObject({ returns: 2, suspensions: 0 });
  });

  it('exports the new counts in the CSV', async () => {
    const res = await fetch(`${t.url}/statistics/horizontal?dimension=department&period=month&key=2026-12&format=csv`, { headers: { authorization: `Bearer ${supervisor}` } });
    const rows = parse<Record<string, string>>(Buffer.from(await res.arrayBuffer()), { bom: true, columns: true });
    const row = rows.find((r) => r['对象 key'] === DC_MARKET);
    expect(row).toMatchObject({ '退回 returns': '2', '暂停 suspensions': '1', '咨询 consultations': '2', '咨询逾期 consultationsOverdue': '1', '案件红灯 caseReds': '0' });
  });

  it('raises one alert for an overdue consultation to its department, however often the event arrives', async () => {
    // when the overdue event reaches the alert consumer twice (same event id)
    const event = makeEvent({ type: 'gov.intake.consultation.overdue', source: '/intake', subject: 'consultation', data: { ...consultation(overdueId), overdueAt: '2026-12-04T10:00:00.000Z' } });
    await deliverAny(t, event, 'intake.consultation.v1');
    await deliverAny(t, event, 'intake.consultation.v1');
    // then
    const alerts = await t.ownerQuery<{ rule: string; org_code: string }>(`SELECT rule, org_code FROM alert_stream WHERE rule = 'consultation-overdue' AND evidence->>'consultationId' = $1`, [overdueId]);
    expect(alerts).toEqual([{ rule: 'consultation-overdue', org_code: DC_MARKET }]);
  });

  it('counts nothing for a consultation answered in time beyond its asking', async () => {
    await deliver(t, 'gov.intake.consultation.answered', 'consultation', { ...consultation(randomUUID()), answeredAt: '2026-12-02T02:00:00.000Z', answeredBy: 'u-answer', late: false, public: true });
    const dept = await horizontal('department');
    expect(dept.body.find((l) => l.key === DC_MARKET)).toMatchObject({ consultations: 2, consultationsOverdue: 1 });
  });
});

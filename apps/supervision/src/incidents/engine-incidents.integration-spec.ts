import { randomUUID } from 'node:crypto';
import type { EventData } from '@gov/contracts';
import { MARKET } from '../testing/supstats-fixtures';
import { type TestSupervision, accepted, anEvent, deliverAny, newCaseNumber, startTestSupervision } from '../testing/test-app';

// Issue 9 §5: "A failure raises an incident, which supervision sees." Approval's incident watcher publishes
// gov.approval.incident.raised / .resolved (apps/approval/src/incidents, tested there against the engine); here they
// reach supervision's real inbox consumer as Kafka would hand them, and become an anomaly (rule engine-incident) to the
// case's department, once per incident id whoever reported it, closed when the incident is resolved.
describe('engine incidents in the alert stream (rule engine-incident)', () => {
  let t: TestSupervision;

  beforeAll(async () => {
    t = await startTestSupervision();
  });
  afterAll(async () => {
    await t?.close();
  });

  const incident = (caseNumber: string | null, incidentId = randomUUID()): EventData<'gov.approval.incident.raised'> => ({
    incidentId,
    incidentType: 'failedExternalTask',
    activityId: 'IssueDecision',
    processInstanceId: `pi-${incidentId}`,
    processDefinitionId: 'notification-commitment:3:abc',
    caseNumber,
    tenantId: '449900',
    message: 'document service unavailable',
    incidentAt: new Date().toISOString(),
    detectedAt: new Date().toISOString(),
  });
  const raised = (d: EventData<'gov.approval.incident.raised'>) => anEvent('gov.approval.incident.raised', d, d.caseNumber ?? `incident:${d.incidentId}`);
  const resolved = (d: EventData<'gov.approval.incident.raised'>, resolution: 'resolved' | 'deleted' = 'resolved') => {
    const { detectedAt: _detected, ...rest } = d;
    return anEvent('gov.approval.incident.resolved', { ...rest, resolution, resolvedAt: new Date().toISOString() }, d.caseNumber ?? `incident:${d.incidentId}`);
  };
  const entries = (incidentId: string) =>
    t.ownerQuery<{ id: string; level: string; rule: string; case_number: string | null; org_code: string | null; evidence: Record<string, unknown> }>(
      `SELECT id, level, rule, case_number, org_code, evidence FROM alert_stream WHERE rule = 'engine-incident' AND evidence->>'incidentId' = $1 ORDER BY seq`,
      [incidentId],
    );

  it("raises an anomaly to the case's department once per incident, though two approvals report it", async () => {
    // given a case supervision knows
    const caseNumber = newCaseNumber();
    await deliverAny(t, accepted(caseNumber, { departmentCode: MARKET }));
    const d = incident(caseNumber);
    // when two approvals watching the same engine each report the incident (two events, one incident id)
    await deliverAny(t, raised(d), 'approval.case.v1');
    await deliverAny(t, raised(d), 'approval.case.v1');
    // then one anomaly, with the incident as evidence, to the department
    expect(await entries(d.incidentId)).toEqual([
      expect.objectContaining({
        level: 'warning',
        case_number: caseNumber,
        org_code: MARKET,
        evidence: expect.objectContaining({ incidentType: 'failedExternalTask', activityId: 'IssueDecision', message: 'document service unavailable', triggeredBy: expect.objectContaining({ type: 'gov.approval.incident.raised' }) }),
      }),
    ]);
  });

  it('closes the anomaly once when the incident is resolved', async () => {
    // given a raised incident
    const caseNumber = newCaseNumber();
    await deliverAny(t, accepted(caseNumber, { departmentCode: MARKET }));
    const d = incident(caseNumber);
    await deliverAny(t, raised(d), 'approval.case.v1');
    const [opened] = await entries(d.incidentId);
    // when it is reported resolved, twice
    await deliverAny(t, resolved(d), 'approval.case.v1');
    await deliverAny(t, resolved(d), 'approval.case.v1');
    // then one closing entry naming the alert it closes, to the same department
    const all = await entries(d.incidentId);
    expect(all).toHaveLength(2);
    expect(all[1]).toEqual(expect.objectContaining({ level: 'resolved', case_number: caseNumber, org_code: MARKET, evidence: expect.objectContaining({ closes: opened.id, resolution: 'resolved' }) }));
  });

  it('raises an incident without a case number platform-wide, and closes nothing that was never raised', async () => {
    // given an incident of a process whose business key is no case number, and a resolution of an unknown incident
    const uncased = incident('maintenance-job');
    const unknown = incident(newCaseNumber());
    // when both arrive
    await deliverAny(t, raised(uncased), 'approval.case.v1');
    await deliverAny(t, resolved(unknown, 'deleted'), 'approval.case.v1');
    // then
    expect(await entries(uncased.incidentId)).toEqual([expect.objectContaining({ level: 'warning', case_number: null, org_code: null, evidence: expect.objectContaining({ businessKey: 'maintenance-job' }) })]);
    expect(await entries(unknown.incidentId)).toEqual([]);
  });
});

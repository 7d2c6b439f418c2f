import { randomUUID } from 'node:crypto';
import { type EventData, makeEvent } from '@gov/contracts';
import { AdjustableClock } from '../clock/clock';
import { toEvent } from '../ingestion/record-to-event';
import { MARKET } from '../testing/supstats-fixtures';
import { type TestSupervision, accepted, anEvent, deliver, deliverAny, http, newCaseNumber, startTestSupervision, stepEvent, tokenOf } from '../testing/test-app';
import { RulesService } from './rules.service';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

// Round three's anomaly rules (issue 10 §3): an unauthorised action (seed 004 art. 27 (二) 越权操作) and four deadline
// rules raised by the time scan: 容缺/告知承诺 materials missed (seed 003), a case handled outside the platform (seed 002
// 实时监控), a decision never published (seed 001 text 3 art. 21), a suspension running past its stated duration.
describe('round three anomaly rules', () => {
  let t: TestSupervision;
  let clock: AdjustableClock;
  let supervisor: string;
  const group = `handler:${MARKET}`;

  beforeAll(async () => {
    clock = new AdjustableClock();
    t = await startTestSupervision({}, { clock });
    supervisor = await tokenOf('supervisor');
  });
  afterAll(async () => {
    await t?.close();
  });

  const anomalies = (caseNumber: string) =>
    t.ownerQuery<{ rule: string; rule_version: number; evidence: Record<string, unknown>; org_code: string | null; officer: string | null }>(
      `SELECT rule, rule_version, evidence, org_code, officer FROM alert_stream WHERE kind = 'anomaly' AND case_number = $1 ORDER BY seq`,
      [caseNumber],
    );
  const newCase = async (over: Parameters<typeof accepted>[1] = {}) => {
    const caseNumber = newCaseNumber();
    await deliverAny(t, accepted(caseNumber, { departmentCode: MARKET, acceptedAt: clock.now().toISOString(), ...over }));
    return caseNumber;
  };
  const scan = () => t.app.get(RulesService).scanDeadlines();
  const later = (ms: number) => clock.advance(ms);

  describe('unauthorised-action (seed 004 art. 27 (二))', () => {
    const complete = (caseNumber: string, actorGroups?: string[]) =>
      deliver(t, stepEvent('gov.approval.step.completed', { businessKey: caseNumber, taskId: `t-${caseNumber}`, candidateGroups: [group], assignee: 'u-someone', completedAt: clock.now().toISOString(), ...(actorGroups ? { actorGroups } : {}) }));

    it('raises an anomaly for a step completed by an officer of another organisation', async () => {
      const caseNumber = await newCase();
      await complete(caseNumber, ['handler:OTHERORG0000000001']);
      expect(await anomalies(caseNumber)).toEqual([
        expect.objectContaining({ rule: 'unauthorised-action', rule_version: 1, officer: 'u-someone', org_code: MARKET, evidence: expect.objectContaining({ kind: 'organisation', actorGroups: ['handler:OTHERORG0000000001'] }) }),
      ]);
    });
    it('raises an anomaly for a step completed in the organisation by someone without the role', async () => {
      const caseNumber = await newCase();
      await complete(caseNumber, [`window_clerk:${MARKET}`]);
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'unauthorised-action', evidence: expect.objectContaining({ kind: 'role', missingRoles: ['handler'] }) })]);
    });
    it('raises nothing for an officer holding one of the candidate groups, or when the event does not say who acted', async () => {
      const a = await newCase();
      const b = await newCase();
      await complete(a, [`handler:${MARKET}`, `chief:${MARKET}`]);
      await complete(b);
      expect(await anomalies(a)).toEqual([]);
      expect(await anomalies(b)).toEqual([]);
    });
    it('raises an anomaly for a return by an officer outside the step', async () => {
      const caseNumber = await newCase();
      await deliverAny(t, anEvent('gov.approval.case.returned', { caseNumber, stepId: null, by: 'u-other', reason: '材料不全', returnedAt: clock.now().toISOString(), actorGroups: ['leader:OTHERORG0000000001'], candidateGroups: [group] }, caseNumber));
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'unauthorised-action', officer: 'u-other', evidence: expect.objectContaining({ kind: 'organisation', event: 'gov.approval.case.returned' }) })]);
    });

    const refusal = (caseNumber: string, category: EventData<'gov.platform.security.recorded'>['category']) =>
      makeEvent({
        type: 'gov.platform.security.recorded',
        source: '/approval',
        subject: 'approval',
        data: { service: 'approval', category, action: 'authz.denied', outcome: 'refused', actor: 'u-nosy', actorLabel: '某人', target: `/cases/${caseNumber}/opinions`, ip: '10.0.0.9', details: { code: 'Forbidden', status: 403, method: 'POST', reason: 'not your organisation' }, at: clock.now().toISOString() },
      });
    it('raises an anomaly for a request about a case an officer was refused (403)', async () => {
      const caseNumber = await newCase();
      await deliverAny(t, refusal(caseNumber, 'authorisation-refusal'), 'platform.audit.v1');
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'unauthorised-action', officer: 'u-nosy', evidence: expect.objectContaining({ kind: 'refused', service: 'approval', target: `/cases/${caseNumber}/opinions` }) })]);
    });
    it('raises nothing for an authentication failure about a case', async () => {
      const caseNumber = await newCase();
      await deliverAny(t, refusal(caseNumber, 'authentication-failure'), 'platform.audit.v1');
      expect(await anomalies(caseNumber)).toEqual([]);
    });
  });

  describe('deferred-materials-missed (seed 003 告知承诺制, 容缺受理)', () => {
    const withMissing = (deadline: Date) => {
      const caseNumber = newCaseNumber();
      return {
        caseNumber,
        event: anEvent(
          'gov.intake.application.accepted-with-missing',
          {
            ...accepted(caseNumber, { departmentCode: MARKET, acceptedAt: clock.now().toISOString() }).data,
            missing: [{ key: 'lease', name: '租赁合同' }],
            deferredDeadline: deadline.toISOString(),
            commitment: { signedBy: '张三', signedAt: clock.now().toISOString(), text: '本人承诺在期限内补齐材料' },
          },
          caseNumber,
        ),
      };
    };
    it('raises an anomaly once when the deadline and its grace pass with no materials and no termination', async () => {
      // given a 容缺 acceptance due in 2 days, and the case's clock started from it
      const { caseNumber, event } = withMissing(new Date(clock.now().getTime() + 2 * DAY));
      await deliverAny(t, event);
      await scan();
      const before = await anomalies(caseNumber);
      // when the deadline and the 24-hour grace pass, scanned twice
      later(3 * DAY + HOUR);
      await scan();
      await scan();
      // then
      expect(before).toEqual([]);
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'deferred-materials-missed', org_code: MARKET, evidence: expect.objectContaining({ missing: [{ key: 'lease', name: '租赁合同' }], graceHours: 24 }) })]);
      expect(await t.ownerQuery(`SELECT 1 FROM cases WHERE case_number = $1`, [caseNumber])).toHaveLength(1);
    });
    it('raises nothing when the materials arrive complete, or the case is terminated, in time', async () => {
      const a = withMissing(new Date(clock.now().getTime() + 2 * DAY));
      const b = withMissing(new Date(clock.now().getTime() + 2 * DAY));
      await deliverAny(t, a.event);
      await deliverAny(t, b.event);
      const ref = (c: string) => ({ caseNumber: c, applicationId: randomUUID(), matterCode: 'DEMO-001', departmentCode: MARKET, tenantId: '449900' });
      await deliverAny(t, anEvent('gov.intake.application.deferred-materials-received', { ...ref(a.caseNumber), materials: [{ key: 'lease', name: '租赁合同' }], complete: true, receivedAt: clock.now().toISOString() }, a.caseNumber));
      await deliverAny(t, anEvent('gov.intake.application.terminated', { ...ref(b.caseNumber), reason: '未按期补齐', missing: [{ key: 'lease', name: '租赁合同' }], terminatedAt: clock.now().toISOString() }, b.caseNumber));
      later(3 * DAY + HOUR);
      await scan();
      expect(await anomalies(a.caseNumber)).toEqual([]);
      expect(await anomalies(b.caseNumber)).toEqual([]);
    });
  });

  describe('ingested-without-application (seed 002 实时监控)', () => {
    const ingested = (caseNumber: string) =>
      toEvent('market-approval-v3', {
        kind: 'case.accepted',
        recordId: `r-${caseNumber}`,
        caseNumber,
        departmentCode: MARKET,
        occurredAt: clock.now().toISOString(),
        matterCode: 'DEMO-001',
        matterName: '演示事项',
        applicant: { kind: 'person', id: '110105194912310021', name: '张三' },
        statutoryLimitWorkingDays: 20,
      });
    it("raises an anomaly for a case a department's own system reported, never accepted on the platform within 72 hours", async () => {
      const caseNumber = newCaseNumber();
      await deliverAny(t, ingested(caseNumber));
      later(73 * HOUR);
      await scan();
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'ingested-without-application', org_code: MARKET, evidence: expect.objectContaining({ system: 'market-approval-v3', matterCode: 'DEMO-001' }) })]);
    });
    it('raises nothing when the platform accepted the case, before or after the record arrived', async () => {
      const before = newCaseNumber();
      const after = newCaseNumber();
      await deliverAny(t, accepted(before, { departmentCode: MARKET, matterCode: 'DEMO-001', acceptedAt: clock.now().toISOString() }));
      await deliverAny(t, ingested(before));
      await deliverAny(t, ingested(after));
      await deliverAny(t, accepted(after, { departmentCode: MARKET, matterCode: 'DEMO-001', acceptedAt: clock.now().toISOString() }));
      later(73 * HOUR);
      await scan();
      expect(await anomalies(before)).toEqual([]);
      expect(await anomalies(after)).toEqual([]);
    });
  });

  describe('decision-unpublished (seed 001 text 3 art. 21)', () => {
    const decide = (caseNumber: string) =>
      deliverAny(t, anEvent('gov.approval.case.decided', { caseNumber, processInstanceId: `pi-${caseNumber}`, decision: 'approved', documentNumber: `D-${caseNumber}`, decidedAt: clock.now().toISOString() }, caseNumber));
    it('raises an anomaly for a decision still unpublished 5 working days after it was issued', async () => {
      const caseNumber = await newCase();
      await decide(caseNumber);
      later(3 * DAY);
      await scan();
      const early = await anomalies(caseNumber);
      later(8 * DAY);
      await scan();
      expect(early).toEqual([]);
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'decision-unpublished', org_code: MARKET, evidence: expect.objectContaining({ maxWorkingDays: 5, documentNumber: `D-${caseNumber}` }) })]);
    });
    it('raises nothing for a filing receipt or a revocation, which art. 21 does not publish', async () => {
      const filed = await newCase();
      const revoked = await newCase();
      await deliverAny(t, anEvent('gov.approval.case.decided', { caseNumber: filed, processInstanceId: `pi-${filed}`, decision: 'filed', documentNumber: `F-${filed}`, decidedAt: clock.now().toISOString() }, filed));
      await deliverAny(t, anEvent('gov.approval.case.decided', { caseNumber: revoked, processInstanceId: `pi-${revoked}`, decision: 'revoked', documentNumber: `R-${revoked}`, decidedAt: clock.now().toISOString(), revokesDocumentNumber: `D-${revoked}` }, revoked));
      later(11 * DAY);
      await scan();
      expect(await anomalies(filed)).toEqual([]);
      expect(await anomalies(revoked)).toEqual([]);
    });
    it('raises nothing for a decision published in time', async () => {
      const caseNumber = await newCase();
      await decide(caseNumber);
      await deliverAny(t, anEvent('gov.approval.decision.published', { caseNumber, documentNumber: `D-${caseNumber}`, publishedAt: new Date(clock.now().getTime() + DAY).toISOString() }, caseNumber));
      later(11 * DAY);
      await scan();
      expect(await anomalies(caseNumber)).toEqual([]);
    });
    it("is met by intake's public feed (gov.intake.publicity.published), and a publication after the law's deadline is publicity-late", async () => {
      // given two decided cases
      const inTime = await newCase();
      const late = await newCase();
      await decide(inTime);
      await decide(late);
      const published = (caseNumber: string, publishedAt: Date, dueBy: Date) =>
        deliverAny(
          t,
          anEvent(
            'gov.intake.publicity.published',
            { caseNumber, matterCode: 'DEMO-001', departmentCode: MARKET, publicityCase: 'approved', decision: 'approved', documentNumber: `D-${caseNumber}`, decidedAt: clock.now().toISOString(), countsFrom: clock.now().toISOString(), dueBy: dueBy.toISOString(), publishedAt: publishedAt.toISOString() },
            caseNumber,
          ),
        );
      // when intake publishes one the next day and the other after its deadline
      await published(inTime, new Date(clock.now().getTime() + DAY), new Date(clock.now().getTime() + 5 * DAY));
      await published(late, new Date(clock.now().getTime() + 6 * DAY), new Date(clock.now().getTime() + 5 * DAY));
      later(11 * DAY);
      await scan();
      // then no decision-unpublished for either (both were published), and publicity-late for the late one
      expect(await anomalies(inTime)).toEqual([]);
      expect(await anomalies(late)).toEqual([expect.objectContaining({ rule: 'publicity-late', evidence: expect.objectContaining({ publicityCase: 'approved', documentNumber: `D-${late}` }) })]);
    });
    it("follows the bureau's setting: a bureau that disabled the rule gets no anomaly", async () => {
      const bureau = 'NOPUBLICITY0000001';
      const put = await http(`${t.url}/anomaly-rules/decision-unpublished/settings/${bureau}`, { method: 'PUT', token: supervisor, body: { enabled: false } });
      const caseNumber = await newCase({ departmentCode: bureau });
      await decide(caseNumber);
      later(11 * DAY);
      await scan();
      expect(put.status).toBe(200);
      expect(await anomalies(caseNumber)).toEqual([]);
    });
  });

  describe('suspension-still-open', () => {
    const suspend = (caseNumber: string) =>
      deliverAny(t, anEvent('gov.approval.step.suspended', { caseNumber, suspensionId: `s-${caseNumber}`, stepId: null, reason: '现场勘验', statedWorkingDays: 2, suspendedAt: clock.now().toISOString() }, caseNumber));
    it('raises an anomaly while a suspension runs past the working days stated for it', async () => {
      const caseNumber = await newCase();
      await suspend(caseNumber);
      later(6 * DAY);
      await scan();
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'suspension-still-open', evidence: expect.objectContaining({ suspensionId: `s-${caseNumber}`, statedWorkingDays: 2, reason: '现场勘验' }) })]);
    });
    it('raises nothing for a suspension that ended within its stated duration', async () => {
      const caseNumber = await newCase();
      await suspend(caseNumber);
      await deliverAny(t, anEvent('gov.approval.step.resumed', { caseNumber, suspensionId: `s-${caseNumber}`, resumedAt: new Date(clock.now().getTime() + HOUR).toISOString() }, caseNumber));
      later(6 * DAY);
      await scan();
      expect(await anomalies(caseNumber)).toEqual([]);
    });
  });

  it('lists the deadline rules with the event rules, with what starts and what meets their watch', async () => {
    const res = await http<{ name: string; kind: string; meets?: string[] }[]>(`${t.url}/anomaly-rules`, { token: supervisor });
    expect(res.status).toBe(200);
    expect(res.body.map((r) => `${r.kind}:${r.name}`)).toEqual(
      expect.arrayContaining(['event:unauthorised-action', 'deadline:deferred-materials-missed', 'deadline:ingested-without-application', 'deadline:decision-unpublished', 'deadline:suspension-still-open']),
    );
    expect(res.body.find((r) => r.name === 'decision-unpublished')?.meets).toEqual(['gov.intake.publicity.published', 'gov.approval.decision.published']);
  });
});

import { SupervisionErrors } from '../errors';
import { type TestSupervision, accepted, anEvent, deliver, deliverAny, http, newCaseNumber, orgsOf, startTestSupervision, stepEvent, tokenOf } from '../testing/test-app';

// The anomaly rules (异常预警, issue 10 §3; seed 001 text 10 异常预警, seed 004 art. 27): each raises an anomaly alert
// with its evidence exactly when its condition holds, and nothing otherwise.
describe('anomaly rules', () => {
  let t: TestSupervision;
  let supervisor: string;
  let dept: string;
  let group: string;

  beforeAll(async () => {
    t = await startTestSupervision();
    supervisor = await tokenOf('supervisor');
    dept = orgsOf(await tokenOf('leader.market'))[0];
    group = `handler:${orgsOf(await tokenOf('handler.market'))[0]}`;
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
    await deliverAny(t, accepted(caseNumber, { departmentCode: dept, ...over }));
    return caseNumber;
  };
  const decide = (caseNumber: string, decidedAt = new Date().toISOString()) =>
    deliverAny(t, anEvent('gov.approval.case.decided', { caseNumber, processInstanceId: `pi-${caseNumber}`, decision: 'approved', documentNumber: '示市监准字〔2026〕1号', decidedAt }, caseNumber));
  const completed = (caseNumber: string, key: string, assignee: string) =>
    deliver(t, stepEvent('gov.approval.step.completed', { businessKey: caseNumber, taskId: `${key}-${caseNumber}`, taskDefinitionKey: key, candidateGroups: [group], assignee, completedAt: new Date().toISOString() }));

  describe('joint-review-incomplete', () => {
    const review = async (caseNumber: string, answered: string[]) => {
      await deliverAny(t, anEvent('gov.approval.joint-review.requested', { caseNumber, reviewId: 'r1', departments: ['HOUSING', 'ECOLOGY'], requestedAt: new Date().toISOString() }, caseNumber));
      for (const d of answered) await deliverAny(t, anEvent('gov.approval.joint-review.opinion-recorded', { caseNumber, reviewId: 'r1', departmentCode: d, opinion: 'agree', recordedAt: new Date().toISOString() }, caseNumber));
    };
    it('raises an anomaly for a decision issued while a department asked in the joint review has not answered', async () => {
      const caseNumber = await newCase();
      await review(caseNumber, ['HOUSING']);
      await decide(caseNumber);
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'joint-review-incomplete', rule_version: 1, org_code: dept, evidence: expect.objectContaining({ missingOpinions: ['ECOLOGY'] }) })]);
    });
    it('raises nothing when every opinion is in before the decision', async () => {
      const caseNumber = await newCase();
      await review(caseNumber, ['HOUSING', 'ECOLOGY']);
      await decide(caseNumber);
      expect(await anomalies(caseNumber)).toEqual([]);
    });
  });

  describe('step-skipped', () => {
    // a bureau of its own, so the setting does not reach the other rules' cases
    const strict = 'STRICTBUREAU000001';
    beforeAll(async () => {
      // the bureau requires the chief's review in the skeleton process
      const res = await http(`${t.url}/anomaly-rules/step-skipped/settings/${strict}`, { method: 'PUT', token: supervisor, body: { params: { requiredSteps: { 'skeleton-approval': ['HandlerReview', 'ChiefReview'] } } } });
      expect(res.status).toBe(200);
    });
    it('raises an anomaly for a decision without the required chief review', async () => {
      const caseNumber = await newCase({ departmentCode: strict });
      await completed(caseNumber, 'HandlerReview', 'u-handler');
      await decide(caseNumber);
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'step-skipped', evidence: expect.objectContaining({ skippedSteps: ['ChiefReview'] }) })]);
    });
    it('raises nothing when every required step was completed', async () => {
      const caseNumber = await newCase({ departmentCode: strict });
      await completed(caseNumber, 'HandlerReview', 'u-handler');
      await completed(caseNumber, 'ChiefReview', 'u-chief');
      await decide(caseNumber);
      expect(await anomalies(caseNumber)).toEqual([]);
    });
  });

  describe('acceptance-late', () => {
    it('raises an anomaly for an acceptance 6 working days after submission', async () => {
      // Monday 11-02 → Tuesday 11-10 is 6 working days
      const caseNumber = await newCase({ submittedAt: '2026-11-02T10:00:00+08:00', acceptedAt: '2026-11-10T10:00:00+08:00' });
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'acceptance-late', evidence: expect.objectContaining({ workingDays: 6, maxWorkingDays: 5 }) })]);
    });
    it('raises nothing for an acceptance on the 5th working day', async () => {
      const caseNumber = await newCase({ submittedAt: '2026-11-02T10:00:00+08:00', acceptedAt: '2026-11-09T10:00:00+08:00' });
      expect(await anomalies(caseNumber)).toEqual([]);
    });
  });

  describe('fee-mismatch', () => {
    const fee = (caseNumber: string, amountFen: number) =>
      deliverAny(t, anEvent('gov.intake.fee.assessed', { caseNumber, matterCode: 'DEMO-001', itemCode: 'FEE-1', amountFen, catalogueAmountFen: 5000, assessedAt: new Date().toISOString() }, caseNumber));
    it('raises an anomaly for a fee other than the catalogue amount', async () => {
      const caseNumber = await newCase();
      await fee(caseNumber, 8000);
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'fee-mismatch', evidence: expect.objectContaining({ amountFen: 8000, catalogueAmountFen: 5000 }) })]);
    });
    it('raises nothing for the catalogue amount', async () => {
      const caseNumber = await newCase();
      await fee(caseNumber, 5000);
      expect(await anomalies(caseNumber)).toEqual([]);
    });
    it("raises an anomaly for an item of approval's fee determination off its fixed catalogue amount, not for a variable fee", async () => {
      // given
      const caseNumber = await newCase();
      const item = (code: string, amountFen: number, catalogueAmountFen: number | null) => ({ code, name: `收费${code}`, amountFen, catalogueAmountFen, basis: '示范省收费目录', payment: '窗口缴纳' });
      // when
      await deliverAny(
        t,
        anEvent(
          'gov.approval.fee.determined',
          { caseNumber, matterCode: 'DEMO-001', stepId: 'HandlerReview', determinedBy: 'u-1', items: [item('F1', 6000, 5000), item('F2', 12000, null), item('F3', 100, 100)], totalFen: 18100, paymentDays: null, determinedAt: new Date().toISOString() },
          caseNumber,
        ),
      );
      // then
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'fee-mismatch', evidence: expect.objectContaining({ itemCode: 'F1', amountFen: 6000, catalogueAmountFen: 5000 }) })]);
    });
  });

  describe('changed-after-decision', () => {
    it('raises an anomaly for a step opened on a case after its decision', async () => {
      const caseNumber = await newCase();
      await decide(caseNumber, '2026-11-20T10:00:00+08:00');
      await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `reopen-${caseNumber}`, candidateGroups: [group], openedAt: '2026-11-21T10:00:00+08:00' }));
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'changed-after-decision', evidence: expect.objectContaining({ event: 'gov.approval.step.opened' }) })]);
    });
    it("raises nothing for the verification steps a notification-commitment approval opens, nor for the revocation they end in", async () => {
      // given a 告知承诺制 case approved on the commitment
      const caseNumber = await newCase({ processKey: 'notification-commitment' });
      await decide(caseNumber, '2026-11-20T10:00:00+08:00');
      // when its verification, the false-commitment record and the revocation run after the approval
      for (const key of ['Verification', 'RecordFalseCommitment', 'RevocationDecision']) {
        await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, processDefinitionKey: 'notification-commitment', taskId: `${key}-${caseNumber}`, taskDefinitionKey: key, candidateGroups: [group], openedAt: '2026-12-21T10:00:00+08:00' }));
        await deliver(t, stepEvent('gov.approval.step.completed', { businessKey: caseNumber, processDefinitionKey: 'notification-commitment', taskId: `${key}-${caseNumber}`, taskDefinitionKey: key, candidateGroups: [group], assignee: 'u-liu', completedAt: '2026-12-21T11:00:00+08:00' }));
      }
      await deliverAny(t, anEvent('gov.approval.case.decided', { caseNumber, processInstanceId: `pi-${caseNumber}`, decision: 'revoked', documentNumber: '示市监撤销字〔2026〕1号', decidedAt: '2026-12-22T10:00:00+08:00', revokesDocumentNumber: '示市监准字〔2026〕1号' }, caseNumber));
      // then no anomaly
      expect(await anomalies(caseNumber)).toEqual([]);
      // and the case keeps the decision on the merits
      expect((await t.ownerQuery<{ decision: string }>('SELECT decision FROM cases WHERE case_number = $1', [caseNumber]))[0].decision).toBe('approved');
    });
    it('raises nothing for steps before the decision', async () => {
      const caseNumber = await newCase();
      await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `before-${caseNumber}`, candidateGroups: [group], openedAt: '2026-11-19T10:00:00+08:00' }));
      await decide(caseNumber, '2026-11-20T10:00:00+08:00');
      expect(await anomalies(caseNumber)).toEqual([]);
    });
    it('raises nothing for the verification steps 告知承诺制 opens after approving on the commitment, but does for another step of that flow', async () => {
      // given a notification-commitment case approved on the applicant's commitment
      const caseNumber = await newCase({ processKey: 'notification-commitment' });
      await decide(caseNumber, '2026-11-20T10:00:00+08:00');
      const opened = (key: string) =>
        deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, processDefinitionKey: 'notification-commitment', taskId: `${key}-${caseNumber}`, taskDefinitionKey: key, candidateGroups: [group], openedAt: '2026-12-21T10:00:00+08:00' }));
      // when the verification, the false-commitment record and the revocation decision open after it
      for (const key of ['Verification', 'RecordFalseCommitment', 'RevocationDecision']) await opened(key);
      // then no anomaly: the flow does that by design
      expect(await anomalies(caseNumber)).toEqual([]);
      // when its review step opens again after the decision
      await opened('CommitmentCheck');
      // then that is a change after the decision
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'changed-after-decision', rule_version: 2, evidence: expect.objectContaining({ event: 'gov.approval.step.opened' }) })]);
    });
  });

  describe('separation-of-duties', () => {
    it('raises an anomaly naming the officer who handled and approved the same case', async () => {
      const caseNumber = await newCase();
      await completed(caseNumber, 'HandlerReview', 'u-liu');
      await completed(caseNumber, 'LeaderDecision', 'u-liu');
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'separation-of-duties', officer: 'u-liu' })]);
    });
    it('raises nothing when different officers handle and approve', async () => {
      const caseNumber = await newCase();
      await completed(caseNumber, 'HandlerReview', 'u-liu');
      await completed(caseNumber, 'LeaderDecision', 'u-zhou');
      expect(await anomalies(caseNumber)).toEqual([]);
    });
  });

  describe('too-many-returns', () => {
    const returns = async (caseNumber: string, n: number) => {
      for (let i = 0; i < n; i++) await deliverAny(t, anEvent('gov.approval.case.returned', { caseNumber, stepId: null, by: 'u-chief', reason: `补正 ${i + 1}`, returnedAt: new Date().toISOString() }, caseNumber));
    };
    it('raises one anomaly once a case is sent back more than twice', async () => {
      const caseNumber = await newCase();
      await returns(caseNumber, 4);
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'too-many-returns', evidence: expect.objectContaining({ returns: 3 }) })]);
    });
    it('raises nothing for two returns', async () => {
      const caseNumber = await newCase();
      await returns(caseNumber, 2);
      expect(await anomalies(caseNumber)).toEqual([]);
    });
  });

  describe('suspension-overrun', () => {
    const suspend = async (caseNumber: string, resumedAt: string) => {
      await deliverAny(t, anEvent('gov.approval.step.suspended', { caseNumber, suspensionId: `s-${caseNumber}`, stepId: null, reason: '检验检测', statedWorkingDays: 3, suspendedAt: '2026-11-02T10:00:00+08:00' }, caseNumber));
      await deliverAny(t, anEvent('gov.approval.step.resumed', { caseNumber, suspensionId: `s-${caseNumber}`, resumedAt }, caseNumber));
    };
    it('raises an anomaly for a suspension stated as 3 working days that lasted 4', async () => {
      const caseNumber = await newCase();
      await suspend(caseNumber, '2026-11-06T10:00:00+08:00');
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'suspension-overrun', evidence: expect.objectContaining({ statedWorkingDays: 3, workingDays: 4 }) })]);
    });
    it('raises nothing for one that ended within its stated duration', async () => {
      const caseNumber = await newCase();
      await suspend(caseNumber, '2026-11-05T10:00:00+08:00');
      expect(await anomalies(caseNumber)).toEqual([]);
    });
  });

  describe('publicity-late', () => {
    const publish = async (caseNumber: string, publishedAt: string) => {
      await decide(caseNumber, '2026-11-02T10:00:00+08:00');
      await deliverAny(t, anEvent('gov.approval.decision.published', { caseNumber, documentNumber: 'D-1', publishedAt }, caseNumber));
    };
    it('raises an anomaly for a decision made public 6 working days after it', async () => {
      const caseNumber = await newCase();
      await publish(caseNumber, '2026-11-10T10:00:00+08:00');
      expect(await anomalies(caseNumber)).toEqual([expect.objectContaining({ rule: 'publicity-late', evidence: expect.objectContaining({ workingDays: 6 }) })]);
    });
    it('raises nothing for publicity within 5 working days', async () => {
      const caseNumber = await newCase();
      await publish(caseNumber, '2026-11-06T10:00:00+08:00');
      expect(await anomalies(caseNumber)).toEqual([]);
    });
  });

  describe('settings per bureau', () => {
    it("turns a rule off for one bureau only, and lists every rule with its version and defaults", async () => {
      // given fee-mismatch off for another bureau
      const other = 'OTHERBUREAU0000001';
      const off = await http(`${t.url}/anomaly-rules/fee-mismatch/settings/${other}`, { method: 'PUT', token: supervisor, body: { enabled: false } });
      const fee = (caseNumber: string) => deliverAny(t, anEvent('gov.intake.fee.assessed', { caseNumber, matterCode: 'DEMO-001', itemCode: 'FEE-1', amountFen: 1, catalogueAmountFen: 2, assessedAt: new Date().toISOString() }, caseNumber));
      // when the same wrong fee is assessed in both bureaus
      const there = await newCase({ departmentCode: other });
      const here = await newCase();
      await fee(there);
      await fee(here);
      // then
      expect(off.status).toBe(200);
      expect(await anomalies(there)).toEqual([]);
      expect(await anomalies(here)).toHaveLength(1);
      const list = await http<{ name: string; version: number }[]>(`${t.url}/anomaly-rules`, { token: supervisor });
      expect(list.body.map((r) => r.name)).toEqual(expect.arrayContaining(['joint-review-incomplete', 'step-skipped', 'acceptance-late', 'fee-mismatch', 'changed-after-decision', 'separation-of-duties', 'too-many-returns', 'suspension-overrun', 'publicity-late']));
    });

    it.each([
      ['no-such-rule', '*', {}, 404, 'UnknownRule'],
      ['too-many-returns', 'lower-case', {}, 400, 'BadRuleSetting'],
      ['too-many-returns', '*', { params: { maxReturns: 'three' } }, 400, 'BadRuleSetting'],
      ['too-many-returns', '*', { params: { nope: 1 } }, 400, 'BadRuleSetting'],
    ] as const)('refuses PUT /anomaly-rules/%s/settings/%s %j with %s', async (rule, org, body, status, code) => {
      const res = await http<{ error: string }>(`${t.url}/anomaly-rules/${rule}/settings/${org}`, { method: 'PUT', token: supervisor, body });
      expect(res.status).toBe(status);
      expect(res.body.error).toBe(SupervisionErrors.code[code]);
    });
  });
});

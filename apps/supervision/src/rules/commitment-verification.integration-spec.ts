import { randomUUID } from 'node:crypto';
import { AdjustableClock } from '../clock/clock';
import { MARKET } from '../testing/supstats-fixtures';
import { type TestSupervision, accepted, anEvent, deliver, deliverAny, newCaseNumber, startTestSupervision, stepEvent } from '../testing/test-app';
import { RulesService } from './rules.service';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

// 告知承诺制 (seed 003 三(三): 先予审批后定期报送纸质申报材料核对归档; issue 10: "a 容缺 or notification-commitment deadline
// missed with no action"): an approval on a commitment owes a verification. The decision says when it falls due
// (verificationDueAt); no Verification step completed within the step's limit after it is an anomaly, raised once by the
// deadline scan (supervision's clock moved forward).
describe('commitment-verification-missed (seed 003 告知承诺制)', () => {
  let t: TestSupervision;
  let clock: AdjustableClock;
  const group = `handler:${MARKET}`;

  beforeAll(async () => {
    clock = new AdjustableClock();
    t = await startTestSupervision({}, { clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  const scan = () => t.app.get(RulesService).scanDeadlines();
  const anomalies = (caseNumber: string) =>
    t.ownerQuery<{ rule: string; org_code: string | null; evidence: Record<string, unknown> }>(`SELECT rule, org_code, evidence FROM alert_stream WHERE kind = 'anomaly' AND rule = 'commitment-verification-missed' AND case_number = $1 ORDER BY seq`, [caseNumber]);

  /** A case accepted and approved on a commitment, its verification due `dueInDays` from now. */
  async function approvedOnCommitment(options: { dueInDays: number; stepLimit?: number; decision?: 'approved' | 'rejected'; verificationDueAt?: boolean } = { dueInDays: 30 }): Promise<string> {
    const caseNumber = newCaseNumber();
    const now = clock.now();
    await deliverAny(
      t,
      accepted(caseNumber, {
        departmentCode: MARKET,
        processKey: 'notification-commitment',
        acceptedAt: now.toISOString(),
        ...(options.stepLimit ? { stepLimits: [{ step: 'Verification', name: '承诺事项核查', workingDays: options.stepLimit }] } : {}),
      }),
    );
    await deliverAny(
      t,
      anEvent(
        'gov.approval.case.decided',
        {
          caseNumber,
          processInstanceId: `pi-${caseNumber}`,
          decision: options.decision ?? 'approved',
          documentNumber: `449900-${MARKET}-许〔2026〕${randomUUID().slice(0, 6)}号`,
          decidedAt: now.toISOString(),
          ...(options.verificationDueAt === false ? {} : { verificationDueAt: new Date(now.getTime() + options.dueInDays * DAY).toISOString() }),
        },
        caseNumber,
      ),
      'approval.case.v1',
    );
    return caseNumber;
  }

  it("raises an anomaly once when no verification was completed within the step's limit after it fell due", async () => {
    // given an approval whose verification falls due in 2 days, with the case's own 3-working-day limit for the step
    const caseNumber = await approvedOnCommitment({ dueInDays: 2, stepLimit: 3 });
    await scan();
    const whileDue = await anomalies(caseNumber);
    // when the due time and the limit pass (3 working days fit in 20 calendar days, even over a long holiday), scanned twice
    clock.advance(2 * DAY + 20 * DAY);
    await scan();
    await scan();
    // then one anomaly to the department, naming the limit it used
    expect(whileDue).toEqual([]);
    expect(await anomalies(caseNumber)).toEqual([
      expect.objectContaining({ org_code: MARKET, evidence: expect.objectContaining({ verificationLimitWorkingDays: 3, limitFrom: 'case', verificationDueAt: expect.any(String), verifyBy: expect.any(String) }) }),
    ]);
  });

  it('raises nothing when the Verification step is completed in time, or the case is withdrawn', async () => {
    // given two approvals on a commitment
    const verified = await approvedOnCommitment({ dueInDays: 1 });
    const withdrawn = await approvedOnCommitment({ dueInDays: 1 });
    // when the first's Verification step (opened when the period ended) is completed, and the second is withdrawn
    clock.advance(DAY + HOUR);
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: verified, taskId: `v-${verified}`, taskDefinitionKey: 'Verification', candidateGroups: [group], openedAt: clock.now().toISOString() }));
    await deliver(t, stepEvent('gov.approval.step.completed', { businessKey: verified, taskId: `v-${verified}`, taskDefinitionKey: 'Verification', candidateGroups: [group], assignee: 'u-handler', openedAt: clock.now().toISOString(), completedAt: clock.now().toISOString() }));
    await deliverAny(t, anEvent('gov.approval.case.ended', { caseNumber: withdrawn, processInstanceId: `pi-${withdrawn}`, outcome: 'withdrawn', documentNumber: 'W-1', reason: '申请人撤回', endedAt: clock.now().toISOString() }, withdrawn), 'approval.case.v1');
    // and the default 20-working-day limit passes (60 calendar days cover it over any holiday)
    clock.advance(60 * DAY);
    await scan();
    // then both watches were met, and nothing was raised
    expect(await anomalies(verified)).toEqual([]);
    expect(await anomalies(withdrawn)).toEqual([]);
    expect(await t.ownerQuery(`SELECT case_number FROM rule_deadlines WHERE rule = 'commitment-verification-missed' AND met_at IS NOT NULL AND case_number = ANY($1::text[]) ORDER BY case_number`, [[verified, withdrawn]])).toHaveLength(2);
  });

  it('watches nothing for a refusal, or a decision that owes no verification', async () => {
    // given a refusal, and an approval under an ordinary flow (no verificationDueAt)
    const refused = await approvedOnCommitment({ dueInDays: 1, decision: 'rejected' });
    const ordinary = await approvedOnCommitment({ dueInDays: 1, verificationDueAt: false });
    // when any limit passes
    clock.advance(60 * DAY);
    await scan();
    // then
    expect(await anomalies(refused)).toEqual([]);
    expect(await anomalies(ordinary)).toEqual([]);
    expect(await t.ownerQuery(`SELECT 1 FROM rule_deadlines WHERE rule = 'commitment-verification-missed' AND case_number = ANY($1::text[])`, [[refused, ordinary]])).toEqual([]);
  });
});

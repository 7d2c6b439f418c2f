import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeEvent } from '@gov/contracts';
import { STACK, eventually, httpRequest } from '@gov/testing';
import { CamundaAdminClient } from '@gov/workflow';
import { ApprovalErrors } from '../errors';
import { acceptThroughConsumer, issueDecisionOnTopic } from '../testing/case-flow';
import { type TestApproval, startTestApproval, stepInReadModel, tokenOf } from '../testing/test-app';

// 并联审批 / 会签 through the platform (issue 9 §1 and its end-to-end list: "joint review across three departments with
// one veto, going to the joint meeting and then a decision"; seed 003). The matter names its co-reviewing
// departments in the catalogue (coReviewers); intake's accepted event carries them, approval starts joint-review with
// coDepartments / coDepartmentCount, and every step is worked through this approval's worklist and task API with the
// demo officers' real tokens. The engine, PostgreSQL and Kafka are the stack's.
//
// Officers (identity's demo seed): 自然资源局用地审批处 (handler.resources; leader.resources is the bureau's leader, whose
// organisations include the section) leads; 住建局 (handler.housing), 生态环境局 (handler.ecology) and 公安局
// (handler.police) co-review. handler.market (市场监管局) is an outsider to the case.

const CITY = '449900';
const LAND = '114499000000001210';
const CO = { housing: '11449900000000013F', ecology: '11449900000000014J', police: '11449900000000016Q' };
const BPMN = join(__dirname, '../../../../bpmn');
const WORKER = 'joint-review-test';

const engine = new CamundaAdminClient({ baseUrl: STACK.engineUrl });
const suffix = randomBytes(4).toString('hex');
const key = `approval-test-joint-${suffix}`;
const topic = `issue-decision-joint-${suffix}`;
let deploymentId: string | undefined;
let t: TestApproval;
const tokens: Record<'lead' | 'leader' | 'housing' | 'ecology' | 'police' | 'outsider', string> = { lead: '', leader: '', housing: '', ecology: '', police: '', outsider: '' };
let seq = Math.floor(Math.random() * 1e6);

beforeAll(async () => {
  const xml = readFileSync(join(BPMN, 'joint-review.bpmn'), 'utf8').replaceAll('"joint-review"', `"${key}"`).replaceAll('camunda:topic="issue-decision"', `camunda:topic="${topic}"`);
  deploymentId = (await engine.deploy({ name: key, tenantId: CITY, source: 'approval-tests', files: [{ name: `${key}.bpmn`, content: xml }] })).id;
  t = await startTestApproval({ RECONCILE_INTERVAL_MS: '600000' });
  const names = { lead: 'handler.resources', leader: 'leader.resources', housing: 'handler.housing', ecology: 'handler.ecology', police: 'handler.police', outsider: 'handler.market' } as const;
  for (const [role, user] of Object.entries(names)) tokens[role as keyof typeof names] = await tokenOf(user);
});

afterAll(async () => {
  await t?.close();
  if (deploymentId) await engine.deleteDeployment(deploymentId, true).catch(() => undefined);
});

function acceptedEvent(caseNumber: string) {
  return makeEvent({
    type: 'gov.intake.application.accepted',
    source: '/intake',
    subject: caseNumber,
    tenantId: CITY,
    data: {
      caseNumber,
      applicationId: randomUUID(),
      matterCode: 'DEMO-ZRZY-010',
      matterName: '建设项目用地预审与选址意见书核发（并联审批，演示）',
      processKey: key,
      departmentCode: LAND,
      tenantId: CITY,
      applicant: { kind: 'legal-entity', id: '91449901MA00000018', name: '示范市东方贸易有限公司' },
      acceptedAt: new Date().toISOString(),
      timeLimitWorkingDays: 20,
      promisedLimitWorkingDays: 15,
      form: { projectName: '示范市物流园二期', siteArea: 12.5 },
      stepLimits: [
        { step: 'LeadHandlerReview', name: '牵头部门承办人审查', workingDays: 3 },
        { step: 'CoReview', name: '协办部门会签', workingDays: 5 },
        { step: 'Consolidate', name: '牵头部门汇总意见', workingDays: 2 },
        { step: 'JointMeeting', name: '联合会审', workingDays: 3 },
        { step: 'LeaderDecision', name: '牵头部门领导决定', workingDays: 2 },
      ],
      coReviewers: [
        { departmentCode: CO.housing, departmentName: '示范市住房和城乡建设局' },
        { departmentCode: CO.ecology, departmentName: '示范市生态环境局' },
        { departmentCode: CO.police, departmentName: '示范市公安局' },
      ],
    },
  });
}

/** Hands the event to the start-case consumer in a transaction, as the inbox does, then runs its after-commit work. */
function accept(caseNumber: string): Promise<void> {
  return acceptThroughConsumer(t, acceptedEvent(caseNumber));
}

const openTasks = (processInstanceId: string, step: string, n = 1) =>
  eventually(`${n} × ${step} open`, async () => {
    const open = (await engine.tasks({ processInstanceId })).filter((x) => x.taskDefinitionKey === step);
    return open.length === n ? open : undefined;
  }, 30_000, 200);
const worklist = (token: string, caseNumber: string) => httpRequest<Array<{ taskId: string; step: string; timeLimitWorkingDays: number | null }>>(`${t.url}/worklist?caseNumber=${caseNumber}`, { token });
const complete = (taskId: string, token: string, outcome: 'approve' | 'reject', opinion: string) =>
  httpRequest<{ caseNumber?: string; step?: string; error?: string }>(`${t.url}/tasks/${taskId}/complete`, { token, body: { outcome, opinion }, headers: { 'idempotency-key': randomUUID() } });
const outboxOf = (caseNumber: string, type: string) =>
  t.ownerQuery<{ data: Record<string, unknown> }>(`SELECT payload->'data' AS data FROM outbox WHERE key = $1 AND type = $2 ORDER BY id`, [caseNumber, type]);

/** Works the decision step as the issue-decision worker does (the test's own topic: the stack's workers never see it). */
const issueDecision = (processInstanceId: string) => issueDecisionOnTopic(t, engine, topic, WORKER, processInstanceId);

describe('并联审批 across three departments through the platform', () => {
  it('sends the case to the three departments at once, takes the police veto to the joint meeting, and decides once', async () => {
    // given a joint-review case accepted for 用地审批处, naming 住建, 生态环境 and 公安 as co-reviewers
    const caseNumber = `${CITY}-20261204-${String(++seq).padStart(9, '0')}`;
    await accept(caseNumber);
    const [c] = await t.ownerQuery<{ status: string; process_instance_id: string; co_department_codes: string[] }>('SELECT status, process_instance_id, co_department_codes FROM cases WHERE case_number = $1', [caseNumber]);
    expect(c).toMatchObject({ status: 'in-review', co_department_codes: [CO.housing, CO.ecology, CO.police] });
    const pid = c.process_instance_id;
    expect(await engine.variable(pid, 'coDepartments')).toBe(`${CO.housing},${CO.ecology},${CO.police}`);
    expect(await engine.variable(pid, 'coDepartmentCount')).toBe(3);
    expect(await engine.variable(pid, 'coReviewLimitDays')).toBe(5);

    // when the lead's handler reviews (no co-reviewer can)
    const [lead] = await openTasks(pid, 'LeadHandlerReview');
    await stepInReadModel(t, lead.id);
    expect((await complete(lead.id, tokens.housing, 'approve', '住建代为审查。')).body.error).toBe(ApprovalErrors.code.NotYourStep);
    expect((await complete(lead.id, tokens.lead, 'approve', '符合国土空间规划，拟分送协办部门会签。')).status).toBe(200);

    // then each department has its own co-review step, in its worklist only, with its limit and organisation
    const co = await openTasks(pid, 'CoReview', 3);
    const mine: Record<keyof typeof CO, string> = { housing: '', ecology: '', police: '' };
    for (const task of co) {
      const row = await stepInReadModel(t, task.id);
      const dept = (Object.keys(CO) as (keyof typeof CO)[]).find((k) => CO[k] === row.organisation);
      expect(dept).toBeDefined();
      expect(row).toMatchObject({ case_number: caseNumber, time_limit_working_days: 5 });
      mine[dept as keyof typeof CO] = task.id;
    }
    expect(new Set(Object.values(mine)).size).toBe(3);
    for (const dept of Object.keys(CO) as (keyof typeof CO)[]) {
      expect(await worklist(tokens[dept], caseNumber)).toMatchObject({ status: 200, body: [{ taskId: mine[dept], step: 'CoReview', timeLimitWorkingDays: 5 }] });
    }
    expect((await worklist(tokens.lead, caseNumber)).body).toEqual([]);
    expect((await complete(mine.ecology, tokens.housing, 'approve', '越权会签。')).body.error).toBe(ApprovalErrors.code.NotYourStep);
    // each department's opinion, the police vetoing with its reasons (a veto without them is refused)
    expect((await complete(mine.police, tokens.police, 'reject', '否')).status).toBe(400);
    expect((await complete(mine.housing, tokens.housing, 'approve', '符合城乡规划，同意。')).status).toBe(200);
    expect((await complete(mine.ecology, tokens.ecology, 'approve', '不涉及生态保护红线，同意。')).status).toBe(200);
    expect((await complete(mine.police, tokens.police, 'reject', '选址临近危险品仓库，消防间距不足，不同意。')).status).toBe(200);

    // and the lead consolidates: agreeing itself, the veto still takes the case to the joint meeting (会审)
    const [consolidate] = await openTasks(pid, 'Consolidate');
    await stepInReadModel(t, consolidate.id);
    expect((await complete(consolidate.id, tokens.lead, 'approve', '住建、生态环境同意；公安不同意，提请联合会审。')).status).toBe(200);
    const [meeting] = await openTasks(pid, 'JointMeeting');
    expect((await engine.tasks({ processInstanceId: pid })).map((x) => x.taskDefinitionKey)).toEqual(['JointMeeting']);
    expect((await complete(meeting.id, tokens.leader, 'approve', '会审议定：调整选址 200 米，满足消防间距后同意。')).status).toBe(200);
    const [decide] = await openTasks(pid, 'LeaderDecision');
    expect((await complete(decide.id, tokens.leader, 'approve', '同意核发用地预审与选址意见书。')).status).toBe(200);
    const decision = await issueDecision(pid);

    // then one decision, after consolidation and the meeting, with every opinion signed in order
    expect(decision.decision).toBe('approved');
    expect(await t.ownerQuery('SELECT decision FROM decisions WHERE case_number = $1', [caseNumber])).toEqual([{ decision: 'approved' }]);
    const opinions = await t.ownerQuery<{ task_definition_key: string; outcome: string }>('SELECT task_definition_key, outcome FROM opinions WHERE case_number = $1 ORDER BY created_at', [caseNumber]);
    expect(opinions.map((o) => o.task_definition_key)).toEqual(['LeadHandlerReview', 'CoReview', 'CoReview', 'CoReview', 'Consolidate', 'JointMeeting', 'LeaderDecision']);
    expect(opinions.filter((o) => o.outcome === 'reject')).toHaveLength(1);
    // supervision is told who was asked and what each answered, once per department
    const asked = await outboxOf(caseNumber, 'gov.approval.joint-review.requested');
    expect(asked.flatMap((e) => e.data.departments as string[]).sort()).toEqual(Object.values(CO).sort());
    const answered = await outboxOf(caseNumber, 'gov.approval.joint-review.opinion-recorded');
    expect(answered.map((e) => [e.data.departmentCode, e.data.opinion]).sort()).toEqual(
      [
        [CO.housing, 'agree'],
        [CO.ecology, 'agree'],
        [CO.police, 'disagree'],
      ].sort(),
    );
    expect(answered.map((e) => e.data.reviewId).sort()).toEqual(asked.map((e) => e.data.reviewId).sort());
    await eventually('the instance ended', async () => (await engine.historicProcessInstances({ processInstanceId: pid }))[0]?.state === 'COMPLETED', 30_000, 200);

    // and the co-reviewing departments see the case they reviewed; an outsider does not
    expect((await httpRequest(`${t.url}/cases/${caseNumber}/view`, { token: tokens.police })).status).toBe(200);
    expect((await httpRequest(`${t.url}/cases/${caseNumber}`, { token: tokens.housing })).status).toBe(200);
    expect((await httpRequest<{ error: string }>(`${t.url}/cases/${caseNumber}/view`, { token: tokens.outsider })).body.error).toBe(ApprovalErrors.code.CaseNotFound);
  });
});

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STACK } from '@gov/testing';
import { type ActivityInstance, CamundaAdminClient, type Task } from '@gov/workflow';

// Every flow of the library (bpmn/) run end to end on the real engine, driven through Camunda REST the way the
// approval service drives it: tasks completed with variables, messages correlated to one instance, return and
// take-back as process instance modification, timers executed as jobs. Each test deploys its own copy of the flow
// under a unique key, topic and tenant, so the stack's approval and workers never touch these instances.

const engine = new CamundaAdminClient({ baseUrl: STACK.engineUrl });
const BPMN = join(__dirname, '../../../../bpmn');
const deployments: string[] = [];
const WORKER = 'flow-library-test';
const DEPT = '11449900000000111Y';

interface Flow {
  key: string;
  topic: string;
  paymentTopic: string;
  tenantId: string;
}

async function deploy(file: string, processId: string, opts: { tenantId?: string; renames?: Record<string, string> } = {}): Promise<Flow> {
  const suffix = randomBytes(4).toString('hex');
  const key = `${processId}-t${suffix}`;
  const topic = `issue-decision-t${suffix}`;
  const paymentTopic = `request-payment-t${suffix}`;
  const tenantId = opts.tenantId ?? `t${suffix}`;
  let xml = readFileSync(join(BPMN, file), 'utf8')
    .replaceAll(`"${processId}"`, `"${key}"`)
    .replaceAll('camunda:topic="issue-decision"', `camunda:topic="${topic}"`)
    .replaceAll('camunda:topic="request-payment"', `camunda:topic="${paymentTopic}"`);
  for (const [from, to] of Object.entries(opts.renames ?? {})) xml = xml.replaceAll(from, to);
  const d = await engine.deploy({ name: key, tenantId, source: 'flow-library-tests', files: [{ name: `${key}.bpmn`, content: xml }] });
  deployments.push(d.id);
  return { key, topic, paymentTopic, tenantId };
}

let seq = Math.floor(Math.random() * 1e6);
async function start(flow: Flow, variables: Record<string, unknown>): Promise<string> {
  seq += 1;
  const caseNumber = `449900-20261202-${String(seq).padStart(9, '0')}`;
  const instance = await engine.startByKey(flow.key, { businessKey: caseNumber, tenantId: flow.tenantId, variables: { caseNumber, departmentCode: DEPT, ...variables } });
  return instance.id;
}

async function openTasks(pid: string): Promise<Task[]> {
  return engine.tasks({ processInstanceId: pid });
}

/** The one open task of the instance, which must be the named step. */
async function only(pid: string, step: string): Promise<Task> {
  const tasks = await openTasks(pid);
  expect(tasks.map((t) => t.taskDefinitionKey)).toEqual([step]);
  return tasks[0];
}

async function completeStep(pid: string, step: string, variables: Record<string, unknown> = {}): Promise<void> {
  const task = await only(pid, step);
  await engine.complete(task.id, variables);
}

/** Works the decision step as the issue-decision worker would, returning the decision it was asked to issue. */
async function issue(flow: Flow, pid: string): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const fetched = await engine.fetchAndLock({ workerId: WORKER, maxTasks: 10, topics: [{ topicName: flow.topic, lockDuration: 30_000 }] });
    const mine = fetched.find((t) => t.processInstanceId === pid);
    if (mine) {
      await engine.completeExternalTask(mine.id, WORKER, { documentNumber: `DOC-${mine.id.slice(0, 8)}` });
      return String(mine.variables?.decision?.value);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no ${flow.topic} task for ${pid}`);
}

/** Works the payment-request step (缴费通知书) as approval's request-payment worker would, returning the fee it was asked for. */
async function requestPayment(flow: Flow, pid: string): Promise<unknown> {
  await runJobs(pid);
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const fetched = await engine.fetchAndLock({ workerId: WORKER, maxTasks: 10, topics: [{ topicName: flow.paymentTopic, lockDuration: 30_000 }] });
    const mine = fetched.find((t) => t.processInstanceId === pid);
    if (mine) {
      await engine.completeExternalTask(mine.id, WORKER, { feeDeadline: new Date(Date.now() + 3_600_000).toISOString() });
      return mine.variables?.feeAmount?.value;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no ${flow.paymentTopic} task for ${pid}`);
}

/** The async-before continuation of the decision step is a job: run it now instead of waiting for the job executor. */
async function runJobs(pid: string): Promise<void> {
  for (const job of await engine.jobs({ processInstanceId: pid })) await engine.executeJob(job.id).catch(() => undefined);
}

async function endedAt(pid: string): Promise<string[]> {
  const [h] = await engine.historicProcessInstances({ processInstanceId: pid });
  expect(h?.state).toBe('COMPLETED');
  const acts = await engine.historicActivities(pid, 'noneEndEvent');
  return acts.map((a) => a.activityId).sort();
}

function find(tree: ActivityInstance, activityId: string): ActivityInstance | undefined {
  if (tree.activityId === activityId) return tree;
  for (const c of tree.childActivityInstances) {
    const hit = find(c, activityId);
    if (hit) return hit;
  }
  return undefined;
}

/** 回退: the returning step is cancelled and the earlier step started again, remembering who returned it and why. */
async function returnTo(pid: string, from: string, to: string, reason: string): Promise<void> {
  const current = find(await engine.activityInstances(pid), from);
  if (!current) throw new Error(`${from} is not active`);
  await engine.modify(
    pid,
    [
      { type: 'cancel', activityInstanceId: current.id },
      { type: 'startBeforeActivity', activityId: to, variables: { returnedBy: { value: from }, returnReason: { value: reason } } },
    ],
    `return ${from} → ${to}: ${reason}`,
  );
}

afterAll(async () => {
  for (const id of deployments) await engine.deleteDeployment(id, true).catch(() => undefined);
});

describe('standard review on the engine (seed 001 text 3)', () => {
  let flow: Flow;
  beforeAll(async () => {
    flow = await deploy('standard-review.bpmn', 'standard-review');
  });

  it('runs handler → chief → leader with an expert-review suspension and a fee paid, then issues one approval', async () => {
    // given
    const pid = await start(flow, { feePaymentPeriod: 'PT1H' });
    expect(await engine.candidateGroupsOf((await only(pid, 'HandlerReview')).id)).toEqual([`handler:${DEPT}`]);
    // when the handler determines a fee, and the clock is suspended for expert review (seed 001 text 10) and resumed
    await completeStep(pid, 'HandlerReview', { feeAmount: 120 });
    await engine.correlateToInstance('clock-suspend', pid, { suspensionReason: 'expert-review', suspensionExpectedDays: 10 });
    expect(find(await engine.activityInstances(pid), 'ClockResumed')).toBeDefined();
    expect((await openTasks(pid)).map((t) => t.taskDefinitionKey)).toEqual(['ChiefReview']);
    await engine.correlateToInstance('clock-resume', pid);
    expect(find(await engine.activityInstances(pid), 'ClockResumed')).toBeUndefined();
    await completeStep(pid, 'ChiefReview');
    await completeStep(pid, 'LeaderReview', { decision: 'approved' });
    // then the payment notice is requested for the fee, the case waits for payment, and once paid the approval is issued
    expect(await requestPayment(flow, pid)).toBe(120);
    expect(find(await engine.activityInstances(pid), 'AwaitPayment')).toBeDefined();
    await engine.correlateToInstance('fee-paid', pid, { feePaidAt: new Date().toISOString() });
    await runJobs(pid);
    expect(await issue(flow, pid)).toBe('approved');
    expect(await endedAt(pid)).toEqual(['Decided', 'SuspensionEnded']);
  });

  it('refuses the licence when the fee is not paid by the deadline (art. 19–20)', async () => {
    // given a matter whose catalogue names no payment period (the flow's default, 15 days, applies)
    const pid = await start(flow, {});
    await completeStep(pid, 'HandlerReview', { feeAmount: 50 });
    await completeStep(pid, 'ChiefReview');
    await completeStep(pid, 'LeaderReview', { decision: 'approved' });
    expect(await requestPayment(flow, pid)).toBe(50);
    const [timer] = await engine.jobs({ processInstanceId: pid });
    const days = (Date.parse(timer?.dueDate ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(14.9);
    expect(days).toBeLessThan(15.1);
    // when the payment deadline's timer fires
    await engine.executeJob(timer?.id ?? '');
    await runJobs(pid);
    // then a refusal is issued, for the unpaid fee
    expect(await issue(flow, pid)).toBe('rejected');
    expect(await engine.historicVariable(pid, 'refusalReason')).toBe('fee-unpaid');
  });

  it('returns from the leader to the handler with a reason, then goes straight back to the leader, not through the chief', async () => {
    const pid = await start(flow, {});
    await completeStep(pid, 'HandlerReview');
    await completeStep(pid, 'ChiefReview');
    await only(pid, 'LeaderReview');
    // when the leader returns the case to the handler
    await returnTo(pid, 'LeaderReview', 'HandlerReview', '缺少现场核查记录');
    expect(await engine.variable(pid, 'returnReason')).toBe('缺少现场核查记录');
    await completeStep(pid, 'HandlerReview');
    // then the next step is the leader again, and the return mark is cleared
    await only(pid, 'LeaderReview');
    expect(await engine.variable(pid, 'returnedBy')).toBeUndefined();
    await completeStep(pid, 'LeaderReview', { decision: 'rejected' });
    await runJobs(pid);
    expect(await issue(flow, pid)).toBe('rejected');
  });

  it('lets an officer take back a completion while the next step is unclaimed (拿回)', async () => {
    const pid = await start(flow, {});
    await completeStep(pid, 'HandlerReview');
    const chief = await only(pid, 'ChiefReview');
    expect(chief.assignee).toBeNull();
    // when the handler takes the case back
    const active = find(await engine.activityInstances(pid), 'ChiefReview');
    await engine.modify(pid, [{ type: 'cancel', activityInstanceId: active?.id ?? '' }, { type: 'startBeforeActivity', activityId: 'HandlerReview' }], 'take-back');
    // then the handler's step is open again and the chief's is gone
    await only(pid, 'HandlerReview');
    await completeStep(pid, 'HandlerReview');
    await only(pid, 'ChiefReview');
  });

  it('sends a major case to the leadership meeting (办公会) before the decision', async () => {
    const pid = await start(flow, {});
    await completeStep(pid, 'HandlerReview');
    await completeStep(pid, 'ChiefReview');
    await completeStep(pid, 'LeaderReview', { decision: 'approved', major: true });
    await completeStep(pid, 'LeadershipMeeting', { decision: 'approved', meetingOutcome: '同意' });
    await runJobs(pid);
    expect(await issue(flow, pid)).toBe('approved');
  });

  it('ends a case withdrawn mid-review with a 准予撤回 decision and no open step', async () => {
    const pid = await start(flow, {});
    await completeStep(pid, 'HandlerReview');
    await only(pid, 'ChiefReview');
    // when the applicant withdraws
    await engine.correlateToInstance('withdrawal', pid, { withdrawalReason: '申请人主动撤回' });
    // then every step is cancelled and the withdrawal decision is issued
    expect(await openTasks(pid)).toEqual([]);
    await runJobs(pid);
    expect(await issue(flow, pid)).toBe('withdrawn');
    expect(await endedAt(pid)).toEqual(['Withdrawn']);
  });
});

describe('parallel joint review on the engine (seed 003, seed 001 text 4)', () => {
  it('sends the case to three departments at once, takes a veto to the joint meeting, and decides once after consolidation', async () => {
    // given
    const flow = await deploy('joint-review.bpmn', 'joint-review');
    const departments = ['D-LAND', 'D-PLAN', 'D-ENV'];
    const pid = await start(flow, { coDepartments: departments.join(','), coDepartmentCount: departments.length });
    await completeStep(pid, 'LeadHandlerReview');
    // when each co-reviewing department works its own task, one of them vetoing
    const co = await openTasks(pid);
    expect(co.map((t) => t.taskDefinitionKey)).toEqual(['CoReview', 'CoReview', 'CoReview']);
    const groups = await Promise.all(co.map((t) => engine.candidateGroupsOf(t.id)));
    expect(groups.flat().sort()).toEqual(departments.map((d) => `handler:${d}`).sort());
    // (as approval completes a step: `<step>Outcome`, the veto a reject)
    for (const [i, t] of co.entries()) await engine.complete(t.id, { CoReviewOutcome: i === 1 ? 'reject' : 'approve' });
    // then nothing is decided before the lead consolidates; the veto takes the case to the joint meeting even though
    // the lead's consolidation itself agrees, then one decision
    expect((await openTasks(pid)).map((t) => t.taskDefinitionKey)).toEqual(['Consolidate']);
    await completeStep(pid, 'Consolidate', { ConsolidateOutcome: 'approve' });
    await completeStep(pid, 'JointMeeting', { meetingOutcome: '会审同意，附条件' });
    await completeStep(pid, 'LeaderDecision', { decision: 'approved' });
    await runJobs(pid);
    expect(await issue(flow, pid)).toBe('approved');
    expect(await endedAt(pid)).toEqual(['Decided']);
  });

  it('goes from consolidation to the leader when every department agrees, and to the meeting when the lead disagrees', async () => {
    // given two cases whose three departments all agree
    const flow = await deploy('joint-review.bpmn', 'joint-review');
    const vars = { coDepartments: 'D-LAND,D-PLAN,D-ENV', coDepartmentCount: 3 };
    const [agreed, disagreed] = [await start(flow, vars), await start(flow, vars)];
    for (const pid of [agreed, disagreed]) {
      await completeStep(pid, 'LeadHandlerReview');
      for (const t of await openTasks(pid)) await engine.complete(t.id, { CoReviewOutcome: 'approve' });
    }
    // when the lead consolidates, agreeing in one and disagreeing in the other
    await completeStep(agreed, 'Consolidate', { ConsolidateOutcome: 'approve' });
    await completeStep(disagreed, 'Consolidate', { ConsolidateOutcome: 'reject' });
    // then
    expect((await openTasks(agreed)).map((t) => t.taskDefinitionKey)).toEqual(['LeaderDecision']);
    expect((await openTasks(disagreed)).map((t) => t.taskDefinitionKey)).toEqual(['JointMeeting']);
  });

  it('forgets an earlier round’s veto when the lead sends the case to the departments again', async () => {
    // given a case one department vetoed, which the lead takes from consolidation back to its handler
    const flow = await deploy('joint-review.bpmn', 'joint-review');
    const pid = await start(flow, { coDepartments: 'D-LAND,D-PLAN', coDepartmentCount: 2 });
    await completeStep(pid, 'LeadHandlerReview');
    const first = await openTasks(pid);
    await engine.complete(first[0].id, { CoReviewOutcome: 'reject' });
    await engine.complete(first[1].id, { CoReviewOutcome: 'approve' });
    expect(await engine.variable(pid, 'coReviewVetoed')).toBe(true);
    await only(pid, 'Consolidate');
    const consolidate = find(await engine.activityInstances(pid), 'Consolidate');
    await engine.modify(pid, [{ type: 'cancel', activityInstanceId: consolidate?.id ?? '' }, { type: 'startBeforeActivity', activityId: 'LeadHandlerReview' }], 'the lead reconsiders');
    // when the handler sends it again and both agree
    await completeStep(pid, 'LeadHandlerReview');
    for (const t of await openTasks(pid)) await engine.complete(t.id, { CoReviewOutcome: 'approve' });
    await completeStep(pid, 'Consolidate', { ConsolidateOutcome: 'approve' });
    // then the case goes to the leader, not the meeting
    expect((await openTasks(pid)).map((t) => t.taskDefinitionKey)).toEqual(['LeaderDecision']);
  });

  it('goes straight to consolidation when the matter names no co-reviewing department', async () => {
    const flow = await deploy('joint-review.bpmn', 'joint-review');
    const pid = await start(flow, {});
    await completeStep(pid, 'LeadHandlerReview');
    await completeStep(pid, 'Consolidate', { consolidation: 'agreed' });
    await completeStep(pid, 'LeaderDecision', { decision: 'rejected' });
    await runJobs(pid);
    expect(await issue(flow, pid)).toBe('rejected');
  });
});

describe('higher-level submission 上报件 on the engine (seed 003)', () => {
  it('goes from the county to the city department (another tenant) and back to the county to issue', async () => {
    // given the city's review deployed for the city tenant, the county's flow for the county tenant
    const suffix = randomBytes(3).toString('hex');
    const city = await deploy('higher-level-review.bpmn', 'higher-level-review', { tenantId: `city${suffix}` });
    const county = await deploy('higher-level-submission.bpmn', 'higher-level-submission', { tenantId: `county${suffix}`, renames: { 'calledElement="higher-level-review"': `calledElement="${city.key}"` } });
    const pid = await start(county, { cityTenantId: city.tenantId, cityDepartmentCode: 'CITY-LAND' });
    await completeStep(pid, 'CountyReview');
    await completeStep(pid, 'CountyChiefReview');
    // when the city reviews and signs off in its own tenant
    const [child] = await engine.processInstances({ processDefinitionKey: city.key, tenantIdIn: [city.tenantId] });
    expect(child).toBeDefined();
    const cityTask = await only(child?.id ?? '', 'CityHandlerReview');
    expect(cityTask.tenantId).toBe(city.tenantId);
    expect(await engine.candidateGroupsOf(cityTask.id)).toEqual(['handler:CITY-LAND']);
    await completeStep(child?.id ?? '', 'CityHandlerReview');
    await completeStep(child?.id ?? '', 'CitySignOff', { decision: 'approved' });
    // then the county issues the document
    await completeStep(pid, 'CountyIssue');
    await runJobs(pid);
    expect(await issue(county, pid)).toBe('approved');
  });
});

describe('notification-commitment 告知承诺制 on the engine (seed 003)', () => {
  it('approves on the commitment, opens the verification after the period, and revokes on a false commitment', async () => {
    const flow = await deploy('notification-commitment.bpmn', 'notification-commitment');
    const pid = await start(flow, { verificationPeriod: 'P30D' });
    await completeStep(pid, 'CommitmentCheck', { decision: 'approved' });
    await runJobs(pid);
    expect(await issue(flow, pid)).toBe('approved');
    // when the verification period has passed (the timer job) and the check finds the commitment false
    expect(await openTasks(pid)).toEqual([]);
    const [timer] = await engine.jobs({ processInstanceId: pid });
    await engine.executeJob(timer?.id ?? '');
    await completeStep(pid, 'Verification', { commitmentFalse: true });
    // then a record against the applicant, a revocation decision, and the revocation issued
    await completeStep(pid, 'RecordFalseCommitment', { creditRecord: '虚假承诺' });
    await completeStep(pid, 'RevocationDecision');
    await runJobs(pid);
    expect(await issue(flow, pid)).toBe('revoked');
    expect(await endedAt(pid)).toEqual(['Decided']);
  });
});

describe('filing 备案 on the engine', () => {
  it('checks the form and issues a filing receipt with no review chain', async () => {
    const flow = await deploy('filing.bpmn', 'filing');
    const pid = await start(flow, {});
    await completeStep(pid, 'FormalCheck', { decision: 'filed' });
    await runJobs(pid);
    expect(await issue(flow, pid)).toBe('filed');
    expect(await endedAt(pid)).toEqual(['Filed']);
  });
});

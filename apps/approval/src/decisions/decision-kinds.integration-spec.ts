import { randomUUID } from 'node:crypto';
import { makeEvent } from '@gov/contracts';
import { InboxContext } from '@gov/messaging';
import { STACK, httpRequest } from '@gov/testing';
import { CamundaAdminClient, type ExternalTask } from '@gov/workflow';
import { DataSource } from 'typeorm';
import { START_CASE_CONSUMER } from '../cases/start-case.controller';
import { type TestApproval, type TestFlow, MARKET_SECTION, deployLibraryTestFlow, startTestApproval, tokenOf } from '../testing/test-app';
import { EndCaseConsumer } from './end-case.controller';
import { IssueDecisionWorker } from './issue-decision.worker';

// Every kind of decision the flow library asks the issue-decision topic for (issue 9 §1/§3), on the real engine: each
// flow is deployed under its own key and topic (every system step of it), the case recorded as start-case records it,
// the steps completed through Camunda REST, and each external task fetched and worked by approval's worker, then
// completed, as the worker host does.

const engine = new CamundaAdminClient({ baseUrl: STACK.engineUrl });
const WORKER = 'decision-kinds-test';
let t: TestApproval;
let worker: IssueDecisionWorker;
const flows: TestFlow[] = [];
let seq = Math.floor(Math.random() * 1e6);

beforeAll(async () => {
  t = await startTestApproval();
  worker = t.app.get(IssueDecisionWorker, { strict: false });
});
afterAll(async () => {
  await t?.close();
  for (const f of flows) await f.remove();
});

async function deploy(file: string, processId: string): Promise<TestFlow> {
  const f = await deployLibraryTestFlow(file, processId);
  flows.push(f);
  return f;
}

/** Records the case as start-case does, then starts it on the engine. */
async function startCase(flow: TestFlow, variables: Record<string, unknown> = {}): Promise<{ caseNumber: string; pid: string }> {
  const caseNumber = `449900-20261203-${String(++seq).padStart(9, '0')}`;
  await t.ownerQuery(
    `INSERT INTO cases (case_number, application_id, tenant_id, matter_code, matter_name, department_code, process_key, status, accepted_at)
     VALUES ($1, $2, '449900', 'TEST', '测试事项', $3, $4, 'accepted', now())`,
    [caseNumber, randomUUID(), MARKET_SECTION, flow.key],
  );
  const instance = await engine.startByKey(flow.key, { businessKey: caseNumber, variables: { caseNumber, departmentCode: MARKET_SECTION, applicantName: '张三', timeLimitWorkingDays: 20, ...variables } });
  await t.ownerQuery(`UPDATE cases SET process_instance_id = $2, status = 'in-review', started_at = now() WHERE case_number = $1`, [caseNumber, instance.id]);
  return { caseNumber, pid: instance.id };
}

async function completeStep(pid: string, step: string, variables: Record<string, unknown> = {}): Promise<void> {
  const tasks = await engine.tasks({ processInstanceId: pid });
  expect(tasks.map((x) => x.taskDefinitionKey)).toEqual([step]);
  await engine.complete(tasks[0].id, variables);
}

/** The async-before continuation of a system step is a job: run it now instead of waiting for the job executor. */
async function runJobs(pid: string): Promise<void> {
  for (const job of await engine.jobs({ processInstanceId: pid })) await engine.executeJob(job.id).catch(() => undefined);
}

/** The instance's external task of the flow's topic, fetched and locked as the worker host fetches it. */
async function fetchTask(flow: TestFlow, pid: string): Promise<ExternalTask> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await runJobs(pid);
    const fetched = await engine.fetchAndLock({ workerId: WORKER, maxTasks: 10, topics: [{ topicName: flow.topic, lockDuration: 60_000 }] });
    const mine = fetched.find((x) => x.processInstanceId === pid);
    if (mine) {
      const variables = Object.fromEntries(Object.entries(mine.variables ?? {}).map(([k, v]) => [k, (v as { value: unknown }).value]));
      return { id: mine.id, topic: mine.topicName, processInstanceId: mine.processInstanceId, businessKey: mine.businessKey, tenantId: mine.tenantId, activityId: mine.activityId, retries: mine.retries, variables };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no ${flow.topic} task for ${pid}`);
}

/** Works the task with approval's worker and completes it with the variables it returns, as the worker host does. */
async function work(flow: TestFlow, pid: string): Promise<{ decision: string; documentNumber: string }> {
  const task = await fetchTask(flow, pid);
  const done = await worker.handle(task);
  await engine.completeExternalTask(task.id, WORKER, done);
  return done;
}

const decisionsOf = (caseNumber: string) =>
  t.ownerQuery<{ decision: string; document_number: string; revokes_document_number: string | null }>('SELECT decision, document_number, revokes_document_number FROM decisions WHERE case_number = $1 ORDER BY decided_at', [caseNumber]);
const outbox = (caseNumber: string, type: string) => t.ownerQuery<{ payload: { data: Record<string, unknown> } }>(`SELECT payload FROM outbox WHERE key = $1 AND type = $2 ORDER BY seq`, [caseNumber, type]);
const caseStatus = async (caseNumber: string) => (await t.ownerQuery<{ status: string }>('SELECT status FROM cases WHERE case_number = $1', [caseNumber]))[0]?.status;

async function instanceState(pid: string): Promise<string | undefined> {
  const [h] = await engine.historicProcessInstances({ processInstanceId: pid });
  return h?.state;
}

describe('the decisions the flow library issues', () => {
  it('issues a filing receipt (备) for a filing case, announced as decided `filed`, and the flow ends at 已备案', async () => {
    // given a filing case whose formal check passed
    const flow = await deploy('filing.bpmn', 'filing');
    const { caseNumber, pid } = await startCase(flow);
    await completeStep(pid, 'FormalCheck', { decision: 'filed' });
    // when the system step is worked
    const done = await work(flow, pid);
    // then
    expect(done).toEqual({ decision: 'filed', documentNumber: expect.stringMatching(/^449900-11449900000000111Y-备〔\d{4}〕\d{6}号$/) });
    expect(await decisionsOf(caseNumber)).toEqual([{ decision: 'filed', document_number: done.documentNumber, revokes_document_number: null }]);
    expect(await caseStatus(caseNumber)).toBe('decided');
    const [decided] = await outbox(caseNumber, 'gov.approval.case.decided');
    expect(decided.payload.data).toMatchObject({ decision: 'filed', documentNumber: done.documentNumber });
    expect(decided.payload.data.verificationDueAt).toBeUndefined();
    expect(await instanceState(pid)).toBe('COMPLETED');
  });

  it('issues one decision when the worker runs twice on the same task, even at once', async () => {
    // given a filing case at its system step
    const flow = await deploy('filing.bpmn', 'filing');
    const { caseNumber, pid } = await startCase(flow);
    await completeStep(pid, 'FormalCheck', { decision: 'filed' });
    const task = await fetchTask(flow, pid);
    // when the worker handles it twice at once (a second worker host) and once more (a lock that expired)
    const [a, b] = await Promise.all([worker.handle(task), worker.handle(task)]);
    const c = await worker.handle(task);
    await engine.completeExternalTask(task.id, WORKER, c);
    // then one decision row, one document number, one decided event
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(await decisionsOf(caseNumber)).toHaveLength(1);
    expect(await outbox(caseNumber, 'gov.approval.case.decided')).toHaveLength(1);
  });

  it('approves a notification-commitment case with its verification due date, then revokes it on a false commitment, naming the approval it revokes', async () => {
    // given a notification-commitment case approved on the commitment, verification after 10 days
    const flow = await deploy('notification-commitment.bpmn', 'notification-commitment');
    const { caseNumber, pid } = await startCase(flow, { verificationPeriod: 'P10D' });
    await completeStep(pid, 'CommitmentCheck', { decision: 'approved' });
    const approval = await work(flow, pid);
    expect(approval.documentNumber).toMatch(/-许〔\d{4}〕\d{6}号$/);
    const [approved] = await outbox(caseNumber, 'gov.approval.case.decided');
    const decidedAt = new Date(approved.payload.data.decidedAt as string).getTime();
    expect(new Date(approved.payload.data.verificationDueAt as string).getTime()).toBe(decidedAt + 10 * 24 * 3600_000);
    // when the verification period has passed (the timer job), the commitment is found false, recorded and revoked
    const [timer] = await engine.jobs({ processInstanceId: pid });
    await engine.executeJob(timer?.id ?? '');
    await completeStep(pid, 'Verification', { commitmentFalse: true });
    await completeStep(pid, 'RecordFalseCommitment', { creditRecord: '虚假承诺：未设置冷藏设施' });
    await completeStep(pid, 'RevocationDecision', { revocationReason: '经核查，经营场所未设置承诺的冷藏设施。' });
    const revocation = await work(flow, pid);
    // then two documents: the approval and its revocation (撤销), which names it
    expect(revocation).toEqual({ decision: 'revoked', documentNumber: expect.stringMatching(/^449900-11449900000000111Y-撤销〔\d{4}〕\d{6}号$/) });
    expect(await decisionsOf(caseNumber)).toEqual([
      { decision: 'approved', document_number: approval.documentNumber, revokes_document_number: null },
      { decision: 'revoked', document_number: revocation.documentNumber, revokes_document_number: approval.documentNumber },
    ]);
    const events = await outbox(caseNumber, 'gov.approval.case.decided');
    expect(events).toHaveLength(2);
    expect(events[1].payload.data).toMatchObject({
      decision: 'revoked',
      documentNumber: revocation.documentNumber,
      revokesDocumentNumber: approval.documentNumber,
      reasons: ['经核查，经营场所未设置承诺的冷藏设施。'],
      creditRecord: '虚假承诺：未设置冷藏设施',
    });
    expect(await instanceState(pid)).toBe('COMPLETED');
    // and the officers' case view lists both documents, in the order issued
    const view = await httpRequest<{ documents: unknown[] }>(`${t.url}/cases/${caseNumber}/view`, { token: await tokenOf('chief.market') });
    expect(view.status).toBe(200);
    expect(view.body.documents).toEqual([
      { kind: 'decision', decision: 'approved', documentNumber: approval.documentNumber, revokesDocumentNumber: null },
      { kind: 'decision', decision: 'revoked', documentNumber: revocation.documentNumber, revokesDocumentNumber: approval.documentNumber },
    ]);
  });

  it('refuses a withdrawal through the flow of a case already approved (its verification pending) instead of issuing a second outcome', async () => {
    // given a notification-commitment case approved, waiting for its verification
    const flow = await deploy('notification-commitment.bpmn', 'notification-commitment');
    const { caseNumber, pid } = await startCase(flow);
    await completeStep(pid, 'CommitmentCheck', { decision: 'approved' });
    const approval = await work(flow, pid);
    // when the withdrawal message is correlated and the worker is asked for a 准予撤回
    await engine.correlateToInstance('withdrawal', pid, { withdrawalReason: '申请人撤回' });
    const task = await fetchTask(flow, pid);
    // then the task fails (an incident for an officer), and the case keeps its approval alone
    await expect(worker.handle(task)).rejects.toThrow(/already decided \(approved/);
    expect(await decisionsOf(caseNumber)).toEqual([{ decision: 'approved', document_number: approval.documentNumber, revokes_document_number: null }]);
    expect(await caseStatus(caseNumber)).toBe('decided');
    expect(await outbox(caseNumber, 'gov.approval.case.ended')).toEqual([]);
  });

  it('carries the flow\'s refusalReason on a refusal', async () => {
    // given a filing refused at its formal check, the flow naming why
    const flow = await deploy('filing.bpmn', 'filing');
    const { caseNumber, pid } = await startCase(flow);
    await completeStep(pid, 'FormalCheck', { decision: 'rejected', refusalReason: 'materials-incomplete' });
    // when
    const done = await work(flow, pid);
    // then
    expect(done.decision).toBe('rejected');
    const [decided] = await outbox(caseNumber, 'gov.approval.case.decided');
    expect(decided.payload.data).toMatchObject({ decision: 'rejected', refusalReason: 'materials-incomplete' });
  });

  it("issues one 准予撤回 for a withdrawal through the flow's message mid-review, and the window's withdrawal arriving later adds nothing", async () => {
    // given a standard-review case at the handler's review
    const flow = await deploy('standard-review.bpmn', 'standard-review');
    const { caseNumber, pid } = await startCase(flow);
    expect((await engine.tasks({ processInstanceId: pid })).map((x) => x.taskDefinitionKey)).toEqual(['HandlerReview']);
    // when the withdrawal message is correlated to the instance and its subprocess's system step is worked
    await engine.correlateToInstance('withdrawal', pid, { withdrawalReason: '申请人主动撤回' });
    const done = await work(flow, pid);
    // and intake's withdrawal of the same case arrives afterwards
    const end = t.app.get(EndCaseConsumer, { strict: false });
    const ds = t.app.get(DataSource);
    const event = makeEvent({
      type: 'gov.intake.application.withdrawn',
      source: '/intake',
      subject: caseNumber,
      data: { caseNumber, applicationId: randomUUID(), matterCode: 'TEST', departmentCode: MARKET_SECTION, tenantId: '449900', reason: '申请人主动撤回', requestedAt: new Date().toISOString(), withdrawnAt: new Date().toISOString(), acceptedBy: 'clerk.market', wasAccepted: true },
    });
    const after: (() => Promise<void>)[] = [];
    await ds.transaction((manager) => end.withdrawn(event, new InboxContext(manager, START_CASE_CONSUMER, (w) => after.push(w))));
    for (const w of after) await w();
    // then one 准予撤回 (撤), one case.ended with the flow's reason, no decided event, and the flow ended at 准予撤回
    expect(done).toEqual({ decision: 'withdrawn', documentNumber: expect.stringMatching(/^449900-11449900000000111Y-撤〔\d{4}〕\d{6}号$/) });
    expect(await decisionsOf(caseNumber)).toEqual([{ decision: 'withdrawn', document_number: done.documentNumber, revokes_document_number: null }]);
    expect(await caseStatus(caseNumber)).toBe('withdrawn');
    const ended = await outbox(caseNumber, 'gov.approval.case.ended');
    expect(ended).toHaveLength(1);
    expect(ended[0].payload.data).toMatchObject({ outcome: 'withdrawn', documentNumber: done.documentNumber, reason: '申请人主动撤回', processInstanceId: pid });
    expect(await outbox(caseNumber, 'gov.approval.case.decided')).toEqual([]);
    expect(await instanceState(pid)).toBe('COMPLETED');
    const ends = await engine.historicActivities(pid, 'noneEndEvent');
    expect(ends.map((a) => a.activityId)).toEqual(['Withdrawn']);
  });
});

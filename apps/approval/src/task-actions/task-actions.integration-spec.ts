import { createHash, randomUUID } from 'node:crypto';
import { KitErrors } from '@gov/service-kit';
import { STACK, httpRequest } from '@gov/testing';
import { type ActivityInstance, CamundaAdminClient, type Task } from '@gov/workflow';
import { ApprovalErrors } from '../errors';
import { type TestApproval, type TestCase, type TestFlow, deployLibraryTestFlow, startTestApproval, startTestCase, tokenOf } from '../testing/test-app';

// The officers' task actions over HTTP against the real engine, on a copy of the standard-review flow (which has the
// return, take-back and clock-suspension paths). Every refusal is checked to leave the engine as it was.

const E = ApprovalErrors.code;
const K = KitErrors.code;
const engine = new CamundaAdminClient({ baseUrl: STACK.engineUrl });
let t: TestApproval;
let flow: TestFlow;
let jointFlow: TestFlow;
let handler: string;
let deputy: string;
let chief: string;
let foreign: string;

const subjectOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;

beforeAll(async () => {
  flow = await deployLibraryTestFlow('standard-review.bpmn', 'standard-review');
  jointFlow = await deployLibraryTestFlow('joint-review.bpmn', 'joint-review');
  t = await startTestApproval();
  [handler, deputy, chief, foreign] = [await tokenOf('handler.market'), await tokenOf('deputy.market'), await tokenOf('chief.market'), await tokenOf('handler.resources')];
});

afterAll(async () => {
  await t?.close();
  await flow?.remove();
  await jointFlow?.remove();
});

const newCase = (): Promise<TestCase> => startTestCase(flow, (sql, params) => t.ownerQuery(sql, params));
const post = (path: string, token: string, body?: unknown, key: string = randomUUID()) =>
  httpRequest<Record<string, unknown>>(`${t.url}${path}`, { method: 'POST', token, ...(body === undefined ? {} : { body }), headers: { 'idempotency-key': key } });
const claim = async (taskId: string, token: string) => expect((await httpRequest(`${t.url}/tasks/${taskId}/claim`, { method: 'POST', token })).status).toBe(204);
const complete = async (taskId: string, token: string) =>
  expect((await post(`/tasks/${taskId}/complete`, token, { outcome: 'approve', opinion: '材料齐全，拟同意。' })).status).toBe(200);

/** The open steps of a case as the engine has them (id, step, assignee), for "changes nothing". */
async function openSteps(c: TestCase): Promise<Array<Pick<Task, 'id' | 'taskDefinitionKey' | 'assignee'>>> {
  return (await engine.tasks({ processInstanceId: c.processInstanceId })).map((x) => ({ id: x.id, taskDefinitionKey: x.taskDefinitionKey, assignee: x.assignee }));
}

async function only(c: TestCase, step: string): Promise<Task> {
  const tasks = await engine.tasks({ processInstanceId: c.processInstanceId });
  expect(tasks.map((x) => x.taskDefinitionKey)).toEqual([step]);
  return tasks[0];
}

function activities(tree: ActivityInstance, activityId: string): number {
  return (tree.activityId === activityId ? 1 : 0) + tree.childActivityInstances.reduce((n, ch) => n + activities(ch, activityId), 0);
}

/** The events approval wrote to its outbox for a case (the relay may have published them already; the rows stay). */
const eventsOf = async (caseNumber: string) =>
  (await t.ownerQuery<{ type: string; payload: { data: Record<string, unknown> } }>(`SELECT type, payload FROM outbox WHERE key = $1 ORDER BY seq`, [caseNumber])).map((r) => ({
    type: r.type,
    data: r.payload.data,
  }));

const actionsOf = (caseNumber: string) =>
  t.ownerQuery<{ action: string; task_id: string | null; officer_id: string; reason: string | null; details: Record<string, unknown> }>(
    `SELECT action, task_id, officer_id, reason, details FROM case_actions WHERE case_number = $1 ORDER BY chain_seq`,
    [caseNumber],
  );

describe('POST /tasks/:taskId/unclaim', () => {
  it('releases the step its holder claimed back to the group, and records who released it', async () => {
    // given
    const c = await newCase();
    await claim(c.taskId, handler);
    // when
    const res = await post(`/tasks/${c.taskId}/unclaim`, handler);
    // then
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ caseNumber: c.caseNumber, action: 'unclaim', taskId: c.taskId, step: 'HandlerReview' }));
    expect((await engine.task(c.taskId)).assignee).toBeNull();
    expect(await actionsOf(c.caseNumber)).toEqual([expect.objectContaining({ action: 'unclaim', task_id: c.taskId, officer_id: subjectOf(handler), details: { releasedFrom: subjectOf(handler) } })]);
  });

  it("lets the section chief release an officer's claim, and refuses another officer (403) and an unclaimed step (409)", async () => {
    // given a step the deputy holds
    const c = await newCase();
    await claim(c.taskId, deputy);
    // when the handler (same group, not the holder) and an officer of another organisation try to release it
    const other = await post(`/tasks/${c.taskId}/unclaim`, handler);
    const outsider = await post(`/tasks/${c.taskId}/unclaim`, foreign);
    // then both are refused and the deputy still holds it
    expect([other.status, other.body.error]).toEqual([403, E.StepHeldByOther]);
    expect([outsider.status, outsider.body.error]).toEqual([403, E.NotYourStep]);
    expect((await engine.task(c.taskId)).assignee).toBe(subjectOf(deputy));
    // when the section chief releases it
    const byChief = await post(`/tasks/${c.taskId}/unclaim`, chief);
    expect(byChief.status).toBe(200);
    expect((await engine.task(c.taskId)).assignee).toBeNull();
    // then a second release finds nothing to release
    const again = await post(`/tasks/${c.taskId}/unclaim`, chief);
    expect([again.status, again.body.error]).toEqual([409, E.StepNotClaimed]);
    expect((await actionsOf(c.caseNumber)).map((a) => a.action)).toEqual(['unclaim']);
  });

  it('requires an Idempotency-Key, and replays a retry with the same key', async () => {
    const c = await newCase();
    await claim(c.taskId, handler);
    const noKey = await post(`/tasks/${c.taskId}/unclaim`, handler, undefined, '');
    expect([noKey.status, noKey.body.error]).toEqual([400, K.IdempotencyKeyMissing]);
    expect((await engine.task(c.taskId)).assignee).toBe(subjectOf(handler));
    const key = randomUUID();
    const first = await post(`/tasks/${c.taskId}/unclaim`, handler, undefined, key);
    const retry = await post(`/tasks/${c.taskId}/unclaim`, handler, undefined, key);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await actionsOf(c.caseNumber)).toHaveLength(1);
  });
});

describe('POST /tasks/:taskId/return', () => {
  it('returns the case from the chief to the handler with the reason, and the handler’s completion goes back to the chief', async () => {
    // given a case at the chief's review
    const c = await newCase();
    await complete(c.taskId, handler);
    const chiefStep = await only(c, 'ChiefReview');
    await claim(chiefStep.id, chief);
    // when the chief returns it to the handler
    const key = randomUUID();
    const res = await post(`/tasks/${chiefStep.id}/return`, chief, { toStep: 'HandlerReview', reason: '缺少现场核查记录' }, key);
    // then the chief's step is cancelled, the handler's is open again with the reason, and the action is recorded
    expect(res.status).toBe(200);
    const reopened = await only(c, 'HandlerReview');
    expect(res.body).toEqual(expect.objectContaining({ action: 'return', taskId: chiefStep.id, step: 'ChiefReview', openedTaskId: reopened.id }));
    expect(await engine.variable(c.processInstanceId, 'returnReason')).toBe('缺少现场核查记录');
    expect(await engine.variable(c.processInstanceId, 'returnedBy')).toBe('ChiefReview');
    expect(await actionsOf(c.caseNumber)).toEqual([expect.objectContaining({ action: 'return', officer_id: subjectOf(chief), reason: '缺少现场核查记录', details: { toStep: 'HandlerReview', openedTaskId: reopened.id } })]);
    expect(await eventsOf(c.caseNumber)).toEqual([
      { type: 'gov.approval.case.returned', data: expect.objectContaining({ caseNumber: c.caseNumber, stepId: 'HandlerReview', by: '处长李强', reason: '缺少现场核查记录' }) as unknown },
    ]);
    // and a retry with the same key replays the answer, changing nothing more
    const retry = await post(`/tasks/${chiefStep.id}/return`, chief, { toStep: 'HandlerReview', reason: '缺少现场核查记录' }, key);
    expect([retry.status, retry.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect((await openSteps(c)).map((s) => s.id)).toEqual([reopened.id]);
    // when the handler completes again, the case is at the chief's review again
    await complete(reopened.id, handler);
    await only(c, 'ChiefReview');
  });

  it('refuses a missing reason (400), a step not in the flow (400), a step not yet passed or the step itself (409), changing nothing', async () => {
    // given a case at the chief's review
    const c = await newCase();
    await complete(c.taskId, handler);
    const chiefStep = await only(c, 'ChiefReview');
    const before = await openSteps(c);
    // when
    const noReason = await post(`/tasks/${chiefStep.id}/return`, chief, { toStep: 'HandlerReview' });
    const unknown = await post(`/tasks/${chiefStep.id}/return`, chief, { toStep: 'NoSuchStep', reason: '退回重审' });
    const later = await post(`/tasks/${chiefStep.id}/return`, chief, { toStep: 'LeaderReview', reason: '退回重审' });
    const itself = await post(`/tasks/${chiefStep.id}/return`, chief, { toStep: 'ChiefReview', reason: '退回重审' });
    const outsider = await post(`/tasks/${chiefStep.id}/return`, foreign, { toStep: 'HandlerReview', reason: '退回重审' });
    // then
    expect([noReason.status, noReason.body.error]).toEqual([400, K.ValidationFailed]);
    expect([unknown.status, unknown.body.error]).toEqual([400, E.ReturnStepUnknown]);
    expect([later.status, later.body.error]).toEqual([409, E.ReturnStepNotEarlier]);
    expect([itself.status, itself.body.error]).toEqual([409, E.ReturnStepNotEarlier]);
    expect([outsider.status, outsider.body.error]).toEqual([403, E.NotYourStep]);
    expect(await openSteps(c)).toEqual(before);
    expect(await engine.variable(c.processInstanceId, 'returnedBy')).toBeUndefined();
    expect(await actionsOf(c.caseNumber)).toEqual([]);
    expect(await eventsOf(c.caseNumber)).toEqual([]);
  });
});

describe('POST /tasks/:taskId/take-back', () => {
  it('takes back the officer’s own completion while the next step is unclaimed, reopening their step claimed by them', async () => {
    // given the handler completed and the chief's step is unclaimed
    const c = await newCase();
    await complete(c.taskId, handler);
    const chiefStep = await only(c, 'ChiefReview');
    // when
    const res = await post(`/tasks/${c.taskId}/take-back`, handler);
    // then
    expect(res.status).toBe(200);
    const reopened = await only(c, 'HandlerReview');
    expect(reopened.assignee).toBe(subjectOf(handler));
    expect(res.body).toEqual(expect.objectContaining({ action: 'take-back', taskId: c.taskId, step: 'HandlerReview', openedTaskId: reopened.id }));
    await expect(engine.task(chiefStep.id)).rejects.toThrow();
    expect(await actionsOf(c.caseNumber)).toEqual([expect.objectContaining({ action: 'take-back', officer_id: subjectOf(handler), details: { cancelled: [{ taskId: chiefStep.id, step: 'ChiefReview' }], openedTaskId: reopened.id } })]);
    // and the handler's worklist shows the step as theirs at once (not unassigned until a reconciliation)
    expect(await t.ownerQuery('SELECT assignee FROM open_steps WHERE task_id = $1', [reopened.id])).toEqual([{ assignee: subjectOf(handler) }]);
  });

  it('refuses another officer (409), an open step (409), a claimed next step (409) and a next step done (409), changing nothing', async () => {
    // given the handler completed
    const c = await newCase();
    await complete(c.taskId, handler);
    const chiefStep = await only(c, 'ChiefReview');
    // when someone else, or for a task that is still open
    const notMine = await post(`/tasks/${c.taskId}/take-back`, deputy);
    const open = await post(`/tasks/${chiefStep.id}/take-back`, chief);
    const outsider = await post(`/tasks/${c.taskId}/take-back`, foreign);
    expect([notMine.status, notMine.body.error]).toEqual([409, E.NotYourCompletion]);
    expect([open.status, open.body.error]).toEqual([409, E.NotYourCompletion]);
    expect([outsider.status, outsider.body.error]).toEqual([403, E.NotYourStep]);
    // when the chief has claimed the next step
    await claim(chiefStep.id, chief);
    const before = await openSteps(c);
    const claimed = await post(`/tasks/${c.taskId}/take-back`, handler);
    expect([claimed.status, claimed.body.error]).toEqual([409, E.NextStepClaimed]);
    expect(await openSteps(c)).toEqual(before);
    // when the chief has completed it
    await complete(chiefStep.id, chief);
    const moved = await openSteps(c);
    const done = await post(`/tasks/${c.taskId}/take-back`, handler);
    expect([done.status, done.body.error]).toEqual([409, E.NextStepDone]);
    expect(await openSteps(c)).toEqual(moved);
    expect(await actionsOf(c.caseNumber)).toEqual([]);
  });
});

describe('POST /tasks/:taskId/transfer', () => {
  it('transfers the step to another officer of its group, with the reason', async () => {
    // given
    const c = await newCase();
    await claim(c.taskId, handler);
    // when
    const res = await post(`/tasks/${c.taskId}/transfer`, handler, { toOfficer: subjectOf(deputy), reason: '承办人出差，转同科室办理' });
    // then
    expect(res.status).toBe(200);
    expect((await engine.task(c.taskId)).assignee).toBe(subjectOf(deputy));
    expect(await actionsOf(c.caseNumber)).toEqual([
      expect.objectContaining({ action: 'transfer', reason: '承办人出差，转同科室办理', details: expect.objectContaining({ from: subjectOf(handler), to: subjectOf(deputy) }) as unknown }),
    ]);
  });

  it('refuses a target outside the step’s groups (400), no reason (400), an unclaimed step (409), the holder (409) and a non-holder (403), changing nothing', async () => {
    // given
    const c = await newCase();
    const unclaimed = await post(`/tasks/${c.taskId}/transfer`, handler, { toOfficer: subjectOf(deputy), reason: '转办' });
    expect([unclaimed.status, unclaimed.body.error]).toEqual([409, E.StepNotClaimed]);
    await claim(c.taskId, handler);
    // when
    const toChief = await post(`/tasks/${c.taskId}/transfer`, handler, { toOfficer: subjectOf(chief), reason: '转办' });
    const toForeign = await post(`/tasks/${c.taskId}/transfer`, handler, { toOfficer: subjectOf(foreign), reason: '转办' });
    const toNobody = await post(`/tasks/${c.taskId}/transfer`, handler, { toOfficer: randomUUID(), reason: '转办' });
    const noReason = await post(`/tasks/${c.taskId}/transfer`, handler, { toOfficer: subjectOf(deputy) });
    const toHolder = await post(`/tasks/${c.taskId}/transfer`, handler, { toOfficer: subjectOf(handler), reason: '转办' });
    const byOther = await post(`/tasks/${c.taskId}/transfer`, deputy, { toOfficer: subjectOf(deputy), reason: '转办' });
    // then
    expect([toChief.status, toChief.body.error]).toEqual([400, E.TransferTargetNotEligible]);
    expect([toForeign.status, toForeign.body.error]).toEqual([400, E.TransferTargetNotEligible]);
    expect([toNobody.status, toNobody.body.error]).toEqual([400, E.TransferTargetNotEligible]);
    expect([noReason.status, noReason.body.error]).toEqual([400, K.ValidationFailed]);
    expect([toHolder.status, toHolder.body.error]).toEqual([409, E.TransferToHolder]);
    expect([byOther.status, byOther.body.error]).toEqual([403, E.StepHeldByOther]);
    expect((await engine.task(c.taskId)).assignee).toBe(subjectOf(handler));
    expect(await actionsOf(c.caseNumber)).toEqual([]);
  });
});

describe('POST /cases/:caseNumber/suspensions and …/current/resume', () => {
  it('suspends the clock once (a second suspension is refused), and resumes it; the steps stay open throughout', async () => {
    // given the handler holds the open step
    const c = await newCase();
    await claim(c.taskId, handler);
    // when
    const res = await post(`/cases/${c.caseNumber}/suspensions`, handler, { reason: 'expert-review', expectedDays: 10 });
    const second = await post(`/cases/${c.caseNumber}/suspensions`, chief, { reason: 'hearing', expectedDays: 5 });
    // then
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ caseNumber: c.caseNumber, action: 'suspend' }));
    expect([second.status, second.body.error]).toEqual([409, E.SuspensionOpen]);
    expect(activities(await engine.activityInstances(c.processInstanceId), 'ClockResumed')).toBe(1);
    expect(await engine.variable(c.processInstanceId, 'suspensionReason')).toBe('expert-review');
    expect((await openSteps(c)).map((s) => s.id)).toEqual([c.taskId]);
    // and the case's actions show the open suspension to its officers and supervisors, not to another organisation
    const view = await httpRequest<{ openSuspension: Record<string, unknown> | null; actions: Array<Record<string, unknown>> }>(`${t.url}/cases/${c.caseNumber}/actions`, { token: chief });
    expect(view.status).toBe(200);
    expect(view.body.openSuspension).toEqual(expect.objectContaining({ reason: 'expert-review', expectedDays: 10, suspendedBy: subjectOf(handler) }));
    expect(view.body.actions).toEqual([expect.objectContaining({ action: 'suspend', officerId: subjectOf(handler), reason: 'expert-review' })]);
    expect((await httpRequest(`${t.url}/cases/${c.caseNumber}/actions`, { token: await tokenOf('supervisor') })).status).toBe(200);
    expect((await httpRequest(`${t.url}/cases/${c.caseNumber}/actions`, { token: foreign })).status).toBe(403);
    // when the clock is resumed
    const resumed = await post(`/cases/${c.caseNumber}/suspensions/current/resume`, handler);
    const again = await post(`/cases/${c.caseNumber}/suspensions/current/resume`, handler);
    // then
    expect(resumed.status).toBe(200);
    expect([again.status, again.body.error]).toEqual([409, E.NoOpenSuspension]);
    expect(activities(await engine.activityInstances(c.processInstanceId), 'ClockResumed')).toBe(0);
    expect((await httpRequest<{ openSuspension: unknown }>(`${t.url}/cases/${c.caseNumber}/actions`, { token: handler })).body.openSuspension).toBeNull();
    expect((await actionsOf(c.caseNumber)).map((a) => [a.action, a.reason])).toEqual([
      ['suspend', 'expert-review'],
      ['resume', 'expert-review'],
    ]);
    const suspensionId = String(((await actionsOf(c.caseNumber))[0]?.details ?? {}).suspensionId);
    expect(await eventsOf(c.caseNumber)).toEqual([
      { type: 'gov.approval.step.suspended', data: expect.objectContaining({ caseNumber: c.caseNumber, suspensionId, stepId: null, reason: 'expert-review', statedWorkingDays: 10 }) as unknown },
      { type: 'gov.approval.step.resumed', data: expect.objectContaining({ caseNumber: c.caseNumber, suspensionId }) as unknown },
    ]);
  });

  it('refuses a reason not on the list and a bad number of days (400), an officer not on the case (403), and a case not running (409), changing nothing', async () => {
    // given
    const c = await newCase();
    // when
    const bad = await Promise.all([
      post(`/cases/${c.caseNumber}/suspensions`, chief, { reason: 'holiday', expectedDays: 3 }),
      post(`/cases/${c.caseNumber}/suspensions`, chief, { expectedDays: 3 }),
      post(`/cases/${c.caseNumber}/suspensions`, chief, { reason: 'hearing', expectedDays: 0 }),
      post(`/cases/${c.caseNumber}/suspensions`, chief, { reason: 'hearing', expectedDays: 1.5 }),
    ]);
    const notHolding = await post(`/cases/${c.caseNumber}/suspensions`, handler, { reason: 'hearing', expectedDays: 3 });
    const outsider = await post(`/cases/${c.caseNumber}/suspensions`, foreign, { reason: 'hearing', expectedDays: 3 });
    const noSuspension = await post(`/cases/${c.caseNumber}/suspensions/current/resume`, chief);
    // then
    expect(bad.map((r) => [r.status, r.body.error])).toEqual(Array(4).fill([400, K.ValidationFailed]));
    expect([notHolding.status, notHolding.body.error]).toEqual([403, E.NotYourCase]);
    expect([outsider.status, outsider.body.error]).toEqual([403, E.NotYourCase]);
    expect([noSuspension.status, noSuspension.body.error]).toEqual([409, E.NoOpenSuspension]);
    expect(activities(await engine.activityInstances(c.processInstanceId), 'ClockResumed')).toBe(0);
    // when the instance is gone from the engine (approval still has the case as in review)
    await engine.deleteProcessInstance(c.processInstanceId, 'test: instance gone');
    const gone = await post(`/cases/${c.caseNumber}/suspensions`, chief, { reason: 'hearing', expectedDays: 3 });
    // then the suspension is refused and no suspension is left open in approval
    expect([gone.status, gone.body.error]).toEqual([409, E.SuspensionNotPossible]);
    expect(await t.ownerQuery(`SELECT id FROM case_suspensions WHERE case_number = $1`, [c.caseNumber])).toEqual([]);
    expect(await actionsOf(c.caseNumber)).toEqual([]);
    expect(await eventsOf(c.caseNumber)).toEqual([]);
  });
});

describe('concurrent actions', () => {
  it('lets one of two officers suspend a case at the same moment; the other gets 409 and the engine has one suspension', async () => {
    // given the handler holds the open step; the chief leads the section
    const c = await newCase();
    await claim(c.taskId, handler);
    // when both suspend at once
    const answers = await Promise.all([
      post(`/cases/${c.caseNumber}/suspensions`, handler, { reason: 'inspection', expectedDays: 3 }),
      post(`/cases/${c.caseNumber}/suspensions`, chief, { reason: 'testing', expectedDays: 4 }),
    ]);
    // then
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)?.body.error).toBe(E.SuspensionOpen);
    expect(activities(await engine.activityInstances(c.processInstanceId), 'ClockResumed')).toBe(1);
    expect((await actionsOf(c.caseNumber)).map((a) => a.action)).toEqual(['suspend']);
  });

  it('carries out one of two returns of the same step sent at once, refusing the other with a 4xx, never a 5xx', async () => {
    // given a case at the chief's review
    const c = await newCase();
    await complete(c.taskId, handler);
    const chiefStep = await only(c, 'ChiefReview');
    // when the chief sends the return twice at once (two keys: two tabs)
    const answers = await Promise.all([
      post(`/tasks/${chiefStep.id}/return`, chief, { toStep: 'HandlerReview', reason: '材料不全，退回补充' }),
      post(`/tasks/${chiefStep.id}/return`, chief, { toStep: 'HandlerReview', reason: '材料不全，退回补充' }),
    ]);
    // then one return happened: one handler step is open, one action recorded
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).toBeGreaterThanOrEqual(400);
    expect(statuses[1]).toBeLessThan(500);
    await only(c, 'HandlerReview');
    expect((await actionsOf(c.caseNumber)).map((a) => a.action)).toEqual(['return']);
  });

  it('carries out one of two take-backs sent at once, refusing the other with a 4xx', async () => {
    // given the handler completed and the chief's step is unclaimed
    const c = await newCase();
    await complete(c.taskId, handler);
    await only(c, 'ChiefReview');
    // when
    const answers = await Promise.all([post(`/tasks/${c.taskId}/take-back`, handler), post(`/tasks/${c.taskId}/take-back`, handler)]);
    // then
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).toBeGreaterThanOrEqual(400);
    expect(statuses[1]).toBeLessThan(500);
    await only(c, 'HandlerReview');
    expect((await actionsOf(c.caseNumber)).map((a) => a.action)).toEqual(['take-back']);
  });
});

describe('POST /tasks/:taskId/joint-meeting', () => {
  it('sends a joint-review case from the lead’s consolidation to the joint meeting (联合会审) with the reason', async () => {
    // given a joint-review case at the lead's consolidation, held by the handler
    const c = await startTestCase(jointFlow, (sql, params) => t.ownerQuery(sql, params));
    await complete(c.taskId, handler);
    const consolidate = await only(c, 'Consolidate');
    await claim(consolidate.id, handler);
    // when
    const res = await post(`/tasks/${consolidate.id}/joint-meeting`, handler, { reason: '协办部门意见分歧，提请联合会审' });
    // then
    expect(res.status).toBe(200);
    const meeting = await only(c, 'JointMeeting');
    expect(res.body).toEqual(expect.objectContaining({ action: 'joint-meeting', taskId: consolidate.id, step: 'Consolidate', openedTaskId: meeting.id }));
    expect(await engine.variable(c.processInstanceId, 'meetingReason')).toBe('协办部门意见分歧，提请联合会审');
    expect(await actionsOf(c.caseNumber)).toEqual([expect.objectContaining({ action: 'joint-meeting', reason: '协办部门意见分歧，提请联合会审', details: { meetingStep: 'JointMeeting', openedTaskId: meeting.id } })]);
  });

  it('refuses a step that leads to no meeting (409), no reason (400) and an officer of another organisation (403), changing nothing', async () => {
    // given a standard-review case at the handler's review (the next step is the chief's, not the meeting)
    const c = await newCase();
    await claim(c.taskId, handler);
    const before = await openSteps(c);
    // when
    const noMeeting = await post(`/tasks/${c.taskId}/joint-meeting`, handler, { reason: '提请办公会' });
    const noReason = await post(`/tasks/${c.taskId}/joint-meeting`, handler, {});
    const outsider = await post(`/tasks/${c.taskId}/joint-meeting`, foreign, { reason: '提请办公会' });
    // then
    expect([noMeeting.status, noMeeting.body.error]).toEqual([409, E.NoMeetingFromHere]);
    expect([noReason.status, noReason.body.error]).toEqual([400, K.ValidationFailed]);
    expect([outsider.status, outsider.body.error]).toEqual([403, E.NotYourStep]);
    expect(await openSteps(c)).toEqual(before);
    expect(await actionsOf(c.caseNumber)).toEqual([]);
  });
});

describe('Idempotency-Key of an action', () => {
  it('answers 409 ActionInProgress while the same request is under way, and lets a retry take over one left pending by a dead process', async () => {
    // given a key left pending by a request that is still running (recent) and one left by a process that died (old)
    const c = await newCase();
    await claim(c.taskId, handler);
    const scope = `unclaim:${c.taskId}:${subjectOf(handler)}`;
    const [running, dead] = [randomUUID(), randomUUID()];
    const hash = createHash('sha256').update(JSON.stringify({})).digest('hex');
    await t.ownerQuery(`INSERT INTO case_action_requests (scope, key, request_hash, status) VALUES ($1, $2, $3, 'pending')`, [scope, running, hash]);
    await t.ownerQuery(`INSERT INTO case_action_requests (scope, key, request_hash, status, created_at) VALUES ($1, $2, $3, 'pending', now() - interval '10 minutes')`, [scope, dead, hash]);
    // when
    const inProgress = await post(`/tasks/${c.taskId}/unclaim`, handler, undefined, running);
    // then the running one is not done a second time
    expect([inProgress.status, inProgress.body.error]).toEqual([409, E.ActionInProgress]);
    expect((await engine.task(c.taskId)).assignee).toBe(subjectOf(handler));
    // when the dead one's retry arrives
    const retried = await post(`/tasks/${c.taskId}/unclaim`, handler, undefined, dead);
    // then it is carried out and recorded once
    expect(retried.status).toBe(200);
    expect((await engine.task(c.taskId)).assignee).toBeNull();
    expect((await actionsOf(c.caseNumber)).map((a) => a.action)).toEqual(['unclaim']);
    expect(await t.ownerQuery(`SELECT status FROM case_action_requests WHERE scope = $1 AND key = $2`, [scope, dead])).toEqual([{ status: 'done' }]);
  });
});

describe('the case-actions ledger', () => {
  it('refuses updates and deletes, and GET /case-actions/verify finds a record edited around the triggers', async () => {
    // given a recorded action
    const c = await newCase();
    await claim(c.taskId, handler);
    expect((await post(`/tasks/${c.taskId}/unclaim`, handler)).status).toBe(200);
    const supervisor = await tokenOf('supervisor');
    // when the table is written to directly, and then edited with the triggers off
    const update = t.ownerQuery(`UPDATE case_actions SET reason = 'x' WHERE case_number = $1`, [c.caseNumber]);
    const remove = t.ownerQuery(`DELETE FROM case_actions WHERE case_number = $1`, [c.caseNumber]);
    await expect(update).rejects.toThrow(/append-only/);
    await expect(remove).rejects.toThrow(/append-only/);
    const intact = await httpRequest<{ ok: boolean; ledger: string }>(`${t.url}/case-actions/verify`, { token: supervisor });
    await t.superQuery(`ALTER TABLE case_actions DISABLE TRIGGER USER`);
    await t.superQuery(`UPDATE case_actions SET officer_label = '他人' WHERE case_number = $1`, [c.caseNumber]);
    await t.superQuery(`ALTER TABLE case_actions ENABLE TRIGGER USER`);
    const broken = await httpRequest<{ ok: boolean; firstBroken: { partition: string; reason: string } | null }>(`${t.url}/case-actions/verify`, { token: supervisor });
    const byOfficer = await httpRequest(`${t.url}/case-actions/verify`, { token: handler });
    // then
    expect(intact.body).toMatchObject({ ok: true, ledger: 'approval.case-actions' });
    expect(broken.body).toMatchObject({ ok: false, firstBroken: { partition: c.caseNumber, reason: 'content-edited' } });
    expect(byOfficer.status).toBe(403);
  });
});

describe('the OpenAPI document', () => {
  it("lists each task action with its Idempotency-Key and every error code it answers", async () => {
    // given
    const docs = await httpRequest<{ paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required?: boolean }>; responses: Record<string, { content?: { 'application/json'?: { schema?: { properties?: { error?: { enum?: string[] } } } } } }> }>> }>(`${t.url}/docs-json`);
    const codes = (path: string, method = 'post'): string[] =>
      Object.values(docs.body.paths[path]?.[method]?.responses ?? {}).flatMap((r) => r.content?.['application/json']?.schema?.properties?.error?.enum ?? []);
    const keyed = (path: string): boolean => (docs.body.paths[path]?.['post']?.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key' && p.required === true);
    // then
    const expected: Record<string, string[]> = {
      '/tasks/{taskId}/unclaim': [E.StepNotClaimed, E.StepHeldByOther, E.NotYourStep, K.IdempotencyKeyMissing, K.IdempotencyKeyReused],
      '/tasks/{taskId}/return': [E.ReturnStepUnknown, E.ReturnStepNotEarlier, E.StepHeldByOther, K.ValidationFailed, K.IdempotencyKeyReused],
      '/tasks/{taskId}/take-back': [E.NotYourCompletion, E.NextStepClaimed, E.NextStepDone, K.IdempotencyKeyMissing],
      '/tasks/{taskId}/transfer': [E.TransferTargetNotEligible, E.TransferToHolder, E.IdentityUnavailable, K.ValidationFailed],
      '/tasks/{taskId}/joint-meeting': [E.NoMeetingFromHere, K.ValidationFailed],
      '/cases/{caseNumber}/suspensions': [E.SuspensionOpen, E.SuspensionNotPossible, E.NotYourCase, K.ValidationFailed, K.IdempotencyKeyReused],
      '/cases/{caseNumber}/suspensions/current/resume': [E.NoOpenSuspension, E.NotYourCase, K.IdempotencyKeyMissing],
    };
    for (const [path, want] of Object.entries(expected)) {
      expect({ path, keyed: keyed(path) }).toEqual({ path, keyed: true });
      expect({ path, codes: codes(path) }).toEqual({ path, codes: expect.arrayContaining(want) as unknown });
    }
  });
});

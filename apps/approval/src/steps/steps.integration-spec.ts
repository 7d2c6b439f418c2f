import { randomUUID } from 'node:crypto';
import { KitErrors } from '@gov/service-kit';
import { httpRequest, sql } from '@gov/testing';
import { ApprovalErrors } from '../errors';
import { type TestApproval, type TestFlow, deployTestFlow, startTestApproval, startTestCase, tokenOf } from '../testing/test-app';

const E = ApprovalErrors.code;
let t: TestApproval;
let flow: TestFlow;
let handler: string;

beforeAll(async () => {
  flow = await deployTestFlow();
  t = await startTestApproval();
  handler = await tokenOf('handler.market');
});

afterAll(async () => {
  await t?.close();
  await flow?.remove();
});

const newCase = () => startTestCase(flow, (sql, params) => t.ownerQuery(sql, params));
const complete = (taskId: string, token: string, body: unknown = { outcome: 'approve', opinion: '材料齐全，拟同意。' }, key: string = randomUUID()) =>
  httpRequest<Record<string, unknown>>(`${t.url}/tasks/${taskId}/complete`, { token, body, headers: { 'idempotency-key': key } });

describe('POST /tasks/:taskId/complete', () => {
  it('completes the step, appends the opinion and opens the next step', async () => {
    // given
    const c = await newCase();
    // when
    const res = await complete(c.taskId, handler);
    // then
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ taskId: c.taskId, caseNumber: c.caseNumber, step: 'HandlerReview', outcome: 'approve' });
    const opinions = await t.ownerQuery<{ task_id: string; hash: string }>('SELECT task_id, hash FROM opinions WHERE case_number = $1', [c.caseNumber]);
    expect(opinions).toEqual([{ task_id: c.taskId, hash: res.body.opinionHash }]);
    const open = await flow.engine.tasks({ processInstanceId: c.processInstanceId });
    expect(open.map((task) => task.taskDefinitionKey)).toEqual(['ChiefReview']);
    expect(await t.ownerQuery('SELECT status FROM pending_completions WHERE task_id = $1', [c.taskId])).toEqual([{ status: 'confirmed' }]);
  });

  it("names the completing officer's role:org groups on the engine's step.completed event (actorGroups)", async () => {
    // given
    const c = await newCase();
    // when
    expect((await complete(c.taskId, handler)).status).toBe(200);
    // then the engine's own event for the step (its outbox, written in the completion's transaction) carries them
    const [row] = await sql<{ groups: string[] }>('engine', `SELECT payload->'data'->'actorGroups' AS groups FROM outbox WHERE type = 'gov.approval.step.completed' AND payload->'data'->>'taskId' = $1`, [c.taskId]);
    expect(row?.groups).toEqual(expect.arrayContaining([expect.stringMatching(/^handler:/)]));
    expect(await t.ownerQuery('SELECT actor_groups FROM pending_completions WHERE task_id = $1', [c.taskId])).toEqual([{ actor_groups: row?.groups }]);
  });

  it('replays the result for a retry with the same Idempotency-Key, and refuses the key for another request', async () => {
    // given
    const c = await newCase();
    const key = randomUUID();
    const first = await complete(c.taskId, handler, undefined, key);
    // when
    const retry = await complete(c.taskId, handler, undefined, key);
    const other = await complete(c.taskId, handler, { outcome: 'reject', opinion: '不同意。' }, key);
    // then
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(other.status).toBe(409);
    expect(other.body.error).toBe(KitErrors.code.IdempotencyKeyReused);
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM opinions WHERE task_id = $1', [c.taskId])).toEqual([{ n: 1 }]);
  });

  it('answers one of several concurrent completions with 200 and the rest with 409, appending one opinion', async () => {
    // given
    const c = await newCase();
    const deputy = await tokenOf('deputy.market');
    // when
    const results = await Promise.all([handler, deputy, handler, deputy, handler].map((token) => complete(c.taskId, token)));
    // then
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect([E.StepBeingCompleted, E.StepChanged, E.StepClaimedByOther]).toContain(r.body.error);
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM opinions WHERE task_id = $1', [c.taskId])).toEqual([{ n: 1 }]);
  });

  it('answers 409 with the reason for a step that is gone (completed, or withdrawn with its case)', async () => {
    // given
    const done = await newCase();
    await complete(done.taskId, handler);
    const withdrawn = await newCase();
    await flow.engine.deleteProcessInstance(withdrawn.processInstanceId, 'application withdrawn');
    // when
    const again = await complete(done.taskId, handler);
    const gone = await complete(withdrawn.taskId, handler);
    // then
    expect(again.status).toBe(409);
    expect(again.body.error).toBe(E.StepChanged);
    expect(again.body.message).toMatch(/completed/);
    expect(gone.status).toBe(409);
    expect(gone.body.error).toBe(E.StepChanged);
    expect(gone.body.message).toMatch(/withdrawn/);
  });

  it('answers 404 with the reason for a task id that is no task', async () => {
    // when
    const res = await complete(randomUUID(), handler);
    // then
    expect(res.status).toBe(404);
    expect(res.body.error).toBe(E.StepNotFound);
    expect(res.body.message).toMatch(/No matching task/);
  });

  it('refuses officers outside the step (other organisation, other role) with 403 and records nothing', async () => {
    // given
    const c = await newCase();
    const otherOrg = await tokenOf('handler.resources');
    const chief = await tokenOf('chief.market');
    const supervisor = await tokenOf('supervisor');
    // when
    const results = await Promise.all([complete(c.taskId, otherOrg), complete(c.taskId, chief), complete(c.taskId, supervisor)]);
    // then
    expect(results.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(results[0]?.body.error).toBe(E.NotYourStep);
    expect(results[1]?.body.error).toBe(E.NotYourStep);
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM pending_completions WHERE task_id = $1', [c.taskId])).toEqual([{ n: 0 }]);
    expect((await flow.engine.task(c.taskId)).assignee).toBeNull();
  });

  it('refuses bad input with a 4xx that names it, before asking the engine', async () => {
    // given
    const c = await newCase();
    // when
    const badOutcome = await complete(c.taskId, handler, { outcome: 'maybe', opinion: '不好说。' });
    const noKey = await httpRequest(`${t.url}/tasks/${c.taskId}/complete`, { token: handler, body: { outcome: 'approve', opinion: '同意。' }, headers: { 'idempotency-key': '' } });
    const junkId = await complete('not-a-task', handler);
    const nulId = await complete('%00', handler);
    // then
    expect(badOutcome.status).toBe(400);
    expect(JSON.stringify(badOutcome.body)).toMatch(/outcome/);
    expect(noKey.status).toBe(400);
    expect(noKey.body.error).toBe(KitErrors.code.IdempotencyKeyMissing);
    expect([junkId.status, junkId.body.error]).toEqual([400, KitErrors.code.InvalidParameter]);
    expect(junkId.body.message).toMatch(/taskId/);
    expect([nulId.status, nulId.body.error]).toEqual([400, KitErrors.code.InvalidText]);
    expect((await flow.engine.task(c.taskId)).assignee).toBeNull();
  });

  it('refuses a request without a token with 401', async () => {
    const res = await httpRequest(`${t.url}/tasks/${randomUUID()}/complete`, { body: { outcome: 'approve', opinion: '同意。' } });
    expect(res.status).toBe(401);
  });
});

describe('with the engine down', () => {
  let down: TestApproval;
  beforeAll(async () => {
    down = await startTestApproval({ ENGINE_URL: 'http://127.0.0.1:9/engine-rest' });
  });
  afterAll(async () => {
    await down?.close();
  });

  it('answers 503 EngineUnavailable on claim and completion (the worklist is served from its read model)', async () => {
    // when
    const list = await httpRequest(`${down.url}/worklist`, { token: handler });
    const claim = await httpRequest(`${down.url}/tasks/${randomUUID()}/claim`, { method: 'POST', token: handler });
    const done = await httpRequest(`${down.url}/tasks/${randomUUID()}/complete`, { token: handler, body: { outcome: 'approve', opinion: '同意。' } });
    // then
    expect(list.status).toBe(200);
    expect([claim.status, claim.body.error]).toEqual([503, E.EngineUnavailable]);
    expect([done.status, done.body.error]).toEqual([503, E.EngineUnavailable]);
  });
});

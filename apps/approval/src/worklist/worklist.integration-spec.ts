import { randomUUID } from 'node:crypto';
import { KitErrors } from '@gov/service-kit';
import { httpRequest } from '@gov/testing';
import { ApprovalErrors } from '../errors';
import { MARKET_SECTION, type TestApproval, type TestFlow, deployTestFlow, startTestApproval, startTestCase, stepInReadModel, tokenOf } from '../testing/test-app';

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

// The worklist is the read model: a new step shows once its `opened` event arrived.
const newCase = async () => {
  const c = await startTestCase(flow, (sql, params) => t.ownerQuery(sql, params));
  await stepInReadModel(t, c.taskId);
  return c;
};
const claim = (taskId: string, token: string) => httpRequest<Record<string, unknown>>(`${t.url}/tasks/${taskId}/claim`, { method: 'POST', token });

describe('GET /worklist', () => {
  it("lists the open steps of the officer's groups with their cases", async () => {
    // given
    const c = await newCase();
    // when
    const res = await httpRequest<Array<Record<string, unknown>>>(`${t.url}/worklist?group=${encodeURIComponent(`handler:${MARKET_SECTION}`)}&caseNumber=${c.caseNumber}`, { token: handler });
    // then
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ taskId: c.taskId, caseNumber: c.caseNumber, step: 'HandlerReview', assignee: null, matterName: '测试事项' })]);
    expect(res.headers.get('x-total-count')).toBe('1');
  });

  it('pages oldest first with limit and offset, and gives the total of all pages', async () => {
    // given three more open steps (the database may hold many more from earlier runs)
    await newCase();
    await newCase();
    await newCase();
    const page = (q: string) => httpRequest<Array<Record<string, unknown>>>(`${t.url}/worklist?step=HandlerReview&${q}`, { token: handler });
    // when
    const all = await page('limit=200');
    const first = await page('limit=2');
    const second = await page('limit=2&offset=2');
    // then
    const total = Number(first.headers.get('x-total-count'));
    expect(total).toBeGreaterThanOrEqual(3);
    expect(first.body).toHaveLength(2);
    expect(second.body.length).toBeGreaterThanOrEqual(1);
    expect([...first.body, ...second.body].map((w) => w.taskId)).toEqual(all.body.slice(0, first.body.length + second.body.length).map((w) => w.taskId));
    const opened = all.body.map((w) => String(w.openedAt));
    expect([...opened].sort()).toEqual(opened);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=abc', 'limit'],
    ['offset=-1', 'offset'],
    ['caseNumber=not-a-case', 'caseNumber'],
    ['step=%27%3B--', 'step'],
  ])('refuses ?%s with 400 naming %s', async (q, field) => {
    const res = await httpRequest<{ error: string; message: string }>(`${t.url}/worklist?${q}`, { token: handler });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it("does not show another organisation's steps, and refuses a group the officer is not in with 403", async () => {
    // given
    const c = await newCase();
    const other = await tokenOf('handler.resources');
    // when
    const mine = await httpRequest<Array<Record<string, unknown>>>(`${t.url}/worklist?caseNumber=${c.caseNumber}`, { token: other });
    const theirs = await httpRequest<Record<string, unknown>>(`${t.url}/worklist?group=${encodeURIComponent(`handler:${MARKET_SECTION}`)}`, { token: other });
    // then
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual([]);
    expect([theirs.status, theirs.body.error]).toEqual([403, E.NotYourGroup]);
  });

  it('refuses a role that works no steps (supervisor) with 403 and a missing token with 401', async () => {
    const supervisor = await httpRequest(`${t.url}/worklist`, { token: await tokenOf('supervisor') });
    const anonymous = await httpRequest(`${t.url}/worklist`);
    expect(supervisor.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });
});

describe('POST /tasks/:taskId/claim', () => {
  it('claims a step for the officer (and again is a no-op); another officer of the group then gets 409', async () => {
    // given
    const c = await newCase();
    // when
    const first = await claim(c.taskId, handler);
    const again = await claim(c.taskId, handler);
    const deputy = await claim(c.taskId, await tokenOf('deputy.market'));
    // then
    expect(first.status).toBe(204);
    expect(again.status).toBe(204);
    expect([deputy.status, deputy.body.error]).toEqual([409, E.StepClaimedByOther]);
    expect((await flow.engine.task(c.taskId)).assignee).not.toBeNull();
  });

  it('refuses officers outside the step (other organisation, other role) with 403', async () => {
    // given
    const c = await newCase();
    // when
    const otherOrg = await claim(c.taskId, await tokenOf('handler.resources'));
    const otherRole = await claim(c.taskId, await tokenOf('chief.market'));
    // then
    expect([otherOrg.status, otherOrg.body.error]).toEqual([403, E.NotYourStep]);
    expect([otherRole.status, otherRole.body.error]).toEqual([403, E.NotYourStep]);
    expect((await flow.engine.task(c.taskId)).assignee).toBeNull();
  });

  it('answers 404 with the reason for a task id that is no task, and 400 for one that cannot be a task id', async () => {
    const missing = await claim(randomUUID(), handler);
    const junk = await claim('junk', handler);
    const nul = await claim('%00', handler);
    expect([missing.status, missing.body.error]).toEqual([404, E.StepNotFound]);
    expect(missing.body.message).toMatch(/No matching task/);
    expect([junk.status, junk.body.error]).toEqual([400, KitErrors.code.InvalidParameter]);
    expect([nul.status, nul.body.error]).toEqual([400, KitErrors.code.InvalidText]);
  });
});

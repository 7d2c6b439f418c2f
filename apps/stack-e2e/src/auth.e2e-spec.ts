import { randomUUID } from 'node:crypto';
import { STACK, eventually, http } from '@gov/testing';
import { APPLICANT_IDS, MARKET_SECTION, USERS, applicationBody, bearer, completeStep, openStep, submitApplication } from './helpers';

describe('the skeleton behind the auth kit', () => {
  it.each([
    ['POST', `${STACK.intake}/applications`],
    ['GET', `${STACK.intake}/applications/449900-20261122-000001`],
    ['GET', `${STACK.approval}/worklist`],
    ['POST', `${STACK.approval}/tasks/any/complete`],
    ['GET', `${STACK.approval}/cases/449900-20261122-000001`],
    ['GET', `${STACK.supervision}/alerts`],
    ['GET', `${STACK.supervision}/cases/449900-20261122-000001/steps`],
    ['POST', `${STACK.supervision}/admin/clock/advance`],
  ])('refuses %s %s without a token', async (method, url) => {
    const res = await http<{ error: string }>(method, url, method === 'POST' ? {} : undefined);
    expect(res.status).toBe(401);
  });

  it('refuses a forged token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', roles: ['sysadmin'], iss: 'http://127.0.0.1:3001', aud: 'gov-platform' })).toString('base64url');
    const res = await http('GET', `${STACK.supervision}/alerts`, undefined, { authorization: `Bearer ${header}.${payload}.` });
    expect(res.status).toBe(401);
  });

  it('keeps public what must be public: the catalogue and health', async () => {
    expect((await http('GET', `${STACK.intake}/matters`)).status).toBe(200);
    expect((await http('GET', `${STACK.approval}/health/live`)).status).toBe(200);
  });

  it('lets an applicant apply only for themself and see only their own applications', async () => {
    // given
    const zhangsan = await bearer(USERS.zhangsan);
    const lisi = await bearer(USERS.lisi);
    // when lisi applies in zhangsan's name
    const forged = await http('POST', `${STACK.intake}/applications`, applicationBody(APPLICANT_IDS.zhangsan), { 'idempotency-key': randomUUID(), ...lisi });
    // then
    expect(forged.status).toBe(403);
    // and zhangsan's own application is visible to zhangsan only
    const { caseNumber } = await submitApplication();
    expect((await http('GET', `${STACK.intake}/applications/${caseNumber}`, undefined, zhangsan)).status).toBe(200);
    expect((await http('GET', `${STACK.intake}/applications/${caseNumber}`, undefined, lisi)).status).toBe(403);
  });

  it("denies an officer of another organisation the market bureau's steps", async () => {
    // given a case at the market registration section's handler step
    const { caseNumber } = await submitApplication();
    const step = await openStep(caseNumber, USERS.handler, 'HandlerReview');
    const other = await bearer(USERS.otherHandler);
    // when a handler of the natural resources bureau tries to see or complete it
    const list = await http('GET', `${STACK.approval}/worklist?group=${encodeURIComponent(`handler:${MARKET_SECTION}`)}`, undefined, other);
    const complete = await completeStep(step.taskId, USERS.otherHandler, 'approve', '越权操作');
    const detail = await http('GET', `${STACK.approval}/cases/${caseNumber}`, undefined, other);
    // then
    expect(list.status).toBe(403);
    expect(complete.status).toBe(403);
    expect(detail.status).toBe(403);
    // and the step is still open for the right officer, with no opinion recorded
    const again = await openStep(caseNumber, USERS.handler, 'HandlerReview');
    expect(again.taskId).toBe(step.taskId);
    const mine = await http<{ opinions: unknown[] }>('GET', `${STACK.approval}/cases/${caseNumber}`, undefined, await bearer(USERS.handler));
    expect(mine.body.opinions).toEqual([]);
  });

  it('keeps supervision to supervisors and clock control to administrators', async () => {
    const handler = await bearer(USERS.handler);
    expect((await http('GET', `${STACK.supervision}/alerts`, undefined, handler)).status).toBe(403);
    expect((await http('POST', `${STACK.supervision}/admin/clock/advance`, { ms: 1 }, await bearer(USERS.supervisor))).status).toBe(403);
    await eventually('supervisor reads alerts', async () => (await http('GET', `${STACK.supervision}/alerts`, undefined, await bearer(USERS.supervisor))).status === 200);
  });
});

import { LightMonitor } from '../alerts/light-monitor.service';
import { AdjustableClock, Clock } from '../clock/clock';
import { KitErrors } from '@gov/service-kit';
import { SupervisionErrors } from '../errors';
import { type TestSupervision, accepted, deliver, deliverAny, http, newCaseNumber, orgsOf, startTestSupervision, stepEvent, tokenOf } from '../testing/test-app';
import { OrdersService } from './orders.service';

interface Order {
  id: string;
  targetKind: string;
  target: string;
  level: number;
  response: string | null;
  escalatedTo: string | null;
  parentId: string | null;
  issuedBy: string;
}

const DAY = 86_400_000;
const subjectOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;

// Supervision orders (督办, issue 10 §2; seed 002 督查督办): issued with a response deadline, answered, and escalated
// one level up when unanswered; a red step left unresolved gets one automatically.
describe('supervision orders (督办)', () => {
  let t: TestSupervision;
  let supervisor: string;
  let handler: string;
  let section: string;
  let department: string;

  beforeAll(async () => {
    t = await startTestSupervision();
    [supervisor, handler] = await Promise.all(['supervisor', 'handler.market'].map(tokenOf));
    section = orgsOf(handler)[0];
    department = orgsOf(await tokenOf('leader.market'))[0];
  });
  afterAll(async () => {
    await t?.close();
  });

  const aCase = async () => {
    const caseNumber = newCaseNumber();
    await deliverAny(t, accepted(caseNumber, { departmentCode: department }));
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [`handler:${section}`], timeLimitWorkingDays: 1, openedAt: '2026-11-02T10:00:00+08:00' }));
    return caseNumber;
  };
  const issue = (body: Record<string, unknown>) => http<Order & { error?: string }>(`${t.url}/supervision-orders`, { method: 'POST', token: supervisor, body });
  const orders = async (caseNumber: string) => (await http<Order[]>(`${t.url}/supervision-orders?caseNumber=${caseNumber}`, { token: supervisor })).body;

  it('records an order to an officer and their response', async () => {
    // given
    const caseNumber = await aCase();
    const officer = subjectOf(handler);
    // when
    const issued = await issue({ caseNumber, stepId: `task-${caseNumber}`, targetKind: 'officer', target: officer, reason: '请说明超期原因', respondWithinWorkingDays: 2 });
    const answered = await http<Order>(`${t.url}/supervision-orders/${issued.body.id}/response`, { method: 'POST', token: handler, body: { response: '材料补正导致，已办结' } });
    // then
    expect(issued.status).toBe(201);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ response: '材料补正导致，已办结', level: 1 });
    const streamed = await t.ownerQuery<{ kind: string; officer: string }>(`SELECT kind, officer FROM alert_stream WHERE case_number = $1 AND kind = 'supervision-order'`, [caseNumber]);
    expect(streamed).toEqual([{ kind: 'supervision-order', officer }]);
  });

  it('escalates an order left unanswered past its deadline to the department, and refuses a late response to the old one', async () => {
    // given an order to the section with one working day
    const caseNumber = await aCase();
    const issued = await issue({ caseNumber, stepId: `task-${caseNumber}`, targetKind: 'section', target: section, reason: '督办', respondWithinWorkingDays: 1 });
    // when the deadline passes unanswered
    t.app.get<Clock, AdjustableClock>(Clock).advance(5 * DAY);
    await t.app.get(OrdersService).scan();
    await t.app.get(OrdersService).scan();
    // then one escalation, to the case's department, at level 2
    const all = await orders(caseNumber);
    expect(all).toEqual([
      expect.objectContaining({ id: issued.body.id, level: 1, escalatedTo: all[1]?.id }),
      expect.objectContaining({ level: 2, targetKind: 'department', target: department, parentId: issued.body.id }),
    ]);
    const late = await http<{ error: string }>(`${t.url}/supervision-orders/${issued.body.id}/response`, { method: 'POST', token: handler, body: { response: 'late' } });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe(SupervisionErrors.code.OrderClosed);
    const streamed = await t.ownerQuery<{ kind: string }>(`SELECT kind FROM alert_stream WHERE case_number = $1 AND kind IN ('supervision-order', 'escalation') ORDER BY seq`, [caseNumber]);
    expect(streamed).toEqual([{ kind: 'supervision-order' }, { kind: 'escalation' }]);
  });

  it('issues an order by itself for a red step still open two working days after its red, once', async () => {
    // given a red step
    const caseNumber = await aCase();
    await t.app.get(LightMonitor).scan();
    await t.app.get(OrdersService).scan();
    const right = (await orders(caseNumber)).filter((o) => o.issuedBy === 'system');
    // when a week passes with the step still open
    t.app.get<Clock, AdjustableClock>(Clock).advance(7 * DAY);
    await t.app.get(OrdersService).scan();
    await t.app.get(OrdersService).scan();
    // then
    expect(right).toEqual([]);
    expect((await orders(caseNumber)).filter((o) => o.issuedBy === 'system' && o.level === 1)).toEqual([expect.objectContaining({ targetKind: 'section', target: section })]);
  });

  it('tracks a rectification notice (整改通知, seed 004 art. 27) to a department through its answer to closure', async () => {
    // given a notice to the department
    const caseNumber = await aCase();
    const leader = await tokenOf('leader.market');
    const notice = await issue({ kind: 'rectification', caseNumber, targetKind: 'department', target: department, reason: '收费标准不符，限期整改', respondWithinWorkingDays: 5 });
    // when closing is tried before the answer, then the department answers, then the office closes it
    const early = await http<{ error: string }>(`${t.url}/supervision-orders/${notice.body.id}/close`, { method: 'POST', token: supervisor });
    const answer = await http(`${t.url}/supervision-orders/${notice.body.id}/response`, { method: 'POST', token: leader, body: { response: '已退还多收费用并修订收费公示' } });
    const closed = await http<Order & { closedAt: string | null }>(`${t.url}/supervision-orders/${notice.body.id}/close`, { method: 'POST', token: supervisor });
    // then
    expect(notice.status).toBe(201);
    expect(early.status).toBe(409);
    expect(answer.status).toBe(200);
    expect(closed.status).toBe(200);
    expect(closed.body.closedAt).not.toBeNull();
    const streamed = await t.ownerQuery<{ rule: string }>(`SELECT rule FROM alert_stream WHERE case_number = $1 ORDER BY seq`, [caseNumber]);
    expect(streamed.map((s) => s.rule).filter((r) => r.startsWith('rectification'))).toEqual(['rectification.issued', 'rectification.closed']);
    // and a notice is only ever to a department
    const toOfficer = await issue({ kind: 'rectification', caseNumber, targetKind: 'officer', target: 'u-1', reason: 'r', respondWithinWorkingDays: 1 });
    expect(toOfficer.status).toBe(400);
    expect(toOfficer.body.error).toBe(SupervisionErrors.code.BadOrder);
  });

  it.each([
    [{ caseNumber: 'nope', targetKind: 'section', target: 'x', reason: 'r', respondWithinWorkingDays: 1 }, 'BadOrder'],
    [{ caseNumber: '449900-20261201-000001', targetKind: 'team', target: 'x', reason: 'r', respondWithinWorkingDays: 1 }, 'ValidationFailed'],
    [{ caseNumber: '449900-20261201-000001', targetKind: 'section', target: 'x', reason: 'r', respondWithinWorkingDays: 0 }, 'ValidationFailed'],
  ])('refuses %j with %s', async (body, code) => {
    const res = await issue(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(code === 'BadOrder' ? SupervisionErrors.code.BadOrder : KitErrors.code.ValidationFailed);
  });

  it('refuses a response to an unknown order and a response by someone it is not addressed to', async () => {
    const unknown = await http<{ error: string }>(`${t.url}/supervision-orders/00000000-0000-4000-8000-000000000000/response`, { method: 'POST', token: handler, body: { response: 'x' } });
    expect(unknown.status).toBe(404);
    const caseNumber = await aCase();
    const issued = await issue({ caseNumber, targetKind: 'officer', target: 'someone-else', reason: 'r', respondWithinWorkingDays: 1 });
    const wrong = await http(`${t.url}/supervision-orders/${issued.body.id}/response`, { method: 'POST', token: handler, body: { response: 'x' } });
    expect(wrong.status).toBe(403);
  });
});

import { AuthErrorCode } from '@gov/auth';
import { KitErrors } from '@gov/service-kit';
import { SupervisionErrors } from '../errors';
import { type TestSupervision, deliver, http, newCaseNumber, orgsOf, startTestSupervision, stepEvent, tokenOf } from '../testing/test-app';
import { LightMonitor } from './light-monitor.service';

interface AlertView {
  seq: number;
  id: string;
  stepId: string;
  caseNumber: string;
  level: 'yellow' | 'red';
  deadline: string;
  hash: string;
}

describe('alerts', () => {
  let t: TestSupervision;
  let supervisor: string;
  let admin: string;
  let marketHandler: string;
  let marketGroup: string;
  // an overdue market step (opened 2026-11-02 with 1 working day) and an overdue step of an organisation no demo
  // supervisor oversees
  const overdue = newCaseNumber();
  const elsewhere = newCaseNumber();

  beforeAll(async () => {
    t = await startTestSupervision();
    [supervisor, admin, marketHandler] = await Promise.all(['supervisor', 'admin', 'handler.market'].map(tokenOf));
    marketGroup = `handler:${orgsOf(marketHandler)[0]}`;
    const openedAt = '2026-11-02T02:00:00.000Z';
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: overdue, taskId: `task-${overdue}`, candidateGroups: [marketGroup], timeLimitWorkingDays: 1, openedAt }));
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: elsewhere, taskId: `task-${elsewhere}`, candidateGroups: ['handler:99999900000000000X'], timeLimitWorkingDays: 1, openedAt }));
    // the monitor asks the engine (which knows neither task, so both count as open) and raises red once
    expect(await t.app.get(LightMonitor).scan()).toBe(2);
    expect(await t.app.get(LightMonitor).scan()).toBe(0);
  });
  afterAll(async () => {
    await t?.close();
  });

  const alerts = (query: string, token?: string) => http<AlertView[] & { error?: string; details?: unknown }>(`${t.url}/alerts${query}`, { token });

  it('lists a red alert for an overdue step to a supervisor, filtered by case and level, and publishes it through the outbox', async () => {
    // when
    const byCase = await alerts(`?caseNumber=${overdue}`, supervisor);
    const red = await alerts(`?level=red&caseNumber=${overdue}`, supervisor);
    const yellow = await alerts(`?level=yellow&caseNumber=${overdue}`, supervisor);
    // then
    expect(byCase.status).toBe(200);
    expect(byCase.body).toEqual([expect.objectContaining({ caseNumber: overdue, stepId: `task-${overdue}`, level: 'red' })]);
    expect(red.body).toEqual(byCase.body);
    expect(yellow.body).toEqual([]);
    const outbox = await t.ownerQuery<{ type: string }>(`SELECT type FROM outbox WHERE key = $1 ORDER BY seq`, [overdue]);
    // the light's own event, and the same red as an entry of the alert stream (issue 10 §7)
    expect(outbox).toEqual([{ type: 'gov.supervision.alert.raised' }, { type: 'gov.supervision.alert.issued' }]);
    // and the steps view shows the light
    const steps = await http<{ light: string }[]>(`${t.url}/cases/${overdue}/steps`, { token: marketHandler });
    expect(steps.body.map((s) => s.light)).toEqual(['red']);
  });

  it("keeps alerts of organisations outside the supervisor's region out of the list", async () => {
    const res = await alerts('', supervisor);
    expect(res.body.map((a) => a.caseNumber)).toContain(overdue);
    expect(res.body.map((a) => a.caseNumber)).not.toContain(elsewhere);
  });

  it('pages through the ledger with after and limit', async () => {
    // given
    const all = await alerts('', admin);
    // when
    const first = await alerts('?limit=1', admin);
    const rest = await alerts(`?after=${first.body[0].seq}`, admin);
    // then
    expect(first.body).toHaveLength(1);
    expect([...first.body, ...rest.body]).toEqual(all.body);
  });

  it("verifies the hash chain of the ledger, answering the ledger library's verdict as identity's /audit/verify does", async () => {
    const res = await http<Record<string, unknown>>(`${t.url}/alerts/verify`, { token: supervisor });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, ledger: 'supervision.alerts', checked: 2, firstBroken: null, acknowledged: [] });
  });

  it('refuses anchoring on demand to non-sysadmins, and with 409 AnchoringOff where the chains are not anchored', async () => {
    // given a test deployment (LEDGER_ANCHORING is off under NODE_ENV=test)
    // when
    const bySupervisor = await http(`${t.url}/alerts/anchors`, { method: 'POST', token: supervisor, body: {} });
    const byAdmin = await http<{ error: string }>(`${t.url}/alerts/anchors`, { method: 'POST', token: admin, body: {} });
    // then
    expect(bySupervisor.status).toBe(403);
    expect(byAdmin.status).toBe(409);
    expect(byAdmin.body.error).toBe(SupervisionErrors.code.AnchoringOff);
  });

  it('refuses officers who are not supervisors or sysadmins, and callers without a token', async () => {
    for (const path of ['/alerts', '/alerts/verify']) {
      const byRole = await http(`${t.url}${path}`, { token: marketHandler });
      expect(byRole.status).toBe(403);
      expect(byRole.body.error).toBe(AuthErrorCode.InsufficientRole);
      const anonymous = await http(`${t.url}${path}`);
      expect(anonymous.status).toBe(401);
    }
  });

  // The kit's validation (supervision keeps no pipes of its own): 400 ValidationFailed naming the field.
  it.each([
    ['?level=green', KitErrors.code.ValidationFailed, 'level'],
    ['?level=red&level=yellow', KitErrors.code.ValidationFailed, 'level'],
    ['?after=-1', KitErrors.code.ValidationFailed, 'after'],
    ['?after=1e3', KitErrors.code.ValidationFailed, 'after'],
    ['?limit=0', KitErrors.code.ValidationFailed, 'limit'],
    ['?limit=501', KitErrors.code.ValidationFailed, 'limit'],
    ['?limit=abc', KitErrors.code.ValidationFailed, 'limit'],
    ['?caseNumber=%00', KitErrors.code.InvalidText, 'caseNumber'],
    ['?caseNumber=x%27%20OR%201%3D1', KitErrors.code.ValidationFailed, 'caseNumber'],
    ['?color=red', KitErrors.code.ValidationFailed, 'color'],
  ])('answers 400 for %s with the code %s naming the field', async (query, code, field) => {
    const res = await alerts(query, supervisor);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(code);
    expect(JSON.stringify(res.body.details)).toContain(field);
  });

  // Moves the clock forward, so it runs last: the clock never goes back.
  it('turns a step yellow once the moved clock is within the window of its deadline', async () => {
    // given a step opened now with 1 working day
    const caseNumber = newCaseNumber();
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [marketGroup], timeLimitWorkingDays: 1 }));
    const [step] = (await http<{ deadline: string; light: string }[]>(`${t.url}/cases/${caseNumber}/steps`, { token: supervisor })).body;
    expect(step.light).toBe('green');
    // when the clock is moved to 12 hours before the deadline and the monitor scans
    const clock = await http<{ now: string }>(`${t.url}/admin/clock`, { token: admin });
    const ms = new Date(step.deadline).getTime() - 12 * 3600_000 - new Date(clock.body.now).getTime();
    const moved = await http<{ offsetMs: number }>(`${t.url}/admin/clock/advance`, { token: admin, body: { ms: Math.max(ms, 0) } });
    expect(moved.status).toBe(200);
    expect(await t.app.get(LightMonitor).scan()).toBe(1);
    // then
    const res = await alerts(`?caseNumber=${caseNumber}`, supervisor);
    expect(res.body).toEqual([expect.objectContaining({ level: 'yellow' })]);
    const after = (await http<{ light: string }[]>(`${t.url}/cases/${caseNumber}/steps`, { token: supervisor })).body;
    expect(after.map((s) => s.light)).toEqual(['yellow']);
  });

  it('lets only a sysadmin read or move the clock, forward only', async () => {
    // when / then
    expect((await http(`${t.url}/admin/clock`, { token: supervisor })).status).toBe(403);
    const backwards = await http(`${t.url}/admin/clock/advance`, { token: admin, body: { ms: -1 } });
    expect(backwards.status).toBe(400);
    expect(String(backwards.body.message)).toMatch(/ms must be >= 0/);
    const byRole = await http(`${t.url}/admin/clock/advance`, { token: supervisor, body: { ms: 1 } });
    expect(byRole.status).toBe(403);
    expect(byRole.body.error).toBe(AuthErrorCode.InsufficientRole);
  });
});

import { randomUUID } from 'node:crypto';
import { TOPICS } from '@gov/contracts';
import { STACK, TopicCollector, eventually, http, sql } from '@gov/testing';
import { USERS, applicationBody, bearer, completeStep, openStep, submitApplication } from './helpers';

interface Step {
  stepId: string;
  taskDefinitionKey: string;
  deadline: string | null;
  timeLimitWorkingDays: number | null;
  closedAt: string | null;
  light: string;
}
interface Alert {
  id: string;
  stepId: string;
  level: string;
}

describe('walking skeleton: one case from application to decision across the real stack', () => {
  const collectors: TopicCollector[] = [];
  afterAll(async () => {
    await Promise.all(collectors.map((c) => c.stop()));
  });

  it('refuses bad input with a 4xx that says what to fix, and creates nothing', async () => {
    // given
    const before = await sql<{ n: number }>('intake', 'SELECT count(*)::int AS n FROM applications');
    const auth = await bearer(USERS.clerk);
    // when
    const noKey = await http('POST', `${STACK.intake}/applications`, applicationBody(), auth);
    const badBody = await http<{ message: string }>('POST', `${STACK.intake}/applications`, { matterCode: '', applicant: { kind: 'robot', id: 'short', name: '' }, form: 'nope' }, { 'idempotency-key': randomUUID(), ...auth });
    const badKind = await http<{ message: string }>('POST', `${STACK.intake}/applications`, { ...applicationBody(), applicant: { kind: 'robot', id: 'short', name: '' } }, { 'idempotency-key': randomUUID(), ...auth });
    const malformed = await http<{ message: string }>('POST', `${STACK.intake}/applications`, '{"matterCode": ', { 'idempotency-key': randomUUID(), 'content-type': 'application/json', ...auth });
    const unknownMatter = await http<{ message: string }>('POST', `${STACK.intake}/applications`, { ...applicationBody(), matterCode: 'NOPE' }, { 'idempotency-key': randomUUID(), ...auth });
    const badChecksum = await http<{ message: string }>('POST', `${STACK.intake}/applications`, applicationBody('449901198503120016'), { 'idempotency-key': randomUUID(), ...auth });
    // then
    expect(badChecksum.status).toBe(400);
    expect(badChecksum.body.message).toMatch(/check digit/);
    expect(noKey.status).toBe(400);
    expect(badBody.status).toBe(400);
    // The form is checked first (before the validation pipe can trip over a hostile form): it is named and nothing else.
    expect(badBody.body.message).toMatch(/form must be an object/);
    expect(badKind.status).toBe(400);
    expect(badKind.body.message).toMatch(/applicant.kind/);
    expect(malformed.status).toBe(400);
    expect(unknownMatter.status).toBe(422);
    expect(unknownMatter.body.message).toContain('GET /matters');
    expect(await sql('intake', 'SELECT count(*)::int AS n FROM applications')).toEqual(before);
  });

  it('accepts an application once per idempotency key', async () => {
    const key = randomUUID();
    const auth = await bearer(USERS.zhangsan);
    const first = await submitApplication(key);
    const again = await http<{ caseNumber: string }>('POST', `${STACK.intake}/applications`, applicationBody(), { 'idempotency-key': key, ...auth });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.caseNumber).toBe(first.caseNumber);
    const reused = await http('POST', `${STACK.intake}/applications`, { ...applicationBody(), form: { changed: true } }, { 'idempotency-key': key, ...auth });
    expect(reused.status).toBe(409);
  });

  it('runs application → handler → section chief → leader → decision through HTTP, Kafka and the engine', async () => {
    // given
    const decisions = await new TopicCollector([TOPICS.approvalCase.name]).start();
    collectors.push(decisions);
    // when the applicant applies
    const { caseNumber } = await submitApplication();
    // then the case starts on the engine with the case number as business key
    const handlerAuth = await bearer(USERS.handler);
    await eventually('the case to start', async () => (await http<{ processInstanceId: string | null }>('GET', `${STACK.approval}/cases/${caseNumber}`, undefined, handlerAuth)).body?.processInstanceId);

    // and the three officers review in turn
    const handler = await openStep(caseNumber, USERS.handler, 'HandlerReview');
    expect((await completeStep(handler.taskId, USERS.handler, 'approve', '材料齐全，符合法定条件，拟同意。')).status).toBe(200);
    const chief = await openStep(caseNumber, USERS.chief, 'ChiefReview');
    expect((await completeStep(chief.taskId, USERS.chief, 'approve', '同意承办人意见。')).status).toBe(200);
    const leader = await openStep(caseNumber, USERS.leader, 'LeaderDecision');
    expect((await completeStep(leader.taskId, USERS.leader, 'approve', '同意，准予许可。')).status).toBe(200);

    // then the decision worker issues the decision, published once on Kafka
    const decided = await decisions.until('the decision event', (c) => c.events().find((e) => e.type === 'gov.approval.case.decided' && e.subject === caseNumber), 60_000);
    expect(decided.data.decision).toBe('approved');
    // with what the decision document prints: who signed it off, for which organisation
    expect(decided.data).toMatchObject({ decidedBy: { name: '分管领导周华' }, decidingDepartmentCode: '11449900000000111Y' });
    expect(String(decided.data.documentNumber)).toMatch(/^449900-11449900000000111Y-许〔\d{4}〕\d{6}号$/);
    const detail = await http<{ status: string; opinions: { officerLabel: string; hash: string }[] }>('GET', `${STACK.approval}/cases/${caseNumber}`, undefined, handlerAuth);
    expect(detail.body.status).toBe('decided');
    expect(detail.body.opinions.map((o) => o.officerLabel)).toEqual(['承办人刘明', '处长李强', '分管领导周华']);

    // and supervision saw every step open and close, each with a working-day deadline
    const supervisorAuth = await bearer(USERS.supervisor);
    const steps = await eventually('supervision to close all three steps', async () => {
      const res = await http<Step[]>('GET', `${STACK.supervision}/cases/${caseNumber}/steps`, undefined, supervisorAuth);
      return res.status === 200 && res.body.length === 3 && res.body.every((s) => s.closedAt) ? res.body : undefined;
    });
    expect(steps.map((s) => s.taskDefinitionKey)).toEqual(['HandlerReview', 'ChiefReview', 'LeaderDecision']);
    expect(steps.every((s) => s.deadline !== null && s.light === 'green')).toBe(true);
    // with the limits of the demo matter's catalogue version (4, 1, 2 working days), not the model's defaults (3, 2, 2)
    expect(steps.map((s) => s.timeLimitWorkingDays)).toEqual([4, 1, 2]);
  });

  it('turns a step left past its deadline red exactly once, in the ledger and on Kafka', async () => {
    // given a case whose handler step is open in supervision
    const alerts = await new TopicCollector([TOPICS.supervisionAlert.name]).start();
    collectors.push(alerts);
    const { caseNumber } = await submitApplication();
    const supervisorAuth = await bearer(USERS.supervisor);
    const step = await eventually('the handler step in supervision', async () => {
      const res = await http<Step[]>('GET', `${STACK.supervision}/cases/${caseNumber}/steps`, undefined, supervisorAuth);
      return res.status === 200 ? res.body.find((s) => s.taskDefinitionKey === 'HandlerReview' && !s.closedAt) : undefined;
    });
    // when the supervision clock passes its deadline (3 working days; 15 calendar days is past it whatever the holidays)
    const moved = await http('POST', `${STACK.supervision}/admin/clock/advance`, { ms: 15 * 86_400_000 }, await bearer(USERS.admin));
    expect(moved.status).toBe(200);
    // then one red alert is written and published
    await eventually('the red alerts of the step and of the case', async () => {
      const res = await http<Alert[]>('GET', `${STACK.supervision}/alerts?caseNumber=${caseNumber}&level=red`, undefined, supervisorAuth);
      return res.body.some((a) => a.stepId === step.stepId) && res.body.some((a) => a.stepId === `case:promised:${caseNumber}`);
    });
    // and it stays one, scan after scan
    await new Promise((r) => setTimeout(r, 3000));
    const reds = (await http<Alert[]>('GET', `${STACK.supervision}/alerts?caseNumber=${caseNumber}&level=red`, undefined, supervisorAuth)).body;
    // (the case's own clocks may have passed too, the promised one at least: those are reds of the case, each once)
    const red = reds.filter((a) => a.stepId === step.stepId);
    expect(red).toHaveLength(1);
    const caseReds = reds.filter((a) => a.stepId !== step.stepId).map((a) => a.stepId);
    expect(caseReds).toContain(`case:promised:${caseNumber}`);
    expect(caseReds.every((id) => id === `case:promised:${caseNumber}` || id === `case:statutory:${caseNumber}`)).toBe(true);
    expect(new Set(caseReds).size).toBe(caseReds.length);
    const published = await alerts.until('the red alert on Kafka', (c) => {
      // the light itself (gov.supervision.alert.raised); the office's stream entry for it (alert.issued) shares the topic
      const mine = c.events().filter((e) => e.type === 'gov.supervision.alert.raised' && e.subject === caseNumber && e.data.level === 'red');
      return mine.length > 0 ? mine : undefined;
    });
    expect(new Set(published.map((e) => e.id))).toEqual(new Set([red[0].id]));
    const steps = (await http<Step[]>('GET', `${STACK.supervision}/cases/${caseNumber}/steps`, undefined, supervisorAuth)).body;
    expect(steps.find((s) => s.stepId === step.stepId)!.light).toBe('red');
    // and the ledger refuses to change it
    await expect(sql('supervision', `UPDATE alerts SET level = 'yellow' WHERE id = $1`, [red[0].id])).rejects.toThrow(/append-only/);
  });

  it('detects an alert edited around the append-only triggers, through the hash chain', async () => {
    // given an intact ledger with at least one alert
    const supervisorAuth = await bearer(USERS.supervisor);
    const before = await http<{ checked: number; firstBroken: { record: string | null } | null }>('GET', `${STACK.supervision}/alerts/verify`, undefined, supervisorAuth);
    expect(before.status).toBe(200);
    expect(before.body.firstBroken).toBeNull();
    expect(before.body.checked).toBeGreaterThan(0);
    // (one whose step has no alert at the other level: alerts are unique per step and level, so rewriting it there
    // would be refused by the unique index, not detected by the chain)
    const [victim] = await sql<{ id: string; level: string }>(
      'supervision',
      `SELECT a.id::text, a.level FROM alerts a
        WHERE NOT EXISTS (SELECT 1 FROM alerts b WHERE b.step_id = a.step_id AND b.level = CASE WHEN a.level = 'red' THEN 'yellow' ELSE 'red' END)
        ORDER BY a.seq LIMIT 1`,
    );
    // when someone with superuser rights disables the trigger and rewrites an alert
    const tamper = async (level: string) =>
      sql('supervision', `ALTER TABLE alerts DISABLE TRIGGER alerts_no_update; UPDATE alerts SET level = '${level}' WHERE id = '${victim.id}'; ALTER TABLE alerts ENABLE ALWAYS TRIGGER alerts_no_update;`);
    await tamper(victim.level === 'red' ? 'yellow' : 'red');
    try {
      // then the chain check names that alert
      const after = await http<{ ok: boolean; firstBroken: { record: string | null } | null }>('GET', `${STACK.supervision}/alerts/verify`, undefined, supervisorAuth);
      expect(after.body.ok).toBe(false);
      expect(after.body.firstBroken?.record).toBe(victim.id);
    } finally {
      await tamper(victim.level);
    }
    // and the opinions' chain is intact
    const opinions = await http<{ ok: boolean }>('GET', `${STACK.approval}/opinions/verify`, undefined, supervisorAuth);
    expect(opinions.body.ok).toBe(true);
  });
});

import { AuthErrorCode } from '@gov/auth';
import { TOPICS } from '@gov/contracts';
import { KitErrors } from '@gov/service-kit';
import { eventually, kafka } from '@gov/testing';
import { SupervisionErrors } from '../errors';
import { type TestSupervision, deliver, http, newCaseNumber, orgsOf, startTestSupervision, stepEvent, tokenOf } from '../testing/test-app';

interface StepView {
  stepId: string;
  caseNumber: string;
  deadline: string | null;
  closedAt: string | null;
  closeReason: string | null;
  light: string;
  candidateGroups: string[];
}

describe('GET /cases/:caseNumber/steps', () => {
  let t: TestSupervision;
  let supervisor: string;
  let marketHandler: string;
  let resourcesHandler: string;
  let applicant: string;
  let marketGroup: string;

  beforeAll(async () => {
    t = await startTestSupervision();
    [supervisor, marketHandler, resourcesHandler, applicant] = await Promise.all(['supervisor', 'handler.market', 'handler.resources', 'zhangsan'].map(tokenOf));
    marketGroup = `handler:${orgsOf(marketHandler)[0]}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  const steps = (caseNumber: string, token?: string) => http<StepView[] & { error?: string; details?: unknown }>(`${t.url}/cases/${caseNumber}/steps`, { token });

  it('records a step published on approval.step.v1 through the real Kafka consumer and shows it to an officer of its organisation', async () => {
    // given a step event on the real topic (no time limit, so no light is ever raised for it anywhere)
    const caseNumber = newCaseNumber();
    const opened = stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [marketGroup], timeLimitWorkingDays: null });
    const producer = kafka().producer();
    await producer.connect();
    let res;
    try {
      // when it is published (again on each probe: the consumer group may still be joining, and the inbox makes a
      // redelivery of the same event id a no-op)
      res = await eventually('the step recorded', async () => {
        await producer.send({ topic: TOPICS.approvalStep.name, messages: [{ key: caseNumber, value: JSON.stringify(opened) }] });
        const r = await steps(caseNumber, marketHandler);
        return r.status === 200 ? r : undefined;
      }, 60_000, 1000);
    } finally {
      await producer.disconnect();
    }
    // then the in-process service's own consumer group applied it, once
    expect(res.body).toEqual([expect.objectContaining({ stepId: `task-${caseNumber}`, caseNumber, deadline: null, light: 'none', closedAt: null })]);
    const inbox = await t.ownerQuery<{ consumer: string }>('SELECT consumer FROM inbox WHERE event_id = $1', [opened.id]);
    // (other consumer groups of the service, e.g. statistics, keep their own inbox rows for the same topic)
    expect(inbox.filter((r) => r.consumer.endsWith('.supervision.steps'))).toEqual([{ consumer: `${t.config.KAFKA_GROUP_PREFIX}supervision.steps` }]);
  });

  it('shows a supervisor the deadline in working days and a green light for a step just opened', async () => {
    // given a step opened now with 3 working days
    const caseNumber = newCaseNumber();
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [marketGroup], timeLimitWorkingDays: 3 }));
    // when
    const res = await steps(caseNumber, supervisor);
    // then
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0].light).toBe('green');
    expect(new Date(res.body[0].deadline!).getTime()).toBeGreaterThan(Date.now() + 2 * 86_400_000);
  });

  it('closes a step once on completion, even when the completion is delivered twice', async () => {
    // given
    const caseNumber = newCaseNumber();
    const step = { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [marketGroup] };
    await deliver(t, stepEvent('gov.approval.step.opened', step));
    const completed = stepEvent('gov.approval.step.completed', { ...step, completedAt: new Date().toISOString() });
    // when
    await deliver(t, completed, '1');
    await deliver(t, completed, '2');
    // then
    const res = await steps(caseNumber, marketHandler);
    expect(res.body).toEqual([expect.objectContaining({ closeReason: 'completed', closedAt: completed.data.completedAt })]);
    expect(await t.ownerQuery('SELECT version FROM steps WHERE step_id = $1', [step.taskId])).toEqual([{ version: 2 }]);
  });

  it('records a cancelled step whose opening it never saw (opened dead-lettered) as opened and cancelled', async () => {
    // given only the cancellation
    const caseNumber = newCaseNumber();
    const cancelled = stepEvent('gov.approval.step.cancelled', { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [marketGroup], completedAt: new Date().toISOString(), deleteReason: 'withdrawn' });
    // when
    await deliver(t, cancelled);
    // then
    const res = await steps(caseNumber, supervisor);
    expect(res.body).toEqual([expect.objectContaining({ closeReason: 'cancelled' })]);
  });

  it('refuses an officer of another organisation with OutsideOrganisation', async () => {
    // given a market step
    const caseNumber = newCaseNumber();
    await deliver(t, stepEvent('gov.approval.step.opened', { businessKey: caseNumber, taskId: `task-${caseNumber}`, candidateGroups: [marketGroup] }));
    // when
    const res = await steps(caseNumber, resourcesHandler);
    // then
    expect(res.status).toBe(403);
    expect(res.body.error).toBe(AuthErrorCode.OutsideOrganisation);
  });

  it('refuses an applicant by role and a caller without a token', async () => {
    const caseNumber = newCaseNumber();
    const byRole = await steps(caseNumber, applicant);
    expect(byRole.status).toBe(403);
    expect(byRole.body.error).toBe(AuthErrorCode.InsufficientRole);
    const anonymous = await steps(caseNumber);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe(AuthErrorCode.MissingToken);
  });

  it.each([['%00'], ['441200-20261122-00000%00']])('answers 400 InvalidText (the service kit edge) for the NUL in %s, before any query', async (junk) => {
    const res = await steps(junk, supervisor);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(KitErrors.code.InvalidText);
  });

  it.each([['abc'], ['441200-2026-000001'], [`441200-20261122-${'1'.repeat(80)}`]])(
    "answers 400 InvalidParameter (the kit's case-number pipe) naming the parameter for the case number %s, before any query",
    async (junk) => {
      // when
      const res = await steps(junk, supervisor);
      // then
      expect(res.status).toBe(400);
      expect(res.body.error).toBe(KitErrors.code.InvalidParameter);
      expect(JSON.stringify(res.body.details)).toContain('param.caseNumber');
    },
  );

  it('answers 404 CaseNotSupervised for a well-formed case number with no steps', async () => {
    const res = await steps(newCaseNumber(), supervisor);
    expect(res.status).toBe(404);
    expect(res.body.error).toBe(SupervisionErrors.code.CaseNotSupervised);
  });
});

import { randomUUID } from 'node:crypto';
import { type EventType, makeEvent, type NewEvent } from '@gov/contracts';
import { InboxContext } from '@gov/messaging';
import { DataSource } from 'typeorm';
import { IntakeErrors } from '../errors';
import { type Refusal, type TestIntake, USERS, applicationBody, http, startTestIntake, tokenOf } from '../testing/test-app';
import { PROGRESS_CONSUMER, ProgressConsumer } from './progress.consumer';

// The applicant's progress view follows approval's and supervision's events (issue 8 §3 "Progress query"). The events
// are handed to the @OnEvent handlers in a transaction, as the inbox transport does after reading them from Kafka.

interface Progress {
  caseNumber: string;
  status: string;
  currentStep: { step: string; name: string | null; groups: string[]; limitWorkingDays: number | null; light: string | null } | null;
  workingDays: { limit: number; used: number; left: number; deadline: string } | null;
  documents: Array<{ kind: string; documentNumber: string | null }>;
  result: { outcome: string; documentNumber: string | null } | null;
}

describe('progress over HTTP', () => {
  let t: TestIntake;
  let consumer: ProgressConsumer;
  let ds: DataSource;
  const tokens: Record<string, string> = {};

  /** Delivers one event to its handler in a transaction, as the inbox does. */
  async function deliver<T extends EventType>(e: Omit<NewEvent<T>, 'source'>, handler: (c: ProgressConsumer) => (event: never, ctx: InboxContext) => Promise<void>): Promise<void> {
    const event = makeEvent({ ...e, source: '/approval' });
    await ds.transaction((manager) => handler(consumer).call(consumer, event as never, new InboxContext(manager, PROGRESS_CONSUMER)));
  }
  const progress = (caseNumber: string, as: string = USERS.zhangsan) => http<Progress & Refusal>(`${t.url}/applications/${caseNumber}/progress`, { token: tokens[as] });

  async function acceptedCase(): Promise<{ caseNumber: string; applicationId: string }> {
    const res = await http<{ caseNumber: string; applicationId: string }>(`${t.url}/applications`, { token: tokens[USERS.zhangsan], body: applicationBody() });
    expect(res.status).toBe(201);
    const accepted = await http(`${t.url}/applications/${res.body.applicationId}/accept`, { token: tokens[USERS.clerk], body: {} });
    expect(accepted.status).toBe(200);
    return res.body;
  }

  function step(caseNumber: string, taskId: string, opened: Date, completed: Date | null) {
    return {
      processInstanceId: `pi-${caseNumber}`,
      processDefinitionId: 'skeleton-approval:1:1',
      processDefinitionKey: 'skeleton-approval',
      businessKey: caseNumber,
      taskId,
      taskDefinitionKey: 'review',
      name: '审查',
      candidateGroups: ['11449900000000111Y:handler'],
      assignee: null,
      timeLimitWorkingDays: 4,
      openedAt: opened.toISOString(),
      completedAt: completed?.toISOString() ?? null,
      deleteReason: null,
      tenantId: '449900',
    };
  }

  beforeAll(async () => {
    t = await startTestIntake();
    consumer = t.app.get(ProgressConsumer, { strict: false });
    ds = t.app.get(DataSource);
    for (const user of Object.values(USERS)) tokens[user] = await tokenOf(user);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows the current step and its department while in review, and the result right after the decision', async () => {
    // given an accepted case whose first step opened
    const c = await acceptedCase();
    const opened = new Date();
    await deliver({ type: 'gov.approval.case.started', subject: c.caseNumber, data: { caseNumber: c.caseNumber, processInstanceId: `pi-${c.caseNumber}`, processKey: 'skeleton-approval', tenantId: '449900', startedAt: opened.toISOString() } }, (x) => x.caseStarted);
    await deliver({ type: 'gov.approval.step.opened', subject: c.caseNumber, data: step(c.caseNumber, 'task-1', opened, null) }, (x) => x.stepOpened);
    await deliver(
      {
        type: 'gov.supervision.alert.raised',
        subject: c.caseNumber,
        data: { alertId: randomUUID(), level: 'yellow', caseNumber: c.caseNumber, stepId: 'task-1', taskDefinitionKey: 'review', stepName: '审查', candidateGroups: [], openedAt: opened.toISOString(), deadline: new Date(Date.now() + 86_400_000).toISOString(), raisedAt: new Date().toISOString(), hash: 'a'.repeat(64) },
      },
      (x) => x.alertRaised,
    );
    // when
    const inReview = await progress(c.caseNumber);
    // the step is completed and the decision issued
    const decidedAt = new Date();
    await deliver({ type: 'gov.approval.step.completed', subject: c.caseNumber, data: step(c.caseNumber, 'task-1', opened, decidedAt) }, (x) => x.stepCompleted);
    await deliver(
      { type: 'gov.approval.case.decided', subject: c.caseNumber, data: { caseNumber: c.caseNumber, processInstanceId: `pi-${c.caseNumber}`, decision: 'approved', documentNumber: '449900-SCJG-许〔2026〕000042号', decidedAt: decidedAt.toISOString() } },
      (x) => x.caseDecided,
    );
    const decided = await progress(c.caseNumber);
    const summary = await http<{ status: string }>(`${t.url}/applications/${c.applicationId}`, { token: tokens[USERS.zhangsan] });
    // then
    expect(inReview.status).toBe(200);
    expect(inReview.body).toMatchObject({ status: 'accepted', currentStep: { step: 'review', name: '审查', groups: ['11449900000000111Y:handler'], limitWorkingDays: 4, light: 'yellow' }, result: null });
    expect(inReview.body.workingDays).toMatchObject({ limit: 7, used: 0, left: 7 });
    expect(decided.body).toMatchObject({ status: 'decided', currentStep: null, result: { outcome: 'approved', documentNumber: '449900-SCJG-许〔2026〕000042号' } });
    expect(decided.body.documents.map((d) => d.kind)).toEqual(['receipt', 'acceptance', '准予行政许可决定书']);
    expect(summary.body.status).toBe('decided');
  });

  it('shows a withdrawn case with its 准予撤回 document, and projects each event once', async () => {
    // given
    const c = await acceptedCase();
    const withdrawal = await http(`${t.url}/applications/${c.applicationId}/withdrawal`, { token: tokens[USERS.zhangsan], body: { reason: '需更正' } });
    const granted = await http(`${t.url}/applications/${c.applicationId}/withdrawal/accept`, { token: tokens[USERS.clerk], body: {} });
    expect([withdrawal.status, granted.status]).toEqual([200, 200]);
    const ended = { type: 'gov.approval.case.ended' as const, subject: c.caseNumber, data: { caseNumber: c.caseNumber, processInstanceId: null, outcome: 'withdrawn' as const, documentNumber: '449900-SCJG-撤〔2026〕000001号', reason: '需更正', endedAt: new Date().toISOString() } };
    // when the event arrives twice (at-least-once delivery)
    await deliver(ended, (x) => x.caseEnded);
    await deliver(ended, (x) => x.caseEnded);
    const p = await progress(c.caseNumber);
    // then
    expect(p.body).toMatchObject({ status: 'withdrawn', result: { outcome: 'withdrawn', documentNumber: '449900-SCJG-撤〔2026〕000001号' } });
    expect(p.body.documents.filter((d) => d.documentNumber === '449900-SCJG-撤〔2026〕000001号')).toHaveLength(1);
  });

  it("ignores events of cases intake does not hold, and refuses another applicant's progress", async () => {
    // given
    const c = await acceptedCase();
    // when
    await deliver({ type: 'gov.approval.case.decided', subject: '449900-20200101-000001', data: { caseNumber: '449900-20200101-000001', processInstanceId: 'x', decision: 'rejected', documentNumber: 'D-1', decidedAt: new Date().toISOString() } }, (x) => x.caseDecided);
    const other = await progress(c.caseNumber, USERS.lisi);
    const unknown = await progress('449900-20200101-000001');
    // then
    expect(await t.ownerQuery('SELECT 1 FROM application_progress WHERE case_number = $1', ['449900-20200101-000001'])).toEqual([]);
    expect([other.status, other.body.error]).toEqual([403, IntakeErrors.code.NotOwnApplication]);
    expect(unknown.status).toBe(404);
  });
});

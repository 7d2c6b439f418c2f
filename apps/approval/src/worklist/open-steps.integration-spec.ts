import { randomBytes } from 'node:crypto';
import { WorkingCalendar } from '@gov/calendar';
import { eventually, httpRequest } from '@gov/testing';
import { ApprovalErrors } from '../errors';
import {
  MARKET_SECTION,
  type TestApproval,
  type TestCase,
  type TestFlow,
  deployLibraryTestFlow,
  deployTestFlow,
  startTestApproval,
  startTestCase,
  stepInReadModel,
  tokenOf,
} from '../testing/test-app';
import { AdjustableClock } from './clock';
import { OpenStepsProjector } from './open-steps.projector';

// The worklist read model (issue 9 §2) on the real engine and Kafka: steps reach `open_steps` through the step events
// the stack's approval relays from the engine outbox, consumed by this approval's own inbox consumer. Each case gets
// a matter code of this file's run, so the other specs' steps on the shared engine never count here.

const E = ApprovalErrors.code;
const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
const calendar = new WorkingCalendar();
const run = randomBytes(3).toString('hex').toUpperCase();
const MATTER_A = { code: `WL${run}-A`, name: '食品经营许可' };
const MATTER_B = { code: `WL${run}-B`, name: '药品零售许可' };
const clock = new AdjustableClock();
let t: TestApproval;
let flow: TestFlow;
let suspendable: TestFlow;
let handler: string;
let chief: string;
let foreign: string;
let foreignOrg: string;

type Item = Record<string, unknown> & { taskId: string; light: string; deadline: string | null; remainingWorkingDays: number | null; suspended: boolean };
type Counts = { byLight: Record<string, number>; byMatter: Array<Record<string, unknown>> };

const subjectOf = (token: string): string => (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;
const orgsOf = (token: string): string[] => (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { orgs: string[] }).orgs;
const worklist = (q: string, token = handler) => httpRequest<Item[]>(`${t.url}/worklist?${q}`, { token });
const counts = (q: string, token = handler) => httpRequest<Counts>(`${t.url}/worklist/counts?${q}`, { token });
const post = (path: string, token: string, body?: unknown) => httpRequest<Record<string, unknown>>(`${t.url}${path}`, { method: 'POST', token, ...(body === undefined ? {} : { body }) });

async function newCase(matter = MATTER_A, departmentCode = MARKET_SECTION, on = flow, app = t, waitForEvent = true): Promise<TestCase> {
  const c = await startTestCase(on, (sql, params) => app.ownerQuery(sql, params), departmentCode, matter);
  if (waitForEvent) await stepInReadModel(app, c.taskId);
  return c;
}

beforeAll(async () => {
  flow = await deployTestFlow();
  suspendable = await deployLibraryTestFlow('standard-review.bpmn', 'standard-review');
  t = await startTestApproval({ WORKLIST_YELLOW_HOURS: '24' }, { clock });
  [handler, chief, foreign] = [await tokenOf('handler.market'), await tokenOf('chief.market'), await tokenOf('handler.resources')];
  foreignOrg = orgsOf(foreign).find((o) => o !== MARKET_SECTION) ?? '';
});

afterAll(async () => {
  await t?.close();
  await flow?.remove();
  await suspendable?.remove();
});

describe('GET /worklist from the read model', () => {
  it('carries each step with its light, deadline in working days (seed 001 text 3 art. 22) and remaining working days', async () => {
    // given
    const c = await newCase();
    // when
    const res = await worklist(`caseNumber=${c.caseNumber}`);
    // then the skeleton's HandlerReview has 3 working days from the opening (the opening day does not count)
    const [task] = await flow.engine.tasks({ processInstanceId: c.processInstanceId });
    const deadline = calendar.deadline(new Date(task?.created ?? ''), 3);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({
        taskId: c.taskId,
        caseNumber: c.caseNumber,
        step: 'HandlerReview',
        matterCode: MATTER_A.code,
        matterName: MATTER_A.name,
        light: 'green',
        deadline: deadline.toISOString(),
        remainingWorkingDays: calendar.workingDaysBetween(clock.now(), deadline),
        timeLimitWorkingDays: 3,
        suspended: false,
      }),
    ]);
    expect(res.headers.get('x-total-count')).toBe('1');
  });

  it('filters by matter, step, due date and assignee, and sorts by deadline', async () => {
    // given two cases of matter B, one claimed by the handler
    const first = await newCase(MATTER_B);
    const second = await newCase(MATTER_B);
    expect((await post(`/tasks/${second.taskId}/claim`, handler)).status).toBe(204);
    // when
    const byMatter = await worklist(`matter=${MATTER_B.code}&sort=deadline`);
    const mine = await worklist(`matter=${MATTER_B.code}&assignee=me`);
    const unassigned = await worklist(`matter=${MATTER_B.code}&assignee=unassigned`);
    const wrongStep = await worklist(`matter=${MATTER_B.code}&step=ChiefReview`);
    const deadline = new Date(String(byMatter.body[0]?.deadline));
    const dueDay = new Date(deadline.getTime() + 8 * HOUR).toISOString().slice(0, 10); // the deadline's CST day
    const nextDay = new Date(deadline.getTime() + 8 * HOUR + DAY).toISOString().slice(0, 10);
    const dueThatDay = await worklist(`matter=${MATTER_B.code}&dueAfter=${dueDay}&dueBefore=${nextDay}`);
    const dueEarlier = await worklist(`matter=${MATTER_B.code}&dueBefore=${dueDay}`);
    // then
    expect(byMatter.body.map((w) => w.taskId).sort()).toEqual([first.taskId, second.taskId].sort());
    const deadlines = byMatter.body.map((w) => String(w.deadline));
    expect([...deadlines].sort()).toEqual(deadlines);
    expect(mine.body.map((w) => [w.taskId, w.assignee])).toEqual([[second.taskId, subjectOf(handler)]]);
    expect(unassigned.body.map((w) => w.taskId)).toEqual([first.taskId]);
    expect(wrongStep.body).toEqual([]);
    expect(dueThatDay.body).toHaveLength(2);
    expect(dueEarlier.body).toEqual([]);
  });

  it.each([
    ['light=amber', 'light'],
    ['dueBefore=tomorrow', 'dueBefore'],
    ['dueAfter=2026-13-01', 'dueAfter'],
    ['assignee=someone', 'assignee'],
    ['sort=priority', 'sort'],
    ['matter=%27%3B--', 'matter'],
  ])('refuses ?%s with 400 naming %s', async (q, field) => {
    const res = await worklist(q);
    const c = await counts(q.startsWith('sort') ? 'light=amber' : q);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
    expect(c.status).toBe(400);
  });

  it("shows only the officer's organisation: another organisation's steps are neither listed nor counted", async () => {
    // given a case of the other organisation, with a matter of this run
    const theirs = await newCase(MATTER_A, foreignOrg);
    // when
    const mineList = await worklist(`caseNumber=${theirs.caseNumber}`);
    const theirList = await worklist(`caseNumber=${theirs.caseNumber}`, foreign);
    const mineCounts = await counts(`caseNumber=${theirs.caseNumber}`);
    const theirCounts = await counts(`caseNumber=${theirs.caseNumber}`, foreign);
    // then
    expect(mineList.body).toEqual([]);
    expect(mineCounts.body.byLight).toEqual({ total: 0, green: 0, yellow: 0, red: 0 });
    expect(theirList.body.map((w) => w.taskId)).toEqual([theirs.taskId]);
    expect(theirCounts.body.byLight.total).toBe(1);
    expect((await httpRequest(`${t.url}/worklist/counts`, { token: await tokenOf('supervisor') })).status).toBe(403);
  });
});

describe('GET /worklist/counts', () => {
  it('counts the visible steps by light and by matter, with the same filters as the list', async () => {
    // when
    const all = await counts(`group=${encodeURIComponent(`handler:${MARKET_SECTION}`)}`);
    const a = await counts(`matter=${MATTER_A.code}`);
    const b = await counts(`matter=${MATTER_B.code}`);
    const bRed = await counts(`matter=${MATTER_B.code}&light=red`);
    const notMine = await counts(`group=${encodeURIComponent(`handler:${foreignOrg}`)}`);
    // then (matter A: the first test's case; the other organisation's case is not counted)
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ byLight: { total: 1, green: 1, yellow: 0, red: 0 }, byMatter: [{ matterCode: MATTER_A.code, matterName: MATTER_A.name, total: 1, green: 1, yellow: 0, red: 0 }] });
    expect(b.body.byLight).toEqual({ total: 2, green: 2, yellow: 0, red: 0 });
    expect(bRed.body.byLight.total).toBe(0);
    expect(all.body.byMatter).toEqual(expect.arrayContaining([expect.objectContaining({ matterCode: MATTER_B.code, total: 2 })]));
    expect([notMine.status, (notMine.body as unknown as { error: string }).error]).toEqual([403, E.NotYourGroup]);
  });
});

describe('step closed', () => {
  it('leaves the worklist when it is completed, and the next step appears in its group', async () => {
    // given
    const c = await newCase();
    // when
    const done = await httpRequest(`${t.url}/tasks/${c.taskId}/complete`, { token: handler, body: { outcome: 'approve', opinion: '材料齐全，拟同意。' } });
    // then
    expect(done.status).toBe(200);
    const [next] = await flow.engine.tasks({ processInstanceId: c.processInstanceId });
    await stepInReadModel(t, next?.id ?? '');
    expect((await t.ownerQuery(`SELECT 1 FROM open_steps WHERE task_id = $1`, [c.taskId]))).toEqual([]);
    expect((await worklist(`caseNumber=${c.caseNumber}`)).body).toEqual([]);
    expect((await worklist(`caseNumber=${c.caseNumber}`, chief)).body.map((w) => [w.taskId, w.step])).toEqual([[next?.id, 'ChiefReview']]);
  });
});

describe('catch-up with the engine', () => {
  it('shows steps opened while the read model missed their events, corrects assignees and drops steps closed elsewhere', async () => {
    // given an approval whose read model hears no events (down, or not yet deployed) on the same database
    const deaf = await startTestApproval({ WORKLIST_CONSUMER: 'false', WORKLIST_RECONCILE: 'false' });
    try {
      const missed = await newCase(MATTER_A, MARKET_SECTION, flow, deaf, false);
      const claimedElsewhere = await newCase(MATTER_A, MARKET_SECTION, flow, deaf, false);
      const list = (q: string) => httpRequest<Item[]>(`${deaf.url}/worklist?${q}`, { token: handler });
      expect((await list(`caseNumber=${missed.caseNumber}`)).body).toEqual([]);
      const projector = deaf.app.get(OpenStepsProjector);
      // when the reconciliation runs
      const first = await projector.reconcile();
      // then both steps show, with their limit from the model
      expect(first.added).toBeGreaterThanOrEqual(2);
      const shown = (await list(`caseNumber=${missed.caseNumber}`)).body;
      expect(shown).toEqual([expect.objectContaining({ taskId: missed.taskId, matterCode: MATTER_A.code, timeLimitWorkingDays: 3, light: 'green', assignee: null })]);
      // when one is claimed and the other completed on the engine, by another path than this approval
      await flow.engine.claim(claimedElsewhere.taskId, 'someone-else');
      await flow.engine.complete(missed.taskId, { HandlerReviewOutcome: 'approve', decision: 'approve' });
      const second = await projector.reconcile();
      // then
      expect(second.reassigned).toBeGreaterThanOrEqual(1);
      expect(second.removed).toBeGreaterThanOrEqual(1);
      expect((await list(`caseNumber=${claimedElsewhere.caseNumber}`)).body.map((w) => w.assignee)).toEqual(['someone-else']);
      const [next] = await flow.engine.tasks({ processInstanceId: missed.processInstanceId });
      expect((await httpRequest<Item[]>(`${deaf.url}/worklist?caseNumber=${missed.caseNumber}`, { token: chief })).body.map((w) => w.taskId)).toEqual([next?.id]);
      expect((await list(`caseNumber=${missed.caseNumber}`)).body).toEqual([]);
    } finally {
      await deaf.close();
    }
  });
});

describe('GET /cases/:caseNumber/view', () => {
  it('shows the diagram, the current position, opinions, actions, suspensions and the history to the case’s officers and supervisors only', async () => {
    // given a case whose first step was suspended, resumed and completed with an opinion
    const c = await newCase(MATTER_A, MARKET_SECTION, suspendable);
    expect((await post(`/tasks/${c.taskId}/claim`, handler)).status).toBe(204);
    expect((await post(`/cases/${c.caseNumber}/suspensions`, handler, { reason: 'expert-review', expectedDays: 10 })).status).toBe(200);
    expect((await post(`/cases/${c.caseNumber}/suspensions/current/resume`, handler)).status).toBe(200);
    expect((await post(`/tasks/${c.taskId}/complete`, handler, { outcome: 'approve', opinion: '材料齐全，拟同意。' })).status).toBe(200);
    // when
    const view = await httpRequest<Record<string, unknown> & { history: Array<Record<string, unknown>>; opinions: Array<Record<string, unknown>> }>(`${t.url}/cases/${c.caseNumber}/view`, { token: chief });
    const supervisor = await httpRequest(`${t.url}/cases/${c.caseNumber}/view`, { token: await tokenOf('supervisor') });
    const outsider = await httpRequest<Record<string, unknown>>(`${t.url}/cases/${c.caseNumber}/view`, { token: foreign });
    const unknown = await httpRequest<Record<string, unknown>>(`${t.url}/cases/449900-20261201-999999999/view`, { token: chief });
    // then
    expect(view.status).toBe(200);
    expect(String(view.body.bpmnXml)).toContain(`id="${suspendable.key}"`);
    expect(view.body.activeActivityIds).toEqual(['ChiefReview']);
    expect(view.body.opinions).toEqual([expect.objectContaining({ taskId: c.taskId, step: 'HandlerReview', officerId: subjectOf(handler), outcome: 'approve', opinion: '材料齐全，拟同意。' })]);
    expect((view.body.actions as Array<Record<string, unknown>>).map((a) => a.action)).toEqual(['suspend', 'resume']);
    expect(view.body.suspensions).toEqual([expect.objectContaining({ reason: 'expert-review', expectedDays: 10, suspendedBy: subjectOf(handler), resumedBy: subjectOf(handler), resumedAt: expect.any(String) })]);
    expect(view.body.documents).toEqual([]);
    expect(view.body.history).toEqual(expect.arrayContaining([expect.objectContaining({ activityId: 'HandlerReview', assignee: subjectOf(handler), endTime: expect.any(String) }), expect.objectContaining({ activityId: 'ChiefReview', endTime: null })]));
    expect(supervisor.status).toBe(200);
    expect([outsider.status, outsider.body.error]).toEqual([404, E.CaseNotFound]);
    expect([unknown.status, unknown.body.error]).toEqual([404, E.CaseNotFound]);
    // the same answer as for a case that does not exist: nothing tells the outsider it does
    expect(outsider.body.message).toBe(String(unknown.body.message).replace('449900-20261201-999999999', c.caseNumber));
  });
});

// The clock moves forward from here on (the lights of the steps above change with it).
describe('lights over time (seed 001 text 3 art. 22; issue 10)', () => {
  it('turns a step yellow within 24 hours of its deadline and red once overdue, in the list, the filters and the counts', async () => {
    // given
    const c = await newCase();
    const [row] = await t.ownerQuery<{ deadline: Date }>(`SELECT deadline FROM open_steps WHERE task_id = $1`, [c.taskId]);
    const deadline = new Date(row?.deadline ?? 0);
    const light = async () => (await worklist(`caseNumber=${c.caseNumber}`)).body[0];
    expect((await light())?.light).toBe('green');
    // when 12 hours before the deadline
    clock.set(new Date(deadline.getTime() - 12 * HOUR));
    // then
    expect(await light()).toEqual(expect.objectContaining({ light: 'yellow', remainingWorkingDays: 0 }));
    expect((await worklist(`caseNumber=${c.caseNumber}&light=yellow`)).body).toHaveLength(1);
    expect((await worklist(`caseNumber=${c.caseNumber}&light=green`)).body).toHaveLength(0);
    expect((await counts(`caseNumber=${c.caseNumber}`)).body.byLight).toEqual({ total: 1, green: 0, yellow: 1, red: 0 });
    // when past the deadline
    clock.set(new Date(deadline.getTime() + 1000));
    // then
    const overdue = await light();
    expect(overdue?.light).toBe('red');
    expect(overdue?.remainingWorkingDays).toBeLessThan(0);
    expect((await worklist(`caseNumber=${c.caseNumber}&light=red`)).body).toHaveLength(1);
    expect((await counts(`caseNumber=${c.caseNumber}`)).body.byLight).toEqual({ total: 1, green: 0, yellow: 0, red: 1 });
  });

  it('stops the clock during a suspension (the light stands still) and moves the deadline by the suspended working days on resumption', async () => {
    // given a step of a flow with the suspension path, held by the handler
    const c = await newCase(MATTER_A, MARKET_SECTION, suspendable);
    expect((await post(`/tasks/${c.taskId}/claim`, handler)).status).toBe(204);
    const before = (await worklist(`caseNumber=${c.caseNumber}`)).body[0];
    const originalDeadline = new Date(String(before?.deadline));
    // when the case is suspended and the clock passes the original deadline
    expect((await post(`/cases/${c.caseNumber}/suspensions`, handler, { reason: 'expert-review', expectedDays: 10 })).status).toBe(200);
    await eventuallySuspended(c.taskId);
    clock.advance(14 * DAY);
    // then the step is shown suspended, its light as it was
    const during = (await worklist(`caseNumber=${c.caseNumber}`)).body[0];
    expect(during).toEqual(expect.objectContaining({ suspended: true, light: before?.light, deadline: originalDeadline.toISOString() }));
    // when it resumes
    expect((await post(`/cases/${c.caseNumber}/suspensions/current/resume`, handler)).status).toBe(200);
    const after = await eventuallyResumed(c.taskId);
    // then the deadline moved past every working day the suspension covered
    const [s] = await t.ownerQuery<{ suspended_at: Date; resumed_at: Date }>(`SELECT suspended_at, resumed_at FROM case_suspensions WHERE case_number = $1`, [c.caseNumber]);
    const [task] = await suspendable.engine.tasks({ processInstanceId: c.processInstanceId });
    const expected = calendar.deadline(new Date(task?.created ?? ''), Number(before?.timeLimitWorkingDays), [{ from: new Date(s?.suspended_at ?? 0), to: new Date(s?.resumed_at ?? 0) }]);
    expect(after.toISOString()).toBe(expected.toISOString());
    expect(calendar.workingDaysBetween(originalDeadline, after)).toBeGreaterThanOrEqual(8);
    const shown = (await worklist(`caseNumber=${c.caseNumber}`)).body[0];
    expect(shown).toEqual(expect.objectContaining({ suspended: false, deadline: expected.toISOString(), light: 'green' }));
  });
});

async function eventuallySuspended(taskId: string): Promise<void> {
  await eventually(`${taskId} suspended in open_steps`, async () => (await t.ownerQuery(`SELECT 1 FROM open_steps WHERE task_id = $1 AND suspended_at IS NOT NULL`, [taskId]))[0]);
}

async function eventuallyResumed(taskId: string): Promise<Date> {
  const row = await eventually(`${taskId} resumed in open_steps`, async () => (await t.ownerQuery<{ deadline: Date }>(`SELECT deadline FROM open_steps WHERE task_id = $1 AND suspended_at IS NULL`, [taskId]))[0]);
  return new Date(row.deadline);
}

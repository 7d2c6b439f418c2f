import { randomUUID } from 'node:crypto';
import { makeEvent } from '@gov/contracts';
import { InboxContext } from '@gov/messaging';
import { DataSource } from 'typeorm';
import { type TestApproval, type TestFlow, MARKET_SECTION, deployLibraryTestFlow, startTestApproval } from '../testing/test-app';
import { CaseStarter } from './case-starter';
import { START_CASE_CONSUMER, StartCaseConsumer } from './start-case.controller';

// A case starts on the engine after the inbox transaction that recorded it commits (no transaction across the engine
// call), with the matter version's per-step limits (issue 9: flows are "parameterised from the catalogue (step
// limits ...)") set as the variables the flow's tasks read their limits from (bpmn/README.md, variable contract).
// The step limits are the law's (seed 001 text 3: 承办人 5 working days, art. 13; 处室负责人 3, art. 16; 分管领导 5,
// art. 18), which a matter's catalogue version may set shorter (承诺时限).

const TENANT = '449900';
let t: TestApproval;
let flow: TestFlow;
let ds: DataSource;
let seq = Math.floor(Math.random() * 1e6);

beforeAll(async () => {
  flow = await deployLibraryTestFlow('standard-review.bpmn', 'standard-review', TENANT);
  t = await startTestApproval({ RECONCILE_INTERVAL_MS: '600000' });
  ds = t.app.get(DataSource);
});
afterAll(async () => {
  await t?.close();
  await flow?.remove();
});

const nextCase = () => `${TENANT}-20261203-${String(++seq).padStart(9, '0')}`;

function acceptedEvent(caseNumber: string, stepLimits?: { step: string; name: string; workingDays: number }[]) {
  const at = new Date().toISOString();
  return makeEvent({
    type: 'gov.intake.application.accepted',
    source: '/intake',
    subject: caseNumber,
    data: {
      caseNumber,
      applicationId: randomUUID(),
      matterCode: 'DEMO-SCJG-002',
      matterName: '示范事项',
      processKey: flow.key,
      departmentCode: MARKET_SECTION,
      tenantId: TENANT,
      applicant: { kind: 'person', id: '449901198503120015', name: '张三' },
      acceptedAt: at,
      timeLimitWorkingDays: 20,
      promisedLimitWorkingDays: 13,
      form: {},
      ...(stepLimits ? { stepLimits } : {}),
    },
  });
}

/** Hands the event to the consumer in a transaction, as the inbox does; returns its after-commit work, not yet run. */
async function record(event: ReturnType<typeof acceptedEvent>): Promise<(() => Promise<void>)[]> {
  const consumer = t.app.get(StartCaseConsumer, { strict: false });
  const work: (() => Promise<void>)[] = [];
  await ds.transaction((manager) => consumer.accepted(event, new InboxContext(manager, START_CASE_CONSUMER, (w) => work.push(w))));
  return work;
}

const caseRow = async (caseNumber: string) =>
  (await t.ownerQuery<{ status: string; process_instance_id: string | null }>('SELECT status, process_instance_id FROM cases WHERE case_number = $1', [caseNumber]))[0];
const startedEvents = (caseNumber: string) => t.ownerQuery(`SELECT 1 FROM outbox WHERE key = $1 AND type = 'gov.approval.case.started'`, [caseNumber]);

describe('starting cases', () => {
  it("starts the case after the commit with the matter's step limits as the variables its tasks read (seed 001 text 3 art. 13, 16, 18)", async () => {
    // given
    const caseNumber = nextCase();
    const event = acceptedEvent(caseNumber, [
      { step: 'HandlerReview', name: '承办人审查', workingDays: 4 },
      { step: 'LeaderReview', name: '分管领导审批', workingDays: 2 },
      { step: 'NoSuchStep', name: '不存在的环节', workingDays: 9 },
    ]);
    // when the inbox transaction commits: the case is recorded, not yet started
    const work = await record(event);
    expect(await caseRow(caseNumber)).toMatchObject({ status: 'accepted', process_instance_id: null });
    expect(work).toHaveLength(1);
    // and its after-commit work runs
    await work[0]();
    // then
    const row = await caseRow(caseNumber);
    expect(row.status).toBe('in-review');
    const instance = row.process_instance_id ?? '';
    expect(await flow.engine.variable(instance, 'handlerLimitDays')).toBe(4);
    expect(await flow.engine.variable(instance, 'leaderLimitDays')).toBe(2);
    // a step the matter does not name keeps the model's default; a step the flow lacks is left out
    expect(await flow.engine.variable(instance, 'chiefLimitDays')).toBeUndefined();
    // the flows' case limit is the promised one
    expect(await flow.engine.variable(instance, 'timeLimitWorkingDays')).toBe(13);
    expect(await startedEvents(caseNumber)).toHaveLength(1);
  });

  it('finishes a start that never ran (a crash after the commit) from the reconciler, once, even with two starters racing', async () => {
    // given a case recorded whose after-commit start was lost
    const caseNumber = nextCase();
    await record(acceptedEvent(caseNumber));
    expect((await caseRow(caseNumber)).status).toBe('accepted');
    // when the reconciler and a second starter go at it at once
    const starter = t.app.get(CaseStarter, { strict: false });
    const [a, b, reconciled] = await Promise.all([starter.start(caseNumber), starter.start(caseNumber), starter.reconcileOnce()]);
    // then exactly one instance, one started event, and the case in review
    expect(await flow.engine.processInstances({ businessKey: caseNumber, processDefinitionKey: flow.key })).toHaveLength(1);
    expect(await startedEvents(caseNumber)).toHaveLength(1);
    expect((await caseRow(caseNumber)).status).toBe('in-review');
    expect([a, b].filter((o) => o === 'started').length + reconciled).toBe(1);
    // and a redelivered acceptance changes nothing
    const again = await record(acceptedEvent(caseNumber));
    expect(again).toHaveLength(0);
    expect(await flow.engine.processInstances({ businessKey: caseNumber, processDefinitionKey: flow.key })).toHaveLength(1);
  });

  it('adopts the instance a start left behind when it died before marking the case started', async () => {
    // given an instance already on the engine for the case (started, then the starter was killed before its commit)
    const caseNumber = nextCase();
    const event = acceptedEvent(caseNumber);
    await record(event);
    const orphan = await flow.engine.startByKey(flow.key, { businessKey: caseNumber, tenantId: TENANT, variables: { applicationId: event.data.applicationId, departmentCode: MARKET_SECTION, caseNumber } });
    // when the reconciler runs
    await t.app.get(CaseStarter, { strict: false }).reconcileOnce();
    // then that instance is the case's, and no second one was started
    expect((await caseRow(caseNumber)).process_instance_id).toBe(orphan.id);
    expect(await flow.engine.processInstances({ businessKey: caseNumber, processDefinitionKey: flow.key })).toHaveLength(1);
  });

  it('never starts a case that ended before it could start', async () => {
    // given a recorded case, withdrawn before its start ran
    const caseNumber = nextCase();
    const work = await record(acceptedEvent(caseNumber));
    await t.ownerQuery(`UPDATE cases SET status = 'withdrawn' WHERE case_number = $1`, [caseNumber]);
    // when its start runs
    await work[0]();
    // then
    expect(await flow.engine.processInstances({ businessKey: caseNumber, processDefinitionKey: flow.key })).toEqual([]);
    expect(await startedEvents(caseNumber)).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { type EventType, makeEvent, type NewEvent } from '@gov/contracts';
import { InboxContext } from '@gov/messaging';
import { DataSource } from 'typeorm';
import { CaseStarter } from '../cases/case-starter';
import { START_CASE_CONSUMER, StartCaseConsumer } from '../cases/start-case.controller';
import { type TestApproval, type TestFlow, MARKET_SECTION, deployTestFlow, startTestApproval } from '../testing/test-app';
import { EndCaseConsumer } from './end-case.controller';

// A case starts only on acceptance (issue 8 §6) and a withdrawal the window accepted ends it wherever it is, with a
// 准予撤回 decision generated (seed 001 text 3, art. 11: "撤回申请经窗口受理后,正在进行的该行政审批项目自动终止,
// 并自动生成准予撤回行政许可的决定"). Events are handed to the @OnEvent handlers in a transaction, and their after-commit work run after it, as the inbox does.

const TENANT = '449900';
let t: TestApproval;
let flow: TestFlow;
let ds: DataSource;
let seq = Math.floor(Math.random() * 1e6);

beforeAll(async () => {
  flow = await deployTestFlow(TENANT);
  t = await startTestApproval();
  ds = t.app.get(DataSource);
});
afterAll(async () => {
  await t?.close();
  await flow?.remove();
});

async function deliver<T extends EventType>(e: Omit<NewEvent<T>, 'source'>, run: (event: never, ctx: InboxContext) => Promise<void>, options: { lostAfterCommit?: boolean } = {}): Promise<void> {
  const event = makeEvent({ ...e, source: '/intake' });
  const afterCommit: (() => Promise<void>)[] = [];
  await ds.transaction((manager) => run(event as never, new InboxContext(manager, START_CASE_CONSUMER, (work) => afterCommit.push(work))));
  // lostAfterCommit: the service died (or the engine was down) right after the commit
  if (!options.lostAfterCommit) for (const work of afterCommit) await work();
}

function accepted(caseNumber: string, mode: 'window' | 'with-missing' | 'deemed') {
  const at = new Date().toISOString();
  return {
    caseNumber,
    applicationId: randomUUID(),
    matterCode: 'DEMO-SCJG-001',
    matterName: '食品经营许可（演示）',
    processKey: flow.key,
    departmentCode: MARKET_SECTION,
    tenantId: TENANT,
    applicant: { kind: 'person' as const, id: '449901198503120015', name: '张三' },
    acceptedAt: at,
    timeLimitWorkingDays: 7,
    form: { businessPremises: '示范市东城区兴中道1号' },
    receivedAt: at,
    acceptedBy: mode === 'deemed' ? null : 'clerk.market',
    mode,
    matterVersion: 1,
    promisedDeadline: at,
  };
}

const nextCase = () => `${TENANT}-20261202-${String(++seq).padStart(9, '0')}`;
const caseRow = async (caseNumber: string) => (await t.ownerQuery<{ status: string; process_instance_id: string | null }>('SELECT status, process_instance_id FROM cases WHERE case_number = $1', [caseNumber]))[0];

describe('cases start on acceptance and end on withdrawal', () => {
  it('starts a case on a deemed acceptance, and a withdrawal mid-review cancels the instance and issues 准予撤回', async () => {
    // given a case deemed accepted (no officer) and in review on the engine
    const start = t.app.get(StartCaseConsumer, { strict: false });
    const end = t.app.get(EndCaseConsumer, { strict: false });
    const caseNumber = nextCase();
    await deliver({ type: 'gov.intake.application.deemed-accepted', subject: caseNumber, data: accepted(caseNumber, 'deemed') }, (e, ctx) => start.deemedAccepted(e, ctx));
    const started = await caseRow(caseNumber);
    expect(started.status).toBe('in-review');
    expect(await flow.engine.tasks({ processInstanceId: started.process_instance_id ?? '' })).toHaveLength(1);
    // when the window accepts the applicant's withdrawal
    const withdrawn = {
      caseNumber,
      applicationId: randomUUID(),
      matterCode: 'DEMO-SCJG-001',
      departmentCode: MARKET_SECTION,
      tenantId: TENANT,
      reason: '需更正申请内容',
      requestedAt: new Date().toISOString(),
      withdrawnAt: new Date().toISOString(),
      acceptedBy: 'clerk.market',
      wasAccepted: true,
    };
    await deliver({ type: 'gov.intake.application.withdrawn', subject: caseNumber, data: withdrawn }, (e, ctx) => end.withdrawn(e, ctx));
    // and the event is delivered again
    await deliver({ type: 'gov.intake.application.withdrawn', subject: caseNumber, data: withdrawn }, (e, ctx) => end.withdrawn(e, ctx));
    // then
    expect(await caseRow(caseNumber)).toMatchObject({ status: 'withdrawn' });
    expect(await flow.engine.processInstances({ businessKey: caseNumber })).toEqual([]);
    const decisions = await t.ownerQuery<{ decision: string; document_number: string }>('SELECT decision, document_number FROM decisions WHERE case_number = $1', [caseNumber]);
    expect(decisions).toHaveLength(1);
    expect(decisions[0].decision).toBe('withdrawn');
    expect(decisions[0].document_number).toMatch(/^449900-11449900000000111Y-撤〔\d{4}〕\d{6}号$/);
    const ended = await t.ownerQuery<{ payload: { data: Record<string, unknown> } }>(`SELECT payload FROM outbox WHERE key = $1 AND type = 'gov.approval.case.ended'`, [caseNumber]);
    expect(ended).toHaveLength(1);
    expect(ended[0].payload.data).toMatchObject({ outcome: 'withdrawn', documentNumber: decisions[0].document_number, processInstanceId: started.process_instance_id });
  });

  it('starts a case accepted with materials missing, and ends it when the commitment is not kept', async () => {
    // given
    const start = t.app.get(StartCaseConsumer, { strict: false });
    const end = t.app.get(EndCaseConsumer, { strict: false });
    const caseNumber = nextCase();
    const data = { ...accepted(caseNumber, 'with-missing'), missing: [{ key: 'safetyRules', name: '食品安全管理制度' }], deferredDeadline: new Date().toISOString(), commitment: { signedBy: '张三', signedAt: new Date().toISOString(), text: '承诺补齐' } };
    await deliver({ type: 'gov.intake.application.accepted-with-missing', subject: caseNumber, data }, (e, ctx) => start.acceptedWithMissing(e, ctx));
    expect((await caseRow(caseNumber)).status).toBe('in-review');
    // when
    await deliver(
      {
        type: 'gov.intake.application.terminated',
        subject: caseNumber,
        data: { caseNumber, applicationId: data.applicationId, matterCode: 'DEMO-SCJG-001', departmentCode: MARKET_SECTION, tenantId: TENANT, reason: '容缺材料逾期未补齐', missing: data.missing, terminatedAt: new Date().toISOString() },
      },
      (e, ctx) => end.terminated(e, ctx),
    );
    // then
    expect((await caseRow(caseNumber)).status).toBe('terminated');
    expect(await flow.engine.processInstances({ businessKey: caseNumber })).toEqual([]);
    const [d] = await t.ownerQuery<{ decision: string }>('SELECT decision FROM decisions WHERE case_number = $1', [caseNumber]);
    expect(d.decision).toBe('terminated');
  });

  it("deletes an ended case's instance from the reconciler when the deletion after the commit was lost", async () => {
    // given a case in review
    const start = t.app.get(StartCaseConsumer, { strict: false });
    const end = t.app.get(EndCaseConsumer, { strict: false });
    const caseNumber = nextCase();
    const data = accepted(caseNumber, 'window');
    await deliver({ type: 'gov.intake.application.accepted', subject: caseNumber, data }, (e, ctx) => start.accepted(e, ctx));
    expect((await caseRow(caseNumber)).status).toBe('in-review');
    // when it is withdrawn and the service dies before the engine is asked
    const withdrawn = { caseNumber, applicationId: data.applicationId, matterCode: 'DEMO-SCJG-001', departmentCode: MARKET_SECTION, tenantId: TENANT, reason: '撤回', requestedAt: new Date().toISOString(), withdrawnAt: new Date().toISOString(), acceptedBy: 'clerk.market', wasAccepted: true };
    await deliver({ type: 'gov.intake.application.withdrawn', subject: caseNumber, data: withdrawn }, (e, ctx) => end.withdrawn(e, ctx), { lostAfterCommit: true });
    expect((await caseRow(caseNumber)).status).toBe('withdrawn');
    expect(await flow.engine.processInstances({ businessKey: caseNumber })).toHaveLength(1);
    // and the reconciler runs
    await t.app.get(CaseStarter, { strict: false }).reconcileOnce();
    // then the instance is gone, and nothing is left to cancel
    expect(await flow.engine.processInstances({ businessKey: caseNumber })).toEqual([]);
    expect(await t.ownerQuery('SELECT 1 FROM cases WHERE case_number = $1 AND instance_cancel_reason IS NOT NULL', [caseNumber])).toEqual([]);
  });

  it('starts nothing for a withdrawal before acceptance', async () => {
    // given
    const end = t.app.get(EndCaseConsumer, { strict: false });
    const caseNumber = nextCase();
    // when
    await deliver(
      {
        type: 'gov.intake.application.withdrawn',
        subject: caseNumber,
        data: { caseNumber, applicationId: randomUUID(), matterCode: 'DEMO-SCJG-001', departmentCode: MARKET_SECTION, tenantId: TENANT, reason: '不再需要', requestedAt: new Date().toISOString(), withdrawnAt: new Date().toISOString(), acceptedBy: 'clerk.market', wasAccepted: false },
      },
      (e, ctx) => end.withdrawn(e, ctx),
    );
    // then
    expect(await caseRow(caseNumber)).toBeUndefined();
    expect(await t.ownerQuery('SELECT 1 FROM decisions WHERE case_number = $1', [caseNumber])).toEqual([]);
  });
});

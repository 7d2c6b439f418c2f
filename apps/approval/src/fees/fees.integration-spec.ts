import { randomUUID } from 'node:crypto';
import { type CatalogueFeeData, makeEvent } from '@gov/contracts';
import { InboxContext } from '@gov/messaging';
import { KitErrors } from '@gov/service-kit';
import { eventually, httpRequest } from '@gov/testing';
import { DataSource } from 'typeorm';
import { START_CASE_CONSUMER, StartCaseConsumer } from '../cases/start-case.controller';
import { EndCaseConsumer } from '../decisions/end-case.controller';
import { ApprovalErrors } from '../errors';
import { type TestApproval, type TestFlow, MARKET_SECTION, deployLibraryTestFlow, startTestApproval, tokenOf } from '../testing/test-app';

// Fees through the platform (issue 9 §3; seed 001 text 3 art. 13: the handler determines the fees; art. 19 (二): on
// approval a 缴费通知书 is issued and the applicant pays within the period; art. 20: unpaid by then, 不予许可). The
// standard review runs on the real engine with this approval's workers (request-payment, issue-decision on the test
// flow's own topics); cases start from intake's accepted event carrying the matter's catalogue fees.

const E = ApprovalErrors.code;
const TENANT = '449900';
/** The default payment period of this approval: short, so the unpaid case reaches its deadline in the test. */
const PERIOD_MS = 8_000;
const CATALOGUE: CatalogueFeeData[] = [
  { code: 'F1', name: '食品经营许可证工本费', standard: '每证 50 元', amountFen: 5000, basis: '示范省行政事业性收费标准', payment: '政务服务窗口缴纳' },
  { code: 'F2', name: '现场核查检测费', standard: '按检测项目计收', amountFen: null, basis: '示范省行政事业性收费标准', payment: '政务服务窗口缴纳' },
];

let t: TestApproval;
let flow: TestFlow;
let ds: DataSource;
let handler: string;
let chief: string;
let leader: string;
let clerk: string;
let seq = Math.floor(Math.random() * 1e6);

beforeAll(async () => {
  flow = await deployLibraryTestFlow('standard-review.bpmn', 'standard-review', TENANT);
  t = await startTestApproval({
    WORKERS_ENABLED: 'true',
    ISSUE_DECISION_TOPIC: flow.topic,
    REQUEST_PAYMENT_TOPIC: flow.paymentTopic,
    WORKER_LONG_POLL_MS: '1000',
    FEE_PAYMENT_PERIOD: `PT${PERIOD_MS / 1000}S`,
    RECONCILE_INTERVAL_MS: '1000',
    PAYMENT_CORRELATE_AFTER_MS: '0',
  });
  ds = t.app.get(DataSource);
  [handler, chief, leader, clerk] = [await tokenOf('handler.market'), await tokenOf('chief.market'), await tokenOf('leader.market'), await tokenOf('clerk.market')];
}, 120_000);
afterAll(async () => {
  await t?.close();
  await flow?.remove();
});

const post = (path: string, token: string, body?: unknown, key: string = randomUUID()) =>
  httpRequest<Record<string, unknown>>(`${t.url}${path}`, { method: 'POST', token, ...(body === undefined ? {} : { body }), headers: { 'idempotency-key': key } });
const approve = (fields: Record<string, unknown> = {}) => ({ outcome: 'approve', opinion: '材料齐全，符合法定条件，拟同意。', ...fields });

/** A case accepted by intake with the matter's catalogue fees, started on the engine as the start-case consumer does. */
async function acceptedCase(): Promise<{ caseNumber: string; processInstanceId: string }> {
  const caseNumber = `${TENANT}-20261203-${String(++seq).padStart(9, '0')}`;
  const at = new Date().toISOString();
  const event = makeEvent({
    type: 'gov.intake.application.accepted',
    source: '/intake',
    subject: caseNumber,
    tenantId: TENANT,
    data: {
      caseNumber,
      applicationId: randomUUID(),
      matterCode: 'DEMO-SCJG-FEE',
      matterName: '食品经营许可（收费演示）',
      processKey: flow.key,
      departmentCode: MARKET_SECTION,
      tenantId: TENANT,
      applicant: { kind: 'person', id: '449901198503120015', name: '张三' },
      acceptedAt: at,
      timeLimitWorkingDays: 20,
      form: {},
      fees: CATALOGUE,
    },
  });
  const afterCommit: (() => Promise<void>)[] = [];
  const start = t.app.get(StartCaseConsumer, { strict: false });
  await ds.transaction((manager) => start.accepted(event, new InboxContext(manager, START_CASE_CONSUMER, (work) => afterCommit.push(work))));
  for (const work of afterCommit) await work();
  const [row] = await t.ownerQuery<{ process_instance_id: string | null }>('SELECT process_instance_id FROM cases WHERE case_number = $1', [caseNumber]);
  if (!row?.process_instance_id) throw new Error(`case ${caseNumber} did not start`);
  return { caseNumber, processInstanceId: row.process_instance_id };
}

async function openTask(processInstanceId: string, step: string): Promise<string> {
  return eventually(`${step} open`, async () => (await flow.engine.tasks({ processInstanceId })).find((task) => task.taskDefinitionKey === step)?.id, 30_000);
}

async function completeStep(processInstanceId: string, step: string, token: string, body: Record<string, unknown> = approve()): Promise<void> {
  const res = await post(`/tasks/${await openTask(processInstanceId, step)}/complete`, token, body);
  expect([step, res.status, res.body.error]).toEqual([step, 200, undefined]);
}

const outbox = (caseNumber: string, type: string) =>
  t.ownerQuery<{ payload: { data: Record<string, unknown> } }>(`SELECT payload FROM outbox WHERE key = $1 AND type = $2 ORDER BY id`, [caseNumber, type]).then((rows) => rows.map((r) => r.payload.data));
const paymentRequested = (caseNumber: string) => eventually(`payment request of ${caseNumber}`, async () => (await outbox(caseNumber, 'gov.approval.fee.payment-requested'))[0], 60_000);
const decided = (caseNumber: string, timeoutMs = 60_000) => eventually(`decision of ${caseNumber}`, async () => (await outbox(caseNumber, 'gov.approval.case.decided'))[0], timeoutMs);

describe('fees through the standard review (seed 001 text 3 art. 13, 19-20)', () => {
  it('standard review with an expert-review suspension and a fee paid', async () => {
    // given a case whose matter has a fixed and a variable catalogue fee
    const c = await acceptedCase();
    // when the handler determines both fees (and a payment period of 10 days), the clock is suspended for expert review
    // and resumed, and the chief and the leader agree
    await completeStep(c.processInstanceId, 'HandlerReview', handler, approve({ fees: [{ code: 'F1', amountFen: 5000 }, { code: 'F2', amountFen: 12000 }], paymentDays: 10 }));
    await openTask(c.processInstanceId, 'ChiefReview');
    expect((await post(`/cases/${c.caseNumber}/suspensions`, chief, { reason: 'expert-review', expectedDays: 10 })).status).toBe(200);
    expect((await post(`/cases/${c.caseNumber}/suspensions/current/resume`, chief)).status).toBe(200);
    await completeStep(c.processInstanceId, 'ChiefReview', chief);
    await completeStep(c.processInstanceId, 'LeaderReview', leader);
    // then the determination is recorded and announced, and the payment notice is requested with items, total and deadline
    expect(await outbox(c.caseNumber, 'gov.approval.fee.determined')).toEqual([
      expect.objectContaining({ stepId: 'HandlerReview', totalFen: 17000, paymentDays: 10, items: [expect.objectContaining({ code: 'F1', amountFen: 5000, catalogueAmountFen: 5000 }), expect.objectContaining({ code: 'F2', amountFen: 12000, catalogueAmountFen: null })] }),
    ]);
    const request = await paymentRequested(c.caseNumber);
    expect(request).toEqual(expect.objectContaining({ caseNumber: c.caseNumber, totalFen: 17000, period: 'P10D', departmentCode: MARKET_SECTION }));
    const days = (Date.parse(String(request.deadline)) - Date.parse(String(request.requestedAt))) / 86_400_000;
    expect(days).toBe(10);
    // when the window confirms a wrong amount, then the right one, retries it, and another clerk's request comes in
    const wrong = await post(`/cases/${c.caseNumber}/payments`, clerk, { amountFen: 5000, receiptNumber: 'FS-2026-000001' });
    const key = randomUUID();
    const paid = await post(`/cases/${c.caseNumber}/payments`, clerk, { amountFen: 17000, receiptNumber: 'FS-2026-000002' }, key);
    const retry = await post(`/cases/${c.caseNumber}/payments`, clerk, { amountFen: 17000, receiptNumber: 'FS-2026-000002' }, key);
    const reused = await post(`/cases/${c.caseNumber}/payments`, clerk, { amountFen: 17000, receiptNumber: 'FS-2026-000003' }, key);
    const twice = await post(`/cases/${c.caseNumber}/payments`, clerk, { amountFen: 17000, receiptNumber: 'FS-2026-000004' });
    // then
    expect([wrong.status, wrong.body.error]).toEqual([400, E.PaymentAmountMismatch]);
    expect(paid.status).toBe(200);
    expect(paid.body).toEqual(expect.objectContaining({ caseNumber: c.caseNumber, amountFen: 17000, channel: 'window', reference: 'FS-2026-000002' }));
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.paymentId).toBe(paid.body.paymentId);
    expect([reused.status, reused.body.error]).toEqual([409, KitErrors.code.IdempotencyKeyReused]);
    expect([twice.status, twice.body.error]).toEqual([409, E.FeeAlreadyPaid]);
    // and the flow takes the payment and issues the approval
    expect(await decided(c.caseNumber)).toEqual(expect.objectContaining({ decision: 'approved' }));
    expect(await flow.engine.historicVariable(c.processInstanceId, 'feePaymentId')).toBe(paid.body.paymentId);
    expect(await t.ownerQuery('SELECT correlation FROM fee_payments WHERE case_number = $1', [c.caseNumber])).toEqual([{ correlation: 'correlated' }]);
    expect(await outbox(c.caseNumber, 'gov.approval.fee.paid')).toEqual([expect.objectContaining({ amountFen: 17000, channel: 'window', reference: 'FS-2026-000002' })]);
    const view = await httpRequest<Record<string, unknown>>(`${t.url}/cases/${c.caseNumber}/fees`, { token: handler });
    expect(view.status).toBe(200);
    expect(view.body).toEqual(expect.objectContaining({ catalogue: CATALOGUE, request: expect.objectContaining({ status: 'paid', totalFen: 17000 }) as unknown, payment: expect.objectContaining({ correlation: 'correlated' }) as unknown }));
  }, 180_000);

  it('fee unpaid, giving a refusal', async () => {
    // given an approved case with a fee, whose payment notice gives the default (short) period
    const c = await acceptedCase();
    await completeStep(c.processInstanceId, 'HandlerReview', handler, approve({ fees: [{ code: 'F1', amountFen: 5000 }] }));
    await completeStep(c.processInstanceId, 'ChiefReview', chief);
    await completeStep(c.processInstanceId, 'LeaderReview', leader);
    const request = await paymentRequested(c.caseNumber);
    expect(request).toEqual(expect.objectContaining({ totalFen: 5000, period: `PT${PERIOD_MS / 1000}S` }));
    // when nobody pays by the deadline
    const refusal = await decided(c.caseNumber, 90_000);
    // then the case is refused for the unpaid fee, and a payment after the deadline is refused and changes nothing
    expect(refusal).toEqual(expect.objectContaining({ decision: 'rejected', refusalReason: 'fee-unpaid' }));
    expect(Date.now()).toBeGreaterThan(Date.parse(String(request.deadline)));
    const late = await post(`/cases/${c.caseNumber}/payments`, clerk, { amountFen: 5000, receiptNumber: 'FS-2026-000009' });
    expect([late.status, late.body.error]).toEqual([409, E.PaymentDeadlinePassed]);
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM fee_payments WHERE case_number = $1', [c.caseNumber])).toEqual([{ n: 0 }]);
  }, 180_000);

  it('takes one of several concurrent window confirmations, and hands a payment whose correlation was lost to the flow by the reconciler', async () => {
    // given two approved cases waiting for payment (a generous period set by the handler)
    const [a, b] = [await acceptedCase(), await acceptedCase()];
    for (const c of [a, b]) {
      await completeStep(c.processInstanceId, 'HandlerReview', handler, approve({ fees: [{ code: 'F1', amountFen: 5000 }], paymentDays: 5 }));
      await completeStep(c.processInstanceId, 'ChiefReview', chief);
      await completeStep(c.processInstanceId, 'LeaderReview', leader);
      await paymentRequested(c.caseNumber);
    }
    // when four clerks' confirmations of case a arrive at once
    const results = await Promise.all([1, 2, 3, 4].map((n) => post(`/cases/${a.caseNumber}/payments`, clerk, { amountFen: 5000, receiptNumber: `FS-2026-00010${n}` })));
    // then one is taken, the others are refused as paid already, and one payment is recorded
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.error).toBe(E.FeeAlreadyPaid);
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM fee_payments WHERE case_number = $1', [a.caseNumber])).toEqual([{ n: 1 }]);
    expect(await decided(a.caseNumber)).toEqual(expect.objectContaining({ decision: 'approved' }));
    // when case b's payment was recorded and committed but the service died before correlating it
    const paymentId = randomUUID();
    await t.ownerQuery(
      `INSERT INTO fee_payments (id, case_number, amount_fen, channel, reference, confirmed_by, paid_at, idempotency_key, request_hash, correlation)
       VALUES ($1, $2, 5000, 'window', 'FS-2026-000200', 'clerk', now(), $3, 'h', 'pending')`,
      [paymentId, b.caseNumber, randomUUID()],
    );
    await t.ownerQuery(`UPDATE payment_requests SET status = 'paid' WHERE case_number = $1`, [b.caseNumber]);
    // then the reconciler hands it to the flow, which issues the approval
    expect(await decided(b.caseNumber)).toEqual(expect.objectContaining({ decision: 'approved' }));
    expect(await flow.engine.historicVariable(b.processInstanceId, 'feePaymentId')).toBe(paymentId);
    expect(await t.ownerQuery('SELECT correlation FROM fee_payments WHERE id = $1', [paymentId])).toEqual([{ correlation: 'correlated' }]);
  }, 180_000);

  it('takes no payment on a case withdrawn while its payment notice runs', async () => {
    // given an approved case waiting for payment
    const c = await acceptedCase();
    await completeStep(c.processInstanceId, 'HandlerReview', handler, approve({ fees: [{ code: 'F1', amountFen: 5000 }], paymentDays: 5 }));
    await completeStep(c.processInstanceId, 'ChiefReview', chief);
    await completeStep(c.processInstanceId, 'LeaderReview', leader);
    await paymentRequested(c.caseNumber);
    // when the window accepts the applicant's withdrawal (seed 001 text 3 art. 11)
    const at = new Date().toISOString();
    const withdrawn = makeEvent({
      type: 'gov.intake.application.withdrawn',
      source: '/intake',
      subject: c.caseNumber,
      data: { caseNumber: c.caseNumber, applicationId: randomUUID(), matterCode: 'DEMO-SCJG-FEE', departmentCode: MARKET_SECTION, tenantId: TENANT, reason: '不再经营', requestedAt: at, withdrawnAt: at, acceptedBy: 'clerk.market', wasAccepted: true },
    });
    const afterCommit: (() => Promise<void>)[] = [];
    await ds.transaction((manager) => t.app.get(EndCaseConsumer, { strict: false }).withdrawn(withdrawn, new InboxContext(manager, START_CASE_CONSUMER, (work) => afterCommit.push(work))));
    for (const work of afterCommit) await work();
    // then a payment is refused and nothing is recorded
    const res = await post(`/cases/${c.caseNumber}/payments`, clerk, { amountFen: 5000, receiptNumber: 'FS-2026-000300' });
    expect([res.status, res.body.error]).toEqual([409, E.NoPaymentDue]);
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM fee_payments WHERE case_number = $1', [c.caseNumber])).toEqual([{ n: 0 }]);
  }, 120_000);

  it('refuses a determination outside the catalogue, with a clear 4xx that changes nothing', async () => {
    // given a case at the handler's review
    const c = await acceptedCase();
    const taskId = await openTask(c.processInstanceId, 'HandlerReview');
    // when the handler names a fee the catalogue does not have, a wrong fixed amount, a negative or absurd amount, or none
    const notInCatalogue = await post(`/tasks/${taskId}/complete`, handler, approve({ fees: [{ code: 'F9', amountFen: 100 }] }));
    const wrongAmount = await post(`/tasks/${taskId}/complete`, handler, approve({ fees: [{ code: 'F1', amountFen: 4000 }] }));
    const negative = await post(`/tasks/${taskId}/complete`, handler, approve({ fees: [{ code: 'F2', amountFen: -1 }] }));
    const absurd = await post(`/tasks/${taskId}/complete`, handler, approve({ fees: [{ code: 'F2', amountFen: 9_000_000_000 }] }));
    const none = await post(`/tasks/${taskId}/complete`, handler, approve());
    // then
    expect([notInCatalogue.status, notInCatalogue.body.error]).toEqual([400, E.FeeNotInCatalogue]);
    expect([wrongAmount.status, wrongAmount.body.error]).toEqual([400, E.FeeAmountMismatch]);
    expect([negative.status, negative.body.error]).toEqual([400, KitErrors.code.ValidationFailed]);
    expect([absurd.status, absurd.body.error]).toEqual([400, E.FeeAmountOutOfRange]);
    expect([none.status, none.body.error]).toEqual([400, E.FeesRequired]);
    expect((await flow.engine.tasks({ processInstanceId: c.processInstanceId })).map((task) => task.id)).toEqual([taskId]);
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM pending_completions WHERE case_number = $1', [c.caseNumber])).toEqual([{ n: 0 }]);
    expect(await t.ownerQuery('SELECT count(*)::int AS n FROM fee_determinations WHERE case_number = $1', [c.caseNumber])).toEqual([{ n: 0 }]);
    expect(await flow.engine.variable(c.processInstanceId, 'feeAmount')).toBeUndefined();
    // and a payment on a case with no payment notice is refused
    const early = await post(`/cases/${c.caseNumber}/payments`, clerk, { amountFen: 5000, receiptNumber: 'FS-2026-000010' });
    expect([early.status, early.body.error]).toEqual([409, E.NoPaymentDue]);
    // and the fees are determined at the handler's review only
    await completeStep(c.processInstanceId, 'HandlerReview', handler, approve({ fees: [] }));
    const atChief = await post(`/tasks/${await openTask(c.processInstanceId, 'ChiefReview')}/complete`, chief, approve({ fees: [{ code: 'F1', amountFen: 5000 }] }));
    expect([atChief.status, atChief.body.error]).toEqual([400, E.FeesNotDeterminedHere]);
  }, 120_000);
});

import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeEvent } from '@gov/contracts';
import { InboxContext } from '@gov/messaging';
import { STACK, eventually, httpRequest } from '@gov/testing';
import { CamundaAdminClient } from '@gov/workflow';
import { DataSource } from 'typeorm';
import { ApprovalErrors } from '../errors';
import { OpenStepsProjector } from '../worklist/open-steps.projector';
import { acceptThroughConsumer, issueDecisionOnTopic } from '../testing/case-flow';
import { type TestApproval, MARKET_SECTION, startTestApproval, stepInReadModel, tokenOf } from '../testing/test-app';
import { CaseStarter } from './case-starter';
import { START_CASE_CONSUMER, StartCaseConsumer } from './start-case.controller';

// 上报件 (issue 9 §1, seed 003: 县级受理、市级审批、县级制发): "a county window's case is reviewed and signed off by the
// city's department (a different tenant), and comes back to the county to issue the document". The county's
// higher-level-submission runs in the county tenant (449901, 东城区) and calls higher-level-review in the city tenant
// (449900, 示范市) for the city department the matter names (reportsTo → cityTenantId, cityDepartmentCode). Every
// step is worked through this approval's worklist and task API with the demo officers' real tokens; the engine,
// PostgreSQL and Kafka are the stack's.
//
// Officers: 东城区市场监督管理局 (handler.dongcheng: handler of 11449901000000011P) works the county steps; the city
// bureau's 登记注册处 (MARKET_SECTION) the city steps: handler.market reviews, leader.market (the bureau's leader,
// whose organisations include the section) signs off. The shared stack's identity has no county section chief yet
// (this branch's seed adds chief.dongcheng), so this copy of the flow offers CountyChiefReview to the county's
// handlers: the chief's step is still worked through the API by a county officer.

const CITY = '449900';
const COUNTY = '449901';
const DC_MARKET = '11449901000000011P';
const BPMN = join(__dirname, '../../../../bpmn');
const WORKER = 'upreport-test';

const engine = new CamundaAdminClient({ baseUrl: STACK.engineUrl });
const suffix = randomBytes(4).toString('hex');
const cityKey = `approval-test-city-${suffix}`;
const countyKey = `approval-test-county-${suffix}`;
const topic = `issue-decision-test-${suffix}`;
const deployments: string[] = [];
let t: TestApproval;
let ds: DataSource;
let countyHandler: string;
let cityHandler: string;
let cityLeader: string;
let outsider: string;
let seq = Math.floor(Math.random() * 1e6);

async function deploy(file: string, processId: string, key: string, tenantId: string, renames: Record<string, string> = {}): Promise<void> {
  let xml = readFileSync(join(BPMN, file), 'utf8').replaceAll(`"${processId}"`, `"${key}"`).replaceAll('camunda:topic="issue-decision"', `camunda:topic="${topic}"`);
  for (const [from, to] of Object.entries(renames)) xml = xml.replaceAll(from, to);
  const d = await engine.deploy({ name: key, tenantId, source: 'approval-tests', files: [{ name: `${key}.bpmn`, content: xml }] });
  deployments.push(d.id);
}

beforeAll(async () => {
  await deploy('higher-level-review.bpmn', 'higher-level-review', cityKey, CITY);
  await deploy('higher-level-submission.bpmn', 'higher-level-submission', countyKey, COUNTY, {
    'calledElement="higher-level-review"': `calledElement="${cityKey}"`,
    'camunda:candidateGroups="section_chief:${departmentCode}"': 'camunda:candidateGroups="handler:${departmentCode}"',
  });
  t = await startTestApproval({ RECONCILE_INTERVAL_MS: '600000' });
  ds = t.app.get(DataSource);
  [countyHandler, cityHandler, cityLeader, outsider] = await Promise.all(['handler.dongcheng', 'handler.market', 'leader.market', 'handler.resources'].map(tokenOf));
});

afterAll(async () => {
  await t?.close();
  for (const id of deployments) await engine.deleteDeployment(id, true).catch(() => undefined);
});

const REPORTS_TO = { level: 'city' as const, tenantId: CITY, departmentCode: MARKET_SECTION, departmentName: '示范市市场监督管理局（登记注册处）' };

function acceptedEvent(caseNumber: string, withReportsTo = true) {
  return makeEvent({
    type: 'gov.intake.application.accepted',
    source: '/intake',
    subject: caseNumber,
    tenantId: COUNTY,
    data: {
      caseNumber,
      applicationId: randomUUID(),
      matterCode: 'DEMO-SCJG-010',
      matterName: '药品零售企业经营许可（区级受理、上报市局，演示）',
      processKey: countyKey,
      departmentCode: DC_MARKET,
      tenantId: COUNTY,
      applicant: { kind: 'person', id: '449901198503120015', name: '张三' },
      acceptedAt: new Date().toISOString(),
      timeLimitWorkingDays: 20,
      promisedLimitWorkingDays: 15,
      form: {},
      stepLimits: [
        { step: 'CountyReview', name: '区局初审', workingDays: 4 },
        { step: 'CountyChiefReview', name: '区局审核上报', workingDays: 2 },
        { step: 'CityHandlerReview', name: '市局审查（上报件）', workingDays: 4 },
        { step: 'CitySignOff', name: '市局审查签发（上报件）', workingDays: 3 },
        { step: 'CountyIssue', name: '区局制发送达', workingDays: 2 },
      ],
      ...(withReportsTo ? { reportsTo: REPORTS_TO } : {}),
    },
  });
}

/** Hands the event to the start-case consumer in a transaction, as the inbox does, then runs its after-commit work. */
function accept(caseNumber: string, withReportsTo = true): Promise<void> {
  return acceptThroughConsumer(t, acceptedEvent(caseNumber, withReportsTo));
}

const caseRow = async (caseNumber: string) =>
  (await t.ownerQuery<{ status: string; process_instance_id: string | null; reports_to_department_code: string | null }>('SELECT status, process_instance_id, reports_to_department_code FROM cases WHERE case_number = $1', [caseNumber]))[0];

/** The one open task of an instance at `step`, once the engine has it. */
const openTask = (processInstanceId: string, step: string) =>
  eventually(`${step} open`, async () => (await engine.tasks({ processInstanceId })).find((x) => x.taskDefinitionKey === step), 30_000, 200);

const worklist = (token: string, caseNumber: string) => httpRequest<Array<{ taskId: string; caseNumber: string | null; step: string; timeLimitWorkingDays: number | null }>>(`${t.url}/worklist?caseNumber=${caseNumber}`, { token });
const complete = (taskId: string, token: string, opinion: string) =>
  httpRequest<{ caseNumber?: string; step?: string; error?: string }>(`${t.url}/tasks/${taskId}/complete`, { token, body: { outcome: 'approve', opinion }, headers: { 'idempotency-key': randomUUID() } });
const stepsSeenBy = async (token: string, caseNumber: string) => (await worklist(token, caseNumber)).body.map((s) => s.step);

/** Works the decision step as the issue-decision worker does (the test's own topic: the stack's workers never see it). */
const issueDecision = (processInstanceId: string) => issueDecisionOnTopic(t, engine, topic, WORKER, processInstanceId);

describe('上报件 county → city → county', () => {
  it('runs the county steps in the county, the city steps in the city tenant for its officers only, and issues one decision in the county', async () => {
    // given a 上报件 accepted at 东城区's window, naming the city bureau's department
    const caseNumber = `${COUNTY}-20261203-${String(++seq).padStart(9, '0')}`;
    await accept(caseNumber);
    const c = await caseRow(caseNumber);
    expect(c).toMatchObject({ status: 'in-review', reports_to_department_code: MARKET_SECTION });
    const pid = c.process_instance_id ?? '';
    expect(await engine.variable(pid, 'cityTenantId')).toBe(CITY);
    expect(await engine.variable(pid, 'cityDepartmentCode')).toBe(MARKET_SECTION);
    // the called flow's limits are set at start with the county's own
    expect(await engine.variable(pid, 'cityHandlerLimitDays')).toBe(4);
    expect(await engine.variable(pid, 'cityLeaderLimitDays')).toBe(3);
    expect(await engine.variable(pid, 'issueLimitDays')).toBe(2);

    // when the county reviews: only the county's officers see the step
    const review = await openTask(pid, 'CountyReview');
    await stepInReadModel(t, review.id);
    expect(await stepsSeenBy(countyHandler, caseNumber)).toEqual(['CountyReview']);
    expect(await stepsSeenBy(cityHandler, caseNumber)).toEqual([]);
    expect((await complete(review.id, cityHandler, '市局代为审查。')).body.error).toBe(ApprovalErrors.code.NotYourStep);
    expect((await complete(review.id, countyHandler, '材料齐全，符合条件，拟上报市局。')).status).toBe(200);
    const chief = await openTask(pid, 'CountyChiefReview');
    expect((await complete(chief.id, countyHandler, '同意上报市局审查。')).status).toBe(200);

    // then the case is in the city tenant: a child instance of the case, worked by the city department's officers
    const child = await eventually('the city review instance', async () => (await engine.historicProcessInstances({ superProcessInstanceId: pid }))[0], 30_000, 200);
    expect(child).toMatchObject({ processDefinitionKey: cityKey, tenantId: CITY, businessKey: caseNumber });
    const cityReview = await openTask(child.id, 'CityHandlerReview');
    expect(cityReview.tenantId).toBe(CITY);
    expect(await stepInReadModel(t, cityReview.id)).toMatchObject({ case_number: caseNumber, tenant_id: CITY, organisation: MARKET_SECTION, time_limit_working_days: 4 });
    // (a city step whose event the read model missed is brought back by the catch-up, with its case)
    await t.ownerQuery('DELETE FROM open_steps WHERE task_id = $1', [cityReview.id]);
    const projector = t.app.get(OpenStepsProjector);
    await projector.reconcile();
    await projector.reconcile();
    expect(await stepInReadModel(t, cityReview.id)).toMatchObject({ case_number: caseNumber, tenant_id: CITY, organisation: MARKET_SECTION, matter_code: 'DEMO-SCJG-010', time_limit_working_days: 4 });
    expect(await worklist(cityHandler, caseNumber)).toMatchObject({ status: 200, body: [{ taskId: cityReview.id, caseNumber, step: 'CityHandlerReview', timeLimitWorkingDays: 4 }] });
    expect(await stepsSeenBy(countyHandler, caseNumber)).toEqual([]);
    expect((await complete(cityReview.id, countyHandler, '区局越权签署。')).body.error).toBe(ApprovalErrors.code.NotYourStep);
    expect(await complete(cityReview.id, cityHandler, '经审查，符合许可条件，拟同意。')).toMatchObject({ status: 200, body: { caseNumber, step: 'CityHandlerReview' } });
    const firstSignOff = await openTask(child.id, 'CitySignOff');
    await stepInReadModel(t, firstSignOff.id);
    expect(await stepsSeenBy(cityLeader, caseNumber)).toEqual(['CitySignOff']);
    expect(await stepsSeenBy(countyHandler, caseNumber)).toEqual([]);
    // (回退 within the city: the leader returns it to the city's handler, recorded in the case's actions)
    expect((await httpRequest(`${t.url}/tasks/${firstSignOff.id}/claim`, { method: 'POST', token: cityLeader })).status).toBeLessThan(300);
    const returned = await httpRequest<{ action: string; openedTaskId: string }>(`${t.url}/tasks/${firstSignOff.id}/return`, { token: cityLeader, body: { toStep: 'CityHandlerReview', reason: '请补充执业药师在岗核查意见' } });
    expect(returned).toMatchObject({ status: 200, body: { action: 'return' } });
    const again = await openTask(child.id, 'CityHandlerReview');
    expect(returned.body.openedTaskId).toBe(again.id);
    expect(await t.ownerQuery('SELECT action, step FROM case_actions WHERE case_number = $1', [caseNumber])).toEqual([{ action: 'return', step: 'CitySignOff' }]);
    expect((await complete(again.id, cityHandler, '已核查，执业药师在岗，拟同意。')).status).toBe(200);
    const signOff = await openTask(child.id, 'CitySignOff');
    expect(await complete(signOff.id, cityLeader, '同意许可，退回东城区制发。')).toMatchObject({ status: 200, body: { caseNumber, step: 'CitySignOff' } });

    // and it comes back to the county to issue, which the city no longer sees
    const issue = await openTask(pid, 'CountyIssue');
    await stepInReadModel(t, issue.id);
    expect(await stepsSeenBy(countyHandler, caseNumber)).toEqual(['CountyIssue']);
    expect(await stepsSeenBy(cityHandler, caseNumber)).toEqual([]);
    expect(await stepsSeenBy(cityLeader, caseNumber)).toEqual([]);
    expect((await complete(issue.id, countyHandler, '按市局签发意见制发许可证。')).status).toBe(200);
    const decision = await issueDecision(pid);

    // then one decision, approved on the city's sign-off, issued by the county, with every opinion in order
    expect(decision.decision).toBe('approved');
    expect(decision.documentNumber).toMatch(new RegExp(`^${COUNTY}-${DC_MARKET}-许`));
    expect(await t.ownerQuery('SELECT decision FROM decisions WHERE case_number = $1', [caseNumber])).toEqual([{ decision: 'approved' }]);
    expect((await caseRow(caseNumber)).status).toBe('decided');
    // the higher authority's approval (批文) is the city's sign-off: intake counts publicity from it (art. 21 (三))
    const [decided] = await t.ownerQuery<{ data: Record<string, unknown> }>(`SELECT payload->'data' AS data FROM outbox WHERE key = $1 AND type = 'gov.approval.case.decided'`, [caseNumber]);
    const [signedOff] = await t.ownerQuery<{ at: Date }>(`SELECT opinion_at AS at FROM pending_completions WHERE task_id = $1`, [signOff.id]);
    expect(decided?.data).toMatchObject({ decision: 'approved', decidingDepartmentCode: DC_MARKET, higherApprovalAt: signedOff?.at.toISOString() });
    const opinions = await t.ownerQuery<{ task_definition_key: string }>('SELECT task_definition_key FROM opinions WHERE case_number = $1 ORDER BY created_at', [caseNumber]);
    expect(opinions.map((o) => o.task_definition_key)).toEqual(['CountyReview', 'CountyChiefReview', 'CityHandlerReview', 'CityHandlerReview', 'CitySignOff', 'CountyIssue']);
    await eventually('the instance ended', async () => (await engine.historicProcessInstances({ processInstanceId: pid }))[0]?.state === 'COMPLETED', 30_000, 200);

    // and the case view shows the city's part to the city's officers as to the county's; nobody else sees the case
    const view = await httpRequest<{ reportsToDepartmentCode: string; calledInstances: Array<{ tenantId: string; processDefinitionKey: string; history: Array<{ activityId: string }> }> }>(`${t.url}/cases/${caseNumber}/view`, { token: cityLeader });
    expect(view.status).toBe(200);
    expect(view.body.reportsToDepartmentCode).toBe(MARKET_SECTION);
    expect(view.body.calledInstances).toHaveLength(1);
    expect(view.body.calledInstances[0]).toMatchObject({ tenantId: CITY, processDefinitionKey: cityKey });
    expect(view.body.calledInstances[0]?.history.map((h) => h.activityId)).toEqual(expect.arrayContaining(['CityHandlerReview', 'CitySignOff']));
    expect((await httpRequest(`${t.url}/cases/${caseNumber}/view`, { token: countyHandler })).status).toBe(200);
    expect((await httpRequest(`${t.url}/cases/${caseNumber}`, { token: cityHandler })).status).toBe(200);
    expect((await httpRequest<{ error: string }>(`${t.url}/cases/${caseNumber}/view`, { token: outsider })).body.error).toBe(ApprovalErrors.code.CaseNotFound);
  });

  it('does not start a 上报件 whose case lacks the city tenant: the case waits, no instance runs', async () => {
    // given an accepted event of the county flow without reportsTo (a flow key outside HIGHER_LEVEL_FLOWS, so the
    // start-case handler records it and the starter's own guard is what stops it)
    const caseNumber = `${COUNTY}-20261203-${String(++seq).padStart(9, '0')}`;
    const consumer = t.app.get(StartCaseConsumer, { strict: false });
    await ds.transaction((manager) => consumer.accepted(acceptedEvent(caseNumber, false), new InboxContext(manager, START_CASE_CONSUMER, () => undefined)));
    // when
    const started = t.app.get(CaseStarter).start(caseNumber);
    // then
    await expect(started).rejects.toThrow(/cityTenantId.*does not set: not started/);
    expect(await caseRow(caseNumber)).toMatchObject({ status: 'accepted', process_instance_id: null });
    expect(await engine.processInstances({ businessKey: caseNumber })).toEqual([]);
  });
});

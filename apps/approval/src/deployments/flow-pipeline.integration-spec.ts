import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KitErrors } from '@gov/service-kit';
import { STACK, httpRequest } from '@gov/testing';
import { CamundaAdminClient } from '@gov/workflow';
import { ApprovalErrors } from '../errors';
import { type TestApproval, startTestApproval, tokenOf } from '../testing/test-app';

// Issue 9 §4 and seed 004 art. 14: a flow reaches the engine only through upload → checks → the department head's
// approval → filing → deployment, each step in the ledger. The demo analyst works for the city (tenant 449900), the
// demo leader leader.market for the city's market bureau (same tenant).

const E = ApprovalErrors.code;
const TENANT = '449900';
const engine = new CamundaAdminClient({ baseUrl: STACK.engineUrl });
const standard = readFileSync(join(__dirname, '../../../../bpmn/standard-review.bpmn'), 'utf8');
let t: TestApproval;
let analyst: string;
let leader: string;
const keys: string[] = [];

/** The standard review under a fresh process key (so versions start at 1 and nothing else runs it). */
function flowXml(key: string, tweak: (xml: string) => string = (x) => x): string {
  return tweak(standard.replaceAll('"standard-review"', `"${key}"`));
}
function newKey(): string {
  const key = `pipeline-test-${randomBytes(4).toString('hex')}`;
  keys.push(key);
  return key;
}

const submit = (bpmnXml: string, token = analyst, headers: Record<string, string> = {}) =>
  httpRequest<Record<string, unknown>>(`${t.url}/flow-submissions`, { body: { tenantId: TENANT, fileName: 'flow.bpmn', bpmnXml }, token, headers });
const review = (id: string, outcome: 'approve' | 'reject', token = leader) =>
  httpRequest<Record<string, unknown>>(`${t.url}/flow-submissions/${id}/review`, { body: { outcome, comment: '经审核，同意该流程变更并备案。' }, token });
const deploy = (id: string, token = analyst) => httpRequest<Record<string, unknown>>(`${t.url}/flow-submissions/${id}/deployment`, { body: {}, token });
const migrate = (id: string, fromVersion: number, dryRun: boolean) =>
  httpRequest<Record<string, unknown>>(`${t.url}/flow-submissions/${id}/migrations`, { body: { fromVersion, dryRun }, token: analyst });

beforeAll(async () => {
  t = await startTestApproval();
  analyst = await tokenOf('analyst');
  leader = await tokenOf('leader.market');
});

afterAll(async () => {
  for (const key of keys) {
    const defs = await engine.processDefinitionsByKey(key, TENANT).catch(() => []);
    for (const d of defs) {
      const deployment = (d as unknown as { deploymentId?: string }).deploymentId;
      if (deployment) await engine.deleteDeployment(deployment, true).catch(() => undefined);
    }
  }
  await t?.close();
});

describe('POST /flow-submissions (checks)', () => {
  it('accepts a sound, linted flow and records the submission in the ledger', async () => {
    // given
    const key = newKey();
    // when
    const res = await submit(flowXml(key));
    // then
    expect(res.status).toBe(201);
    expect(res.body).toEqual(expect.objectContaining({ processKey: key, tenantId: TENANT, status: 'checked' }));
    const got = await httpRequest<{ history: { action: string }[] }>(`${t.url}/flow-submissions/${String(res.body.id)}`, { token: analyst });
    expect(got.body.history.map((h) => h.action)).toEqual(['submitted']);
  });

  it('refuses an unsound model with 400 and the failing path (seed 001 text 4)', async () => {
    // given the chief's step closed by a parallel join that only one branch reaches
    const key = newKey();
    const broken = flowXml(key, (x) =>
      x
        .replace('<bpmn:exclusiveGateway id="ToDecision" name="作出决定"', '<bpmn:parallelGateway id="ToDecision" name="作出决定"')
        .replace(/<\/bpmn:exclusiveGateway>(\s*<bpmn:exclusiveGateway id="FeeDue")/, '</bpmn:parallelGateway>$1'),
    );
    // when
    const res = await submit(broken);
    // then
    expect(res.status).toBe(400);
    expect(res.body).toEqual(expect.objectContaining({ error: E.FlowChecksFailed }));
    const report = (res.body.details as { report: { soundness: { sound: boolean; problems: { kind: string; elements: string[]; path: string[] }[] } } }).report;
    expect(report.soundness.sound).toBe(false);
    const stuck = report.soundness.problems.find((p) => p.kind === 'unmatched-parallel-join');
    expect(stuck?.elements).toEqual(['ToDecision']);
    expect(stuck?.path[0]).toBe('Accepted');
  });

  it.each([
    ['malformed XML', '<bpmn:definitions><unclosed>', 'not a readable BPMN'],
    ['an XXE attempt', `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</bpmn:definitions>`, 'DOCTYPE'],
    ['a file without an executable process', '<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t" />', 'exactly one executable process'],
  ])('refuses %s with 400 naming the problem', async (_what, xml, message) => {
    const res = await submit(xml);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(E.FlowChecksFailed);
    expect(JSON.stringify(res.body.details)).toContain(message);
  });

  it('refuses a flow that breaks the project rules (no candidate groups, no withdrawal)', async () => {
    const key = newKey();
    const res = await submit(flowXml(key, (x) => x.replace(' camunda:candidateGroups="handler:${departmentCode}"', '').replace('name="withdrawal"', 'name="withdraw-something"')));
    expect(res.status).toBe(400);
    const rules = (res.body.details as { report: { rules: { rule: string }[] } }).report.rules.map((r) => r.rule).sort();
    expect(rules).toEqual(['user-task-candidate-groups', 'withdrawal-subprocess']);
  });

  it('refuses a huge file with a 4xx and a bad field with 400, and needs an Idempotency-Key', async () => {
    const huge = await submit(`<x>${'a'.repeat(600_000)}</x>`);
    expect([400, 413]).toContain(huge.status);
    const badTenant = await httpRequest<Record<string, unknown>>(`${t.url}/flow-submissions`, { body: { tenantId: 'x', fileName: 'a.txt', bpmnXml: '' }, token: analyst });
    expect(badTenant.status).toBe(400);
    expect(JSON.stringify(badTenant.body)).toContain('tenantId');
    const noKey = await submit(flowXml(newKey()), analyst, { 'idempotency-key': '' });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error).toBe(KitErrors.code.IdempotencyKeyMissing);
  });

  it('replays a retried submission with the same Idempotency-Key instead of creating a second one', async () => {
    const xml = flowXml(newKey());
    const headers = { 'idempotency-key': `flow-${randomBytes(6).toString('hex')}` };
    const first = await submit(xml, analyst, headers);
    const second = await submit(xml, analyst, headers);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body.id).toBe(first.body.id);
  });

  it('only lets analysts upload', async () => {
    const res = await submit(flowXml(newKey()), leader);
    expect(res.status).toBe(403);
  });
});

describe('bad input on the other pipeline endpoints', () => {
  it.each([
    ['a review with an unknown outcome', (id: string) => httpRequest<Record<string, unknown>>(`${t.url}/flow-submissions/${id}/review`, { body: { outcome: 'maybe', comment: '好' }, token: leader }), 400, 'outcome'],
    ['a migration with a version that is not a number', (id: string) => httpRequest<Record<string, unknown>>(`${t.url}/flow-submissions/${id}/migrations`, { body: { fromVersion: 'one', dryRun: true }, token: analyst }), 400, 'fromVersion'],
    ['a migration to a submission that is not deployed', (id: string) => migrate(id, 1, true), 409, E.FlowNotApproved],
    ['a deployment of an unknown submission', () => deploy('0b6e2a3c-5a8e-4c51-9f7e-3f1a2b3c4d5e'), 404, E.FlowSubmissionNotFound],
    ['a submission id that is not a UUID', () => httpRequest<Record<string, unknown>>(`${t.url}/flow-submissions/not-a-uuid`, { token: analyst }), 400, 'param.id must be a UUID'],
  ])('answers %s with a clear 4xx and changes nothing', async (_what, call, status, names) => {
    // given a checked submission
    const s = await submit(flowXml(newKey()));
    const id = String(s.body.id);
    // when
    const res = await call(id);
    // then
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body)).toContain(names);
    const after = await httpRequest<{ status: string; history: unknown[] }>(`${t.url}/flow-submissions/${id}`, { token: analyst });
    expect(after.body.status).toBe('checked');
    expect(after.body.history).toHaveLength(1);
  });
});

describe('review, filing and deployment', () => {
  it('deploys nothing that the department head has not approved', async () => {
    // given a checked but unreviewed submission
    const key = newKey();
    const s = await submit(flowXml(key));
    // when
    const res = await deploy(String(s.body.id));
    // then
    expect(res.status).toBe(409);
    expect(res.body.error).toBe(E.FlowNotApproved);
    expect(await engine.processDefinitionsByKey(key, TENANT)).toEqual([]);
  });

  it('deploys nothing that the department head refused', async () => {
    const key = newKey();
    const s = await submit(flowXml(key));
    expect((await review(String(s.body.id), 'reject')).body.status).toBe('rejected');
    expect((await deploy(String(s.body.id))).status).toBe(409);
    expect((await review(String(s.body.id), 'approve')).body.error).toBe(E.FlowAlreadyReviewed);
    expect(await engine.processDefinitionsByKey(key, TENANT)).toEqual([]);
  });

  it('answers 422 with the engine\'s reason when the engine refuses an approved file (XSD element order), and deploys nothing', async () => {
    // given a file the checks accept (bpmn-moddle reads elements in any order) but the BPMN XSD refuses
    const key = newKey();
    const xml = flowXml(key, (x) => x.replace('<bpmn:incoming>Flow_start</bpmn:incoming>\n      <bpmn:outgoing>Flow_handlerDone</bpmn:outgoing>\n    </bpmn:userTask>', '</bpmn:userTask>').replace(
      '<bpmn:userTask id="HandlerReview" name="承办人审查（核定收费）" camunda:candidateGroups="handler:${departmentCode}">',
      '<bpmn:userTask id="HandlerReview" name="承办人审查（核定收费）" camunda:candidateGroups="handler:${departmentCode}"><bpmn:incoming>Flow_start</bpmn:incoming><bpmn:outgoing>Flow_handlerDone</bpmn:outgoing>',
    ));
    const s = await submit(xml);
    expect(s.status).toBe(201);
    const id = String(s.body.id);
    await review(id, 'approve');
    // when
    const res = await deploy(id);
    // then
    expect(res.status).toBe(422);
    expect(res.body.error).toBe(E.EngineRefused);
    expect(String(res.body.message)).toContain('cvc-complex-type');
    const after = await httpRequest<{ status: string }>(`${t.url}/flow-submissions/${id}`, { token: analyst });
    expect(after.body.status).toBe('approved');
    expect(await engine.processDefinitionsByKey(key, TENANT)).toEqual([]);
  });

  it('approves, files and deploys a new version for the tenant, then migrates a running instance after a dry run', async () => {
    // given version 1 approved, filed and deployed
    const key = newKey();
    const v1 = await submit(flowXml(key));
    const id1 = String(v1.body.id);
    const reviewed = await review(id1, 'approve');
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.filingNumber).toMatch(/^449900-流程备案〔\d{4}〕/);
    const deployed = await deploy(id1);
    expect(deployed.body).toEqual(expect.objectContaining({ status: 'deployed', processDefinitionVersion: 1 }));
    expect((await deploy(id1)).body.processDefinitionId).toBe(deployed.body.processDefinitionId);
    const instance = await engine.startByKey(key, { businessKey: `pipeline-${key}`, tenantId: TENANT, variables: { departmentCode: '11449900000000111Y' } });
    // and version 2 (the chief's limit changes) through the same pipeline
    const v2 = await submit(flowXml(key, (x) => x.replace('name="timeLimitWorkingDays" value="3"', 'name="timeLimitWorkingDays" value="4"')));
    const id2 = String(v2.body.id);
    await review(id2, 'approve');
    const deployed2 = await deploy(id2);
    expect(deployed2.body.processDefinitionVersion).toBe(2);
    // when the analyst migrates without a dry run, then with one, then for real
    const blind = await migrate(id2, 1, false);
    const dry = await migrate(id2, 1, true);
    const real = await migrate(id2, 1, false);
    // then
    expect(blind.status).toBe(409);
    expect(blind.body.error).toBe(E.MigrationDryRunFirst);
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual(expect.objectContaining({ dryRun: true, failures: [], instances: [instance.id], migrated: 0 }));
    expect(real.body).toEqual(expect.objectContaining({ dryRun: false, migrated: 1 }));
    const [moved] = await engine.processInstances({ businessKey: `pipeline-${key}` });
    expect(moved?.definitionId).toBe(deployed2.body.processDefinitionId);
    // and every step is in the ledger, which refuses changes
    const history = await httpRequest<{ history: { action: string }[] }>(`${t.url}/flow-submissions/${id2}`, { token: leader });
    expect(history.body.history.map((h) => h.action)).toEqual(['submitted', 'approved', 'filed', 'deployed', 'migration-dry-run', 'migrated']);
    await expect(t.appQuery(`UPDATE flow_pipeline_log SET actor_name = 'x'`)).rejects.toThrow();
    const supervisor = await tokenOf('supervisor');
    expect((await httpRequest<{ intact: boolean }>(`${t.url}/flow-pipeline/verify`, { token: supervisor })).body).toEqual({ intact: true });
    // and an edit made around the triggers (as the superuser) is detected
    await t.superQuery(`ALTER TABLE flow_pipeline_log DISABLE TRIGGER flow_pipeline_log_no_update`);
    await t.superQuery(`UPDATE flow_pipeline_log SET actor_name = '篡改' WHERE chain_partition = $1 AND action = 'approved'`, [id2]);
    await t.superQuery(`ALTER TABLE flow_pipeline_log ENABLE ALWAYS TRIGGER flow_pipeline_log_no_update`);
    expect((await httpRequest<{ intact: boolean }>(`${t.url}/flow-pipeline/verify`, { token: supervisor })).body).toEqual({ intact: false });
  });
});

import { randomUUID } from 'node:crypto';
import { KitErrors } from '@gov/service-kit';
import { httpRequest } from '@gov/testing';
import { ApprovalErrors } from '../errors';
import { type TestApproval, type TestFlow, deployTestFlow, startTestApproval, startTestCase, tokenOf } from '../testing/test-app';

const E = ApprovalErrors.code;
let t: TestApproval;
let flow: TestFlow;
let handler: string;

beforeAll(async () => {
  flow = await deployTestFlow();
  t = await startTestApproval();
  handler = await tokenOf('handler.market');
});

afterAll(async () => {
  await t?.close();
  await flow?.remove();
});

const newCase = () => startTestCase(flow, (sql, params) => t.ownerQuery(sql, params));

describe('GET /cases/:caseNumber', () => {
  it('shows the case with its opinions to officers of the handling organisation and to supervisors', async () => {
    // given
    const c = await newCase();
    const done = await httpRequest<Record<string, unknown>>(`${t.url}/tasks/${c.taskId}/complete`, { token: handler, body: { outcome: 'approve', opinion: '材料齐全，拟同意。' } });
    expect(done.status).toBe(200);
    // when
    const asHandler = await httpRequest<{ caseNumber: string; status: string; opinions: Array<Record<string, unknown>> }>(`${t.url}/cases/${c.caseNumber}`, { token: handler });
    const asSupervisor = await httpRequest<{ opinions: unknown[] }>(`${t.url}/cases/${c.caseNumber}`, { token: await tokenOf('supervisor') });
    // then
    expect(asHandler.status).toBe(200);
    expect(asHandler.body).toMatchObject({ caseNumber: c.caseNumber, status: 'in-review' });
    expect(asHandler.body.opinions).toEqual([expect.objectContaining({ taskId: c.taskId, outcome: 'approve', opinion: '材料齐全，拟同意。', hash: done.body.opinionHash })]);
    expect(asSupervisor.status).toBe(200);
    expect(asSupervisor.body.opinions).toHaveLength(1);
  });

  it("refuses another organisation's officer with 403", async () => {
    const c = await newCase();
    const res = await httpRequest(`${t.url}/cases/${c.caseNumber}`, { token: await tokenOf('handler.resources') });
    expect(res.status).toBe(403);
  });

  it('answers 404 for an unknown case and 400 for what cannot be a case number', async () => {
    const unknown = await httpRequest<Record<string, unknown>>(`${t.url}/cases/449900-20260101-999999999`, { token: handler });
    const junk = await httpRequest<Record<string, unknown>>(`${t.url}/cases/${randomUUID()}`, { token: handler });
    const nul = await httpRequest<Record<string, unknown>>(`${t.url}/cases/%00`, { token: handler });
    expect([unknown.status, unknown.body.error]).toEqual([404, E.CaseNotFound]);
    expect([junk.status, junk.body.error]).toEqual([400, KitErrors.code.InvalidParameter]);
    expect(junk.body.message).toMatch(/caseNumber/);
    expect([nul.status, nul.body.error]).toEqual([400, KitErrors.code.InvalidText]);
  });

  it('refuses a missing token with 401', async () => {
    expect((await httpRequest(`${t.url}/cases/449900-20260101-000001`)).status).toBe(401);
  });
});

describe('GET /opinions/verify', () => {
  it("reports the chains intact to supervisors, and the edited opinion after a row is edited around the triggers (the ledger library's verdict, as identity's /audit/verify)", async () => {
    // given
    const c = await newCase();
    await httpRequest(`${t.url}/tasks/${c.taskId}/complete`, { token: handler, body: { outcome: 'reject', opinion: '材料不全，拟不予许可。' } });
    const supervisor = await tokenOf('supervisor');
    // when
    const intact = await httpRequest<{ ok: boolean; ledger: string; firstBroken: unknown }>(`${t.url}/opinions/verify`, { token: supervisor });
    await t.superQuery(`ALTER TABLE opinions DISABLE TRIGGER USER`);
    await t.superQuery(`UPDATE opinions SET opinion = '拟同意。' WHERE task_id = $1`, [c.taskId]);
    await t.superQuery(`ALTER TABLE opinions ENABLE TRIGGER USER`);
    const broken = await httpRequest<{ ok: boolean; firstBroken: { partition: string; reason: string } | null }>(`${t.url}/opinions/verify`, { token: supervisor });
    // then
    expect(intact.status).toBe(200);
    expect(intact.body).toMatchObject({ ok: true, ledger: 'approval.opinions', firstBroken: null });
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({ ok: false, firstBroken: { partition: c.caseNumber, reason: 'content-edited' } });
  });

  it('refuses officers who are not supervisors or sysadmins with 403', async () => {
    expect((await httpRequest(`${t.url}/opinions/verify`, { token: handler })).status).toBe(403);
  });
});

describe('POST /opinions/anchors', () => {
  it('refuses non-sysadmins with 403, and answers 409 AnchoringOff where the chains are not anchored', async () => {
    // given a test deployment (LEDGER_ANCHORING is off under NODE_ENV=test)
    const [supervisor, admin] = await Promise.all([tokenOf('supervisor'), tokenOf('admin')]);
    // when
    const bySupervisor = await httpRequest(`${t.url}/opinions/anchors`, { method: 'POST', token: supervisor, body: {} });
    const byAdmin = await httpRequest<{ error: string }>(`${t.url}/opinions/anchors`, { method: 'POST', token: admin, body: {} });
    // then
    expect(bySupervisor.status).toBe(403);
    expect(byAdmin.status).toBe(409);
    expect(byAdmin.body.error).toBe(ApprovalErrors.code.AnchoringOff);
  });
});

import { IntakeErrors } from '../../errors';
import { DEMO_MATTERS } from '../../seed/demo-data';
import { DEMO_MATTER, type Refusal, type TestIntake, applicationBody, fieldsNamed, http, startTestIntake, tokenOf } from '../../testing/test-app';
import { MatterCatalogue } from './matter-catalogue';

// Seed 004 art. 14: 各有关单位网上审批事项的流程、表单、办事指南和服务承诺等必须经本单位主管领导审核确认后……报市行政服务管理办公室备案。
// Drafted by the department's officer, approved by its head (主管领导, role leader), filed by the service-management
// office (CATALOGUE_FILING_ROLE, default service_management: the demo user `office`), then published.
const OFFICER = 'handler.market';
const HEAD = 'leader.market';
const OFFICE = 'office';
const ANALYST = 'analyst';
const OTHER_DEPARTMENT = 'handler.housing';
const CLERK = 'clerk.market';
const APPLICANT = 'zhangsan';

const food = DEMO_MATTERS.find((m) => m.code === DEMO_MATTER)!;

describe('the change procedure of the catalogue over HTTP', () => {
  let t: TestIntake;
  const tokens: Record<string, string> = {};
  const url = (path: string) => `${t.url}/catalogue${path}`;
  const step = (version: number, action: string, user: string, body: unknown = {}) =>
    http<Refusal & { state: string }>(url(`/matters/${DEMO_MATTER}/versions/${version}/${action}`), { method: 'POST', token: tokens[user], body });
  const stateOf = async (version: number) => (await t.ownerQuery<{ state: string }>('SELECT state FROM matter_versions WHERE code = $1 AND version = $2', [DEMO_MATTER, version]))[0]?.state;

  beforeAll(async () => {
    t = await startTestIntake();
    for (const user of [OFFICER, HEAD, OFFICE, ANALYST, OTHER_DEPARTMENT, CLERK, APPLICANT]) tokens[user] = await tokenOf(user);
  });
  afterAll(async () => {
    await t.close();
  });

  it('files, by default, only as the service-management office (service_management): a process analyst is refused and nothing changes', async () => {
    // given an intake with the default configuration and a version the department head approved
    const byDefault = await startTestIntake();
    try {
      const at = (path: string) => `${byDefault.url}/catalogue${path}`;
      const draft = await http<{ version: number }>(at('/versions'), { token: tokens[OFFICER], body: { code: DEMO_MATTER, tenantId: food.tenantId, elements: { ...food.elements, promisedWorkingDays: 6 } } });
      expect(draft.status).toBe(201);
      const v = draft.body.version;
      const stepOf = (action: string, user: string) => http<Refusal & { state: string }>(at(`/matters/${DEMO_MATTER}/versions/${v}/${action}`), { method: 'POST', token: tokens[user], body: {} });
      expect((await stepOf('submit', OFFICER)).body.state).toBe('submitted');
      expect((await stepOf('approve', HEAD)).body.state).toBe('approved');
      // when the process analyst files it
      const filed = await stepOf('file', ANALYST);
      // then 403 naming the office's role, and the version stays approved
      expect(filed.status).toBe(403);
      expect(filed.body.error).toBe(IntakeErrors.code.InsufficientRole);
      expect(filed.body.message).toMatch(/service_management/);
      expect((await byDefault.ownerQuery<{ state: string }>('SELECT state FROM matter_versions WHERE code = $1 AND version = $2', [DEMO_MATTER, v]))[0].state).toBe('approved');
    } finally {
      await byDefault.close();
    }
  });

  it('refuses filing and publishing a version the department head has not approved, and changes nothing', async () => {
    // given a draft of version 2, submitted but not approved
    const draft = await http<{ version: number; state: string }>(url('/versions'), { token: tokens[OFFICER], body: { code: DEMO_MATTER, tenantId: food.tenantId, elements: { ...food.elements, promisedWorkingDays: 6 }, note: '承诺时限由 7 个工作日压缩为 6 个' } });
    expect(draft.status).toBe(201);
    expect(draft.body).toEqual({ code: DEMO_MATTER, version: 2, state: 'draft' });
    for (const user of [OFFICER, HEAD]) expect((await step(2, 'publish', user)).body.error).toBe(IntakeErrors.code.HeadApprovalRequired);
    expect((await step(2, 'file', OFFICE)).body.error).toBe(IntakeErrors.code.HeadApprovalRequired);
    expect((await step(2, 'submit', OFFICER)).body.state).toBe('submitted');
    // when the office files it and the department publishes it without the head's approval
    const filed = await step(2, 'file', OFFICE);
    const published = await step(2, 'publish', OFFICER);
    // then both are refused (409), the version stays submitted and version 1 stays in force
    expect(filed.status).toBe(409);
    expect(filed.body.error).toBe(IntakeErrors.code.HeadApprovalRequired);
    expect(filed.body.message).toMatch(/department head must approve/);
    expect(published.status).toBe(409);
    expect(published.body.error).toBe(IntakeErrors.code.HeadApprovalRequired);
    expect(await stateOf(2)).toBe('submitted');
    expect((await http(`${t.url}/matters/${DEMO_MATTER}`)).body).toMatchObject({ timeLimitWorkingDays: 7 });
    expect((await t.app.get(MatterCatalogue).published(DEMO_MATTER))?.version).toBe(1);
  });

  it('lets only the department head approve, not the drafter, a clerk or another department', async () => {
    // when
    const byOfficer = await step(2, 'approve', OFFICER);
    const byClerk = await step(2, 'approve', CLERK);
    const byOtherDepartment = await step(2, 'approve', OTHER_DEPARTMENT);
    // then
    expect(byOfficer.status).toBe(403);
    expect(byOfficer.body.error).toBe(IntakeErrors.code.InsufficientRole);
    expect(byClerk.status).toBe(403);
    expect(byOtherDepartment.status).toBe(403);
    expect(await stateOf(2)).toBe('submitted');
  });

  it('publishes after approval and filing; cases accepted before keep version 1, later ones get version 2', async () => {
    // given an application accepted under version 1
    const before = await http<{ caseNumber: string; applicationId: string }>(`${t.url}/applications`, { token: tokens[APPLICANT], body: applicationBody() });
    expect(before.status).toBe(201);
    // when the head approves, the office files and the department publishes
    expect((await step(2, 'approve', HEAD, { comment: '同意' })).body.state).toBe('approved');
    expect((await step(2, 'publish', OFFICER)).body.error).toBe(IntakeErrors.code.FilingRequired);
    expect((await step(2, 'file', OFFICE, { comment: '已备案' })).body.state).toBe('filed');
    const published = await step(2, 'publish', OFFICER);
    // then version 2 is in force, version 1 is retired but still readable for the cases that run on it
    expect(published.status).toBe(200);
    expect(published.body).toEqual({ code: DEMO_MATTER, version: 2, state: 'published' });
    expect((await http(`${t.url}/matters/${DEMO_MATTER}`)).body).toMatchObject({ timeLimitWorkingDays: 6, version: 2 });
    const catalogue = t.app.get(MatterCatalogue);
    expect(await catalogue.published(DEMO_MATTER)).toMatchObject({ version: 2, state: 'published', approvedBy: expect.any(String), filedBy: expect.any(String) });
    expect(await catalogue.version(DEMO_MATTER, 1)).toMatchObject({ version: 1, state: 'retired', elements: { promisedWorkingDays: 7 } });
    const after = await http<{ caseNumber: string }>(`${t.url}/applications`, { token: tokens[APPLICANT], body: applicationBody() });
    const kept = await http<{ matterVersion: number }>(`${t.url}/applications/${before.body.caseNumber}`, { token: tokens[APPLICANT] });
    const later = await http<{ matterVersion: number }>(`${t.url}/applications/${after.body.caseNumber}`, { token: tokens[APPLICANT] });
    expect(kept.body.matterVersion).toBe(1);
    expect(later.body.matterVersion).toBe(2);
  });

  it('audits every step in the matter\'s hash chain, which verifies', async () => {
    // when
    const res = await http<{ chainIntact: boolean; items: Array<{ version: number; action: string; actor: string }> }>(url(`/matters/${DEMO_MATTER}/changes`), { token: tokens[HEAD] });
    // then
    expect(res.status).toBe(200);
    expect(res.body.chainIntact).toBe(true);
    expect(res.body.items.map((c) => [c.version, c.action])).toEqual([
      [1, 'seeded'],
      [2, 'drafted'],
      [2, 'submitted'],
      [2, 'approved'],
      [2, 'filed'],
      [2, 'published'],
      [1, 'retired'],
    ]);
    const history = await http<Array<{ version: number; state: string; draftedByName: string; approvedByName: string | null }>>(url(`/matters/${DEMO_MATTER}/versions`), { token: tokens[OFFICER] });
    expect(history.body.map((v) => [v.version, v.state])).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);
    expect(history.body[0].approvedByName).toBeTruthy();
  });

  it('rejects with a reason, and the department drafts again', async () => {
    // given
    const draft = await http<{ version: number }>(url('/versions'), { token: tokens[OFFICER], body: { code: DEMO_MATTER, tenantId: food.tenantId, elements: food.elements } });
    const v = draft.body.version;
    await step(v, 'submit', OFFICER);
    // when
    const noReason = await step(v, 'reject', HEAD, {});
    const rejected = await step(v, 'reject', HEAD, { reason: '收费依据未列明' });
    const again = await http<{ version: number }>(url('/versions'), { token: tokens[OFFICER], body: { code: DEMO_MATTER, tenantId: food.tenantId, elements: food.elements } });
    // then
    expect(noReason.status).toBe(400);
    expect(fieldsNamed(noReason.body)).toContain('reason');
    expect(rejected.body.state).toBe('rejected');
    expect(again.status).toBe(201);
    expect(again.body.version).toBe(v + 1);
  });

  it('revises a draft, and only a draft', async () => {
    // given the open draft left by the previous test
    const open = (await t.ownerQuery<{ version: number }>(`SELECT version FROM matter_versions WHERE code = $1 AND state = 'draft'`, [DEMO_MATTER]))[0].version;
    const put = (version: number, body: unknown) => http<Refusal & { state: string }>(url(`/matters/${DEMO_MATTER}/versions/${version}`), { method: 'PUT', token: tokens[OFFICER], body });
    // when
    const revised = await put(open, { elements: { ...food.elements, promisedWorkingDays: 4 }, note: '再压缩' });
    const invalid = await put(open, { elements: { ...food.elements, statutoryWorkingDays: 0 } });
    const published = await put(2, { elements: food.elements });
    // then
    expect(revised.status).toBe(200);
    expect(revised.body.state).toBe('draft');
    expect((await t.app.get(MatterCatalogue).version(DEMO_MATTER, open))?.elements.promisedWorkingDays).toBe(4);
    expect(invalid.status).toBe(400);
    expect(fieldsNamed(invalid.body)).toContain('elements.statutoryWorkingDays');
    expect(published.status).toBe(409);
    expect(published.body.error).toBe(IntakeErrors.code.VersionStateConflict);
    const actions = await t.ownerQuery<{ action: string }>(`SELECT action FROM matter_changes WHERE code = $1 AND version = $2 ORDER BY chain_seq`, [DEMO_MATTER, open]);
    expect(actions.map((a) => a.action)).toEqual(['drafted', 'revised']);
  });

  it('keeps one open version per matter and replays a retried draft', async () => {
    // given an open draft (from the previous test) and a new one
    const key = 'catalogue-draft-retry-1';
    const body = { code: '449900-SCJG-101', tenantId: '449900', elements: { ...food.elements, name: '食品经营许可变更（测试）' } };
    const first = await http<{ version: number }>(url('/versions'), { token: tokens[OFFICER], body, headers: { 'idempotency-key': key } });
    // when
    const retry = await http<{ version: number }>(url('/versions'), { token: tokens[OFFICER], body, headers: { 'idempotency-key': key } });
    const second = await http<Refusal>(url('/versions'), { token: tokens[OFFICER], body });
    // then
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ code: '449900-SCJG-101', version: 1, state: 'draft' });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(second.status).toBe(409);
    expect(second.body.error).toBe(IntakeErrors.code.OpenVersionExists);
    // and a new matter is not public before it is published
    expect((await http(`${t.url}/matters/449900-SCJG-101`)).status).toBe(404);
  });

  it('refuses bad drafts with a 4xx naming the field and rule, and stores nothing', async () => {
    const count = async () => (await t.ownerQuery<{ n: string }>('SELECT count(*)::text AS n FROM matter_versions'))[0].n;
    const before = await count();
    const cases: Array<[string, unknown, number, string, string]> = [
      ['promised above statutory', { code: '449900-SCJG-102', tenantId: '449900', elements: { ...food.elements, promisedWorkingDays: 99 } }, 400, IntakeErrors.code.InvalidMatterElements, 'elements.promisedWorkingDays'],
      ['a secret matter online', { code: '449900-SCJG-102', tenantId: '449900', elements: { ...food.elements, secret: true } }, 400, IntakeErrors.code.InvalidMatterElements, 'elements.onlineClass'],
      ['a bad material key', { code: '449900-SCJG-102', tenantId: '449900', elements: { ...food.elements, materials: [{ key: '../x', name: 'x', required: true, form: 'copy' }] } }, 400, IntakeErrors.code.InvalidMatterElements, 'elements.materials.0.key'],
      ['a form that is no JSON Schema', { code: '449900-SCJG-102', tenantId: '449900', elements: { ...food.elements, formSchema: { type: 'object', required: 'x' } } }, 400, IntakeErrors.code.InvalidMatterElements, 'elements.formSchema'],
      ['an unknown bundle member', { code: '449900-SCJG-102', tenantId: '449900', elements: { ...food.elements, bundle: ['449900-XX-001'] } }, 400, IntakeErrors.code.InvalidMatterElements, 'elements.bundle.0'],
      ['a bundle whose combined form lacks a member\'s required field', { code: '449900-SCJG-102', tenantId: '449900', elements: { ...food.elements, bundle: ['DEMO-ZJ-001'] } }, 400, IntakeErrors.code.InvalidMatterElements, 'elements.formSchema'],
      ['a 上报件 without its higher-level department', { code: '449900-SCJG-102', tenantId: '449900', elements: { ...food.elements, reportsUpTo: 'city' } }, 400, IntakeErrors.code.InvalidMatterElements, 'elements.reportsTo'],
      ['a higher-level department without reportsUpTo', { code: '449900-SCJG-102', tenantId: '449900', elements: { ...food.elements, reportsTo: { tenantId: '449900', departmentCode: food.elements.departmentCode, departmentName: '示范市市场监督管理局' } } }, 400, IntakeErrors.code.InvalidMatterElements, 'elements.reportsTo'],
      ['a higher-level tenant that is no division code', { code: '449900-SCJG-102', tenantId: '449900', elements: { ...food.elements, reportsUpTo: 'city', reportsTo: { tenantId: 'city', departmentCode: food.elements.departmentCode, departmentName: '示范市市场监督管理局' } } }, 400, IntakeErrors.code.InvalidMatterElements, 'elements.reportsTo.tenantId'],
      ['a new code that is not unified', { code: 'FOOD-LICENCE', tenantId: '449900', elements: food.elements }, 400, IntakeErrors.code.InvalidUnifiedCode, 'code'],
      ['a code of another region', { code: '449901-SCJG-001', tenantId: '449900', elements: food.elements }, 400, IntakeErrors.code.InvalidUnifiedCode, 'code'],
      ['a lower-case code', { code: 'demo-scjg-001', tenantId: '449900', elements: food.elements }, 400, IntakeErrors.code.ValidationFailed, 'code'],
      ['no elements', { code: '449900-SCJG-102', tenantId: '449900' }, 400, IntakeErrors.code.ValidationFailed, 'elements'],
      ['elements not an object', { code: '449900-SCJG-102', tenantId: '449900', elements: [1] }, 400, IntakeErrors.code.ValidationFailed, 'elements'],
      ['a bad tenant', { code: '449900-SCJG-102', tenantId: '4499', elements: food.elements }, 400, IntakeErrors.code.ValidationFailed, 'tenantId'],
      ['an unknown field', { code: '449900-SCJG-102', tenantId: '449900', elements: food.elements, state: 'published' }, 400, IntakeErrors.code.ValidationFailed, 'state'],
    ];
    for (const [why, body, status, error, field] of cases) {
      // when
      const res = await http<Refusal>(url('/versions'), { token: tokens[OFFICER], body });
      // then
      expect({ why, status: res.status, error: res.body.error }).toEqual({ why, status, error });
      expect(fieldsNamed(res.body)).toContain(field);
    }
    expect(await count()).toBe(before);
  });

  it('refuses drafts outside the caller\'s department, by applicants, without a key, and malformed parameters', async () => {
    // when
    const otherDepartment = await http<Refusal>(url('/versions'), { token: tokens[OTHER_DEPARTMENT], body: { code: '449900-SCJG-103', tenantId: '449900', elements: food.elements } });
    const applicant = await http<Refusal>(url('/versions'), { token: tokens[APPLICANT], body: { code: '449900-SCJG-103', tenantId: '449900', elements: food.elements } });
    const anonymous = await http<Refusal>(url('/versions'), { body: { code: '449900-SCJG-103', tenantId: '449900', elements: food.elements } });
    const noKey = await http<Refusal>(url('/versions'), { token: tokens[OFFICER], body: { code: '449900-SCJG-103', tenantId: '449900', elements: food.elements }, headers: { 'idempotency-key': '' } });
    const badVersion = await http<Refusal>(url(`/matters/${DEMO_MATTER}/versions/abc/submit`), { method: 'POST', token: tokens[OFFICER], body: {} });
    const zeroVersion = await http<Refusal>(url(`/matters/${DEMO_MATTER}/versions/0`), { token: tokens[OFFICER] });
    const noVersion = await http<Refusal>(url(`/matters/${DEMO_MATTER}/versions/999`), { token: tokens[OFFICER] });
    const applicantReads = await http<Refusal>(url(`/matters/${DEMO_MATTER}/versions`), { token: tokens[APPLICANT] });
    // then
    expect(otherDepartment.status).toBe(403);
    expect(otherDepartment.body.error).toBe(IntakeErrors.code.OutsideOrganisation);
    expect(applicant.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(noKey.status).toBe(400);
    expect(noKey.body.error).toBe(IntakeErrors.code.IdempotencyKeyMissing);
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.error).toBe(IntakeErrors.code.InvalidVersion);
    expect(fieldsNamed(badVersion.body)).toContain('param.version');
    expect(zeroVersion.status).toBe(400);
    expect(noVersion.status).toBe(404);
    expect(noVersion.body.error).toBe(IntakeErrors.code.MatterVersionNotFound);
    expect(applicantReads.status).toBe(403);
    expect((await t.ownerQuery(`SELECT 1 FROM matters WHERE code = '449900-SCJG-103'`))).toEqual([]);
  });
});

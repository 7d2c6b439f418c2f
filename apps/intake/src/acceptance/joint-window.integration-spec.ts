import { randomUUID } from 'node:crypto';
import { ApplicationAccepted, makeEvent } from '@gov/contracts';
import { InboxContext } from '@gov/messaging';
import { fixtures } from '@gov/storage/testing';
import { eventually } from '@gov/testing';
import { DataSource } from 'typeorm';
import { IntakeErrors } from '../errors';
import { PROGRESS_CONSUMER, ProgressConsumer } from '../progress/progress.consumer';
import { AcceptanceSweeper } from './acceptance-sweeper';
import { type Refusal, type TestIntake, USERS, applicationBody, http, publishTestMatter, startTestIntake, tokenOf } from '../testing/test-app';

// Joint window (联合受理, seed 003 (五) and 网上联审: "由投资项目联合受理窗口负责集中受理投资项目申请 ... 联合受理窗口汇总
// 审查各有关部门反馈的审批意见后,在规定期限内出具批复文件"): one application with one form for a bundle matter fans
// out to the departments' matters, whose cases run in parallel; the applicant follows one combined view and one result.

const MARKET_SECTION = '11449900000000111Y';
const MARKET_BUREAU = '114499000000000119';
const DONGCHENG_MARKET = '11449901000000011P';
const PART_A = 'TEST-JW-001';
const PART_B = 'TEST-JW-002';
const BUNDLE = 'TEST-JW-BUNDLE';

interface Progress {
  status: string;
  result: { outcome: string } | null;
  jointWindowOf: string | null;
  parts: Array<{ caseNumber: string; departmentCode: string; status: string; result: { outcome: string } | null }>;
  documents: Array<{ kind: string; documentNumber: string | null }>;
}
interface NoticeView {
  id: string;
  kind: string;
  caseNumber: string;
  documentNumber: string;
  status: 'sealing' | 'sealed';
  seal: { orgCode: string } | null;
}

describe('the joint window', () => {
  let t: TestIntake;
  let ds: DataSource;
  const tokens: Record<string, string> = {};

  const submitBundle = async () => {
    const res = await http<{ applicationId: string; caseNumber: string }>(`${t.url}/applications`, { token: tokens[USERS.zhangsan], body: applicationBody({ matterCode: BUNDLE, form: { ...applicationBody().form, projectName: '示范产业园一期' } }) });
    expect(res.status).toBe(201);
    return res.body;
  };
  const accept = (app: { applicationId: string }) => http<{ status: string; notice: { jointWindow?: Array<{ caseNumber: string; matterCode: string; departmentCode: string }> } }>(`${t.url}/applications/${app.applicationId}/accept`, { token: tokens[USERS.clerk], body: {} });
  const partsOf = (bundleId: string) => t.ownerQuery<{ id: string; case_number: string; matter_code: string; department_code: string; status: string }>('SELECT id, case_number, matter_code, department_code, status FROM applications WHERE bundle_id = $1 ORDER BY case_number', [bundleId]);
  const progress = (id: string, as: string = USERS.zhangsan) => http<Progress & Refusal>(`${t.url}/applications/${id}/progress`, { token: tokens[as] });
  const decide = async (caseNumber: string, decision: 'approved' | 'rejected') => {
    const event = makeEvent({ type: 'gov.approval.case.decided', source: '/approval', subject: caseNumber, data: { caseNumber, processInstanceId: `pi-${caseNumber}`, decision, documentNumber: `DOC-${caseNumber}`, decidedAt: new Date().toISOString() } });
    const consumer = t.app.get(ProgressConsumer, { strict: false });
    await ds.transaction((manager) => consumer.caseDecided(event, new InboxContext(manager, PROGRESS_CONSUMER)));
  };

  beforeAll(async () => {
    t = await startTestIntake();
    ds = t.app.get(DataSource);
    await publishTestMatter(t, PART_A, '449900', { name: '联合受理测试：市场监管部分' });
    await publishTestMatter(t, PART_B, '449901', { name: '联合受理测试：东城区部分', departmentCode: DONGCHENG_MARKET, promisedWorkingDays: 5 });
    await publishTestMatter(t, BUNDLE, '449900', { name: '联合受理测试：投资项目', bundle: [PART_A, PART_B], promisedWorkingDays: 10, statutoryWorkingDays: 20 });
    for (const user of Object.values(USERS)) tokens[user] = await tokenOf(user);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("fans an accepted joint-window application out to each department's matter, each with its own case", async () => {
    // given
    const bundle = await submitBundle();
    // when
    const accepted = await accept(bundle);
    // then
    expect(accepted.status).toBe(200);
    const parts = await partsOf(bundle.applicationId);
    expect(parts.map((p) => [p.matter_code, p.department_code, p.status])).toEqual([
      [PART_A, MARKET_SECTION, 'accepted'],
      [PART_B, DONGCHENG_MARKET, 'accepted'],
    ]);
    expect(accepted.body.notice.jointWindow?.map((p) => p.caseNumber).sort()).toEqual(parts.map((p) => p.case_number).sort());
    const own = await t.ownerQuery<{ type: string }>(`SELECT type FROM outbox WHERE key = $1 AND type LIKE 'gov.intake.application.%' ORDER BY seq`, [bundle.caseNumber]);
    expect(own.map((e) => e.type)).toEqual(['gov.intake.application.received', 'gov.intake.application.materials-frozen']);
    for (const p of parts) {
      const [ev] = await t.ownerQuery<{ payload: { data: unknown } }>(`SELECT payload FROM outbox WHERE key = $1 AND type = 'gov.intake.application.accepted'`, [p.case_number]);
      expect(ApplicationAccepted.parse(ev.payload.data)).toMatchObject({ matterCode: p.matter_code, departmentCode: p.department_code, form: { projectName: '示范产业园一期' }, jointWindow: { caseNumber: bundle.caseNumber, applicationId: bundle.applicationId } });
    }
  });

  it("gives each department's part its own acceptance notice, sealed by that department, and the applicant the combined one", async () => {
    // given a joint-window application with a file received for it
    const bundle = await submitBundle();
    const uploaded = await http<Refusal>(`${t.url}/applications/${bundle.caseNumber}/materials/businessLicence?fileName=${encodeURIComponent('营业执照.pdf')}`, {
      token: tokens[USERS.zhangsan],
      rawBody: fixtures.pdf('joint window licence'),
      headers: { 'content-type': 'application/pdf', 'idempotency-key': randomUUID() },
    });
    expect(uploaded.status).toBe(201);
    // when the lead window accepts it
    const accepted = await accept(bundle);
    // then each part's department finds, under the part's case number, its own 受理通知书 sealed by its department
    expect(accepted.status).toBe(200);
    const [a, b] = await partsOf(bundle.applicationId);
    const sealedNotices = (caseNumber: string, as: string) =>
      eventually(`the notices of ${caseNumber} sealed`, async () => {
        const res = await http<NoticeView[]>(`${t.url}/notices?case=${caseNumber}`, { token: tokens[as] });
        return res.status === 200 && res.body.length > 0 && res.body.every((n) => n.status === 'sealed') ? res.body : null;
      });
    const ofA = await sealedNotices(a.case_number, USERS.clerk);
    const ofB = await sealedNotices(b.case_number, USERS.otherClerk);
    expect(ofA.map((n) => [n.kind, n.seal?.orgCode])).toEqual([['acceptance', MARKET_BUREAU]]);
    expect(ofB.map((n) => [n.kind, n.seal?.orgCode])).toEqual([['acceptance', DONGCHENG_MARKET]]);
    expect(ofB[0].documentNumber).toMatch(new RegExp(`^受字〔\\d{4}〕${b.case_number}号$`));
    // and the applicant sees them too
    expect((await http<NoticeView[]>(`${t.url}/notices?case=${b.case_number}`, { token: tokens[USERS.zhangsan] })).body.map((n) => n.kind)).toEqual(['acceptance']);
    // each part's notice names the joint-window application, its own promised limit, and the files received for the bundle
    const data = async (applicationId: string) => (await t.ownerQuery<{ kind: string; data: Record<string, unknown> }>('SELECT kind, data FROM notices WHERE application_id = $1 ORDER BY issued_at', [applicationId]));
    const [partB] = await data(b.id);
    expect(partB.data).toMatchObject({
      caseNumber: b.case_number,
      departmentCode: DONGCHENG_MARKET,
      matter: { code: PART_B },
      promisedWorkingDays: 5,
      jointWindowOf: { caseNumber: bundle.caseNumber },
      materials: expect.arrayContaining([{ name: '营业执照', fileName: '营业执照.pdf', form: 'copy', copies: 1, pages: 1, status: 'received' }]),
    });
    // and the combined notice of the joint-window application lists both parts
    const combined = (await data(bundle.applicationId)).find((n) => n.kind === 'acceptance');
    expect((combined?.data.jointWindow as Array<{ caseNumber: string }>).map((p) => p.caseNumber)).toEqual([a.case_number, b.case_number]);
    expect(accepted.body.notice.jointWindow?.map((p) => p.caseNumber)).toEqual([a.case_number, b.case_number]);
    // and the applicant is notified once, with the combined notice; the parts' notices go to their departments
    const combinedSealed = await eventually('the combined notice sealed', async () => {
      const res = await http<NoticeView[]>(`${t.url}/notices?case=${bundle.caseNumber}`, { token: tokens[USERS.zhangsan] });
      const n = res.body.find((x) => x.kind === 'acceptance');
      return n?.status === 'sealed' ? n : null;
    });
    const notified = await t.ownerQuery<{ notice_id: string }>('SELECT DISTINCT notice_id FROM notifications WHERE notice_id = ANY($1)', [[combinedSealed.id, ofA[0].id, ofB[0].id]]);
    expect(notified.map((r) => r.notice_id)).toEqual([combinedSealed.id]);
  });

  it('gives the parts of a deemed-accepted joint-window application their notices too, signed by no officer', async () => {
    // given a joint-window application whose window period has run out
    const bundle = await submitBundle();
    await t.ownerQuery(`UPDATE applications SET acceptance_due_at = now() - interval '1 minute' WHERE id = $1`, [bundle.applicationId]);
    // when the sweeper deems it accepted
    const swept = await t.app.get(AcceptanceSweeper, { strict: false }).sweep();
    // then every part has its deemed acceptance notice
    expect(swept.deemedAccepted).toContain(bundle.caseNumber);
    const parts = await partsOf(bundle.applicationId);
    expect(parts).toHaveLength(2);
    for (const p of parts) {
      const notices = await t.ownerQuery<{ kind: string; data: { deemed: boolean; officer: string; jointWindowOf: { caseNumber: string } } }>('SELECT kind, data FROM notices WHERE application_id = $1', [p.id]);
      expect(notices.map((n) => [n.kind, n.data.deemed, n.data.jointWindowOf.caseNumber])).toEqual([['acceptance', true, bundle.caseNumber]]);
      expect(notices[0].data.officer).toMatch(/系统自动/);
    }
  });

  it('gives the applicant one combined progress view and one result once every department has decided', async () => {
    // given
    const bundle = await submitBundle();
    await accept(bundle);
    const [a, b] = await partsOf(bundle.applicationId);
    // when one department decides
    await decide(a.case_number, 'approved');
    const halfway = await progress(bundle.applicationId);
    // and the other
    await decide(b.case_number, 'approved');
    const done = await progress(bundle.applicationId);
    // then
    expect(halfway.body).toMatchObject({ status: 'accepted', result: null });
    expect(halfway.body.parts.map((p) => p.status)).toEqual(['decided', 'accepted']);
    expect(done.body).toMatchObject({ status: 'decided', result: { outcome: 'approved' } });
    expect(done.body.parts.map((p) => p.result?.outcome)).toEqual(['approved', 'approved']);
    expect(done.body.documents.filter((d) => d.documentNumber).map((d) => d.documentNumber)).toEqual([`DOC-${a.case_number}`, `DOC-${b.case_number}`]);
    const part = await progress(b.id);
    expect(part.body.jointWindowOf).toBe(bundle.caseNumber);
  });

  it('shares the joint-window application with the departments of its parts, and each part with the lead window only', async () => {
    // given
    const bundle = await submitBundle();
    await accept(bundle);
    const [a, b] = await partsOf(bundle.applicationId);
    // when
    const dcBundle = await progress(bundle.applicationId, USERS.otherClerk);
    const dcOwnPart = await progress(b.id, USERS.otherClerk);
    const dcOtherPart = await progress(a.id, USERS.otherClerk);
    const leadPart = await progress(b.id, USERS.clerk);
    const otherApplicant = await progress(bundle.applicationId, USERS.lisi);
    // then
    expect(dcBundle.status).toBe(200);
    expect(dcOwnPart.status).toBe(200);
    expect([dcOtherPart.status, dcOtherPart.body.error]).toEqual([403, IntakeErrors.code.OutsideOrganisation]);
    expect(leadPart.status).toBe(200);
    expect([otherApplicant.status, otherApplicant.body.error]).toEqual([403, IntakeErrors.code.NotOwnApplication]);
  });

  it('withdraws every part with the joint-window application, and refuses 容缺 acceptance of a bundle', async () => {
    // given
    const bundle = await submitBundle();
    const withMissing = await http<Refusal>(`${t.url}/applications/${bundle.applicationId}/accept-with-missing`, {
      token: tokens[USERS.clerk],
      body: { missing: ['safetyRules'], deadline: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), commitment: { signedBy: '张三', text: '承诺补齐' } },
      headers: { 'idempotency-key': randomUUID() },
    });
    await accept(bundle);
    // when
    await http(`${t.url}/applications/${bundle.applicationId}/withdrawal`, { token: tokens[USERS.zhangsan], body: { reason: '项目调整' } });
    const granted = await http(`${t.url}/applications/${bundle.applicationId}/withdrawal/accept`, { token: tokens[USERS.clerk], body: {} });
    // then
    expect([withMissing.status, withMissing.body.error]).toEqual([409, IntakeErrors.code.ApplicationStateConflict]);
    expect(granted.status).toBe(200);
    const parts = await partsOf(bundle.applicationId);
    expect(parts.map((p) => p.status)).toEqual(['withdrawn', 'withdrawn']);
    const withdrawn = await t.ownerQuery<{ key: string; payload: { data: { wasAccepted: boolean } } }>(`SELECT key, payload FROM outbox WHERE type = 'gov.intake.application.withdrawn' AND key = ANY($1)`, [parts.map((p) => p.case_number)]);
    expect(withdrawn).toHaveLength(2);
    expect(withdrawn.every((w) => w.payload.data.wasAccepted)).toBe(true);
  });
});

import { randomUUID } from 'node:crypto';
import { WorkingCalendar } from '@gov/calendar';
import { fixtures } from '@gov/storage/testing';
import { ApplicationAccepted, ApplicationAcceptedWithMissing, ApplicationRefused, ApplicationTerminated, ApplicationWithdrawn, CorrectionRequested } from '@gov/contracts';
import { IntakeErrors } from '../errors';
import { AdjustableClock } from '../clock/clock';
import { APPLICANT_IDS, type Refusal, type TestIntake, USERS, applicationBody, fieldsNamed, http, publishTestMatter, startTestIntake, tokenOf } from '../testing/test-app';
import { AcceptanceSweeper } from './acceptance-sweeper';

// The acceptance regime: seed 001 text 3 art. 10 (accept / one-time correction / not accepted when the correction is
// not made in time), art. 11 (materials frozen on acceptance; withdrawal ends the case with 准予撤回), and text 10
// ("在当场或者在5个工作日内书面一次性告知申请人需要补正的全部内容,逾期不告知的,自收到申请材料之日起即为受理").

interface Received {
  applicationId: string;
  caseNumber: string;
  status: string;
  receivedAt: string;
  acceptanceDueAt: string;
}
interface Transition {
  applicationId: string;
  caseNumber: string;
  status: string;
  notice: Record<string, unknown> & { kind: string | null };
}
interface HistoryItem {
  action: string;
  notice: string | null;
  actor: string | null;
  at: string;
  data: Record<string, unknown>;
}

const DAY = 86_400_000;
const DONGCHENG_MARKET = '11449901000000011P';
const DONGCHENG_MATTER = 'TEST-DCSCJG-002';
const SECRET_MATTER = 'TEST-SCJG-SECRET';
const WINDOW_MATTER = 'TEST-SCJG-WINDOW';
const calendar = new WorkingCalendar();
/** YYYY-MM-DD in China Standard Time. */
const cstDate = (d: Date) => new Date(d.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);

describe('the acceptance regime over HTTP', () => {
  let t: TestIntake;
  const clock = new AdjustableClock();
  const tokens: Record<string, string> = {};
  let sweeper: AcceptanceSweeper;

  const moveClockTo = (at: Date) => clock.advance(Math.max(0, at.getTime() - clock.now().getTime()));
  const submit = (as: string, body: unknown = applicationBody()) => http<Received & Refusal>(`${t.url}/applications`, { token: tokens[as], body, headers: { 'idempotency-key': randomUUID() } });
  const act = (as: string, app: { applicationId: string }, step: string, body: unknown = {}, key: string = randomUUID()) =>
    http<Transition & Refusal>(`${t.url}/applications/${app.applicationId}/${step}`, { token: tokens[as], body, headers: { 'idempotency-key': key } });
  /** Uploads a file to a material slot through the materials module (the one freeze decides). */
  const upload = (as: string, app: { caseNumber: string }, slot: string, label: string) =>
    http<Refusal>(`${t.url}/applications/${app.caseNumber}/materials/${slot}`, {
      token: tokens[as],
      rawBody: fixtures.pdf(label),
      headers: { 'content-type': 'application/pdf', 'idempotency-key': randomUUID() },
    });
  /** The application's state-change events (its notices' gov.intake.notice.issued are checked in acceptance-notices). */
  const events = async (caseNumber: string) =>
    t.ownerQuery<{ type: string; payload: { data: Record<string, unknown> } }>(`SELECT type, payload FROM outbox WHERE key = $1 AND type LIKE 'gov.intake.application.%' ORDER BY seq`, [caseNumber]);
  const history = async (app: { applicationId: string }) => (await http<{ items: HistoryItem[] }>(`${t.url}/applications/${app.applicationId}/history`, { token: tokens[USERS.zhangsan] })).body.items;
  const noticesOf = async (app: { applicationId: string }) =>
    t.ownerQuery<{ kind: string; data: Record<string, unknown> }>('SELECT kind, data FROM notices WHERE application_id = $1 ORDER BY issued_at, document_number', [app.applicationId]);
  const statusOf = async (app: { applicationId: string }) => (await t.ownerQuery<{ status: string }>('SELECT status FROM applications WHERE id = $1', [app.applicationId]))[0].status;
  const received = async (as: string = USERS.zhangsan, body: unknown = applicationBody()) => {
    const res = await submit(as, body);
    expect(res.status).toBe(201);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestIntake({ INTAKE_BUREAU_RULES: JSON.stringify({ '449901': { acceptanceWindowDays: 3, correctionWorkingDays: 2 } }) }, clock);
    sweeper = t.app.get(AcceptanceSweeper, { strict: false });
    await publishTestMatter(t, DONGCHENG_MATTER, '449901', { name: '东城区食品经营许可（测试）', departmentCode: DONGCHENG_MARKET, promisedWorkingDays: 5 });
    await publishTestMatter(t, SECRET_MATTER, '449900', { name: '涉密事项（测试）', secret: true, onlineClass: 'C' });
    await publishTestMatter(t, WINDOW_MATTER, '449900', { name: '窗口办理事项（测试）', onlineClass: 'C' });
    for (const user of Object.values(USERS)) tokens[user] = await tokenOf(user);
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('receipt and the window period', () => {
    it('gives the window 5 working days from receipt by default, and a bureau its own period', async () => {
      // when
      const city = await received();
      const county = await received(USERS.otherClerk, applicationBody({ matterCode: DONGCHENG_MATTER, applicant: { kind: 'person', id: APPLICANT_IDS.lisi, name: '李四' } }));
      // then
      expect(city.status).toBe('received');
      expect(city.acceptanceDueAt).toBe(calendar.deadline(new Date(city.receivedAt), 5).toISOString());
      expect(county.acceptanceDueAt).toBe(calendar.deadline(new Date(county.receivedAt), 3).toISOString());
      expect((await history(city))[0]).toMatchObject({ action: 'received', notice: 'receipt' });
    });

    it('refuses a secret matter and a window-only matter online with a clear message, and registers them at the window', async () => {
      // when
      const secretOnline = await submit(USERS.zhangsan, applicationBody({ matterCode: SECRET_MATTER }));
      const windowOnline = await submit(USERS.zhangsan, applicationBody({ matterCode: WINDOW_MATTER }));
      const secretAtWindow = await submit(USERS.clerk, applicationBody({ matterCode: SECRET_MATTER }));
      // then
      expect(secretOnline.status).toBe(422);
      expect(secretOnline.body).toMatchObject({ error: IntakeErrors.code.NotOfferedOnline, details: { field: 'matterCode' } });
      expect(secretOnline.body.message).toMatch(/secret matter and is not handled online; apply at the department's window/);
      expect(windowOnline.status).toBe(422);
      expect(windowOnline.body.message).toMatch(/handled at the window only/);
      expect(secretAtWindow.status).toBe(201);
      const [n] = await t.ownerQuery<{ n: number }>('SELECT count(*)::int AS n FROM applications WHERE matter_code = ANY($1) AND channel = $2', [[SECRET_MATTER, WINDOW_MATTER], 'online']);
      expect(n.n).toBe(0);
    });
  });

  describe('accept, refuse, correction', () => {
    it('accepts after a one-time correction: every item at once, corrected, decided anew, then the materials are frozen', async () => {
      // given
      const app = await received(USERS.zhangsan, applicationBody({ materials: ['businessLicence', 'legalRepId', 'premisesPlan'] }));
      // when the window names every missing or defective item at once
      const notice = await act(USERS.clerk, app, 'correction-request', { items: [{ material: 'safetyRules', problem: '缺少食品安全管理制度' }, { material: 'premisesPlan', problem: '平面布局图未标注尺寸' }] });
      const corrected = await act(USERS.zhangsan, app, 'correction', { materials: ['safetyRules', 'premisesPlan'], form: { businessPremises: '示范市东城区兴中道2号', businessScope: '热食类食品制售' } });
      const accepted = await act(USERS.clerk, app, 'accept', { note: '材料齐全' });
      const again = await act(USERS.zhangsan, app, 'correction', { materials: ['healthCertificates'] });
      // then
      expect(notice.status).toBe(200);
      expect(notice.body.status).toBe('correction-requested');
      expect(notice.body.notice).toMatchObject({ kind: 'correction', items: [{ material: 'safetyRules' }, { material: 'premisesPlan' }], materialNames: ['食品安全管理制度', '经营场所平面布局图'] });
      expect(corrected.status).toBe(200);
      expect(corrected.body.status).toBe('corrected');
      expect(accepted.status).toBe(200);
      expect(accepted.body.status).toBe('accepted');
      expect(accepted.body.notice).toMatchObject({
        kind: 'acceptance',
        receivingOfficer: expect.any(String),
        materials: [{ key: 'businessLicence' }, { key: 'legalRepId' }, { key: 'premisesPlan' }, { key: 'safetyRules' }],
        promisedDeadline: expect.any(String),
      });
      expect(again.status).toBe(409);
      expect(again.body.error).toBe(IntakeErrors.code.MaterialsFrozen);
      expect(again.body.message).toMatch(/materials are frozen/);
      // (the upload path refuses after acceptance: seed 001 text 3 art. 11, 申请一经受理，其报件材料不得再行补正、替换)
      const upload409 = await upload(USERS.zhangsan, app, 'healthCertificates', 'after acceptance');
      expect(upload409.status).toBe(409);
      expect(upload409.body.error).toBe(IntakeErrors.code.MaterialsFrozen);
      expect((await t.ownerQuery<{ materials_frozen_at: Date | null }>('SELECT materials_frozen_at FROM applications WHERE id = $1', [app.applicationId]))[0].materials_frozen_at).not.toBeNull();
      const types = (await events(app.caseNumber)).map((e) => e.type);
      expect(types).toEqual([
        'gov.intake.application.received',
        'gov.intake.application.correction-requested',
        'gov.intake.application.corrected',
        'gov.intake.application.accepted',
        'gov.intake.application.materials-frozen',
      ]);
      const ev = await events(app.caseNumber);
      expect(CorrectionRequested.parse(ev[1].payload.data).items).toHaveLength(2);
      const acceptedData = ApplicationAccepted.parse(ev[3].payload.data);
      // the statutory (法定) and the promised (承诺) limit, and the version's per-step limits for the flow
      expect(acceptedData).toMatchObject({ mode: 'window', acceptedBy: expect.any(String), form: { businessPremises: '示范市东城区兴中道2号' }, timeLimitWorkingDays: 20, promisedLimitWorkingDays: 7 });
      expect(acceptedData.stepLimits?.map((l) => [l.step, l.workingDays])).toEqual([['HandlerReview', 4], ['ChiefReview', 1], ['LeaderDecision', 2]]);
      expect(acceptedData.promisedDeadline).toBe(calendar.deadline(new Date(acceptedData.acceptedAt), 7).toISOString());
    });

    it('refuses with the reason and the remedies, and a refused application takes no further decision', async () => {
      // given
      const app = await received();
      // when
      const refused = await act(USERS.clerk, app, 'refuse', { reason: '申请事项不属于本机关职责范围' });
      const thenAccepted = await act(USERS.clerk, app, 'accept');
      // then
      expect(refused.status).toBe(200);
      expect(refused.body.notice).toMatchObject({ kind: 'refusal', grounds: 'not-eligible', reason: '申请事项不属于本机关职责范围', remedies: expect.stringMatching(/六十日内依法申请行政复议.*六个月内依法向人民法院提起行政诉讼/) });
      expect(thenAccepted.status).toBe(409);
      expect(thenAccepted.body.error).toBe(IntakeErrors.code.ApplicationStateConflict);
      expect((await events(app.caseNumber)).map((e) => e.type)).toEqual(['gov.intake.application.received', 'gov.intake.application.refused']);
    });

    it('does not accept when the correction deadline passes: refused automatically, with no officer, and recorded', async () => {
      // given
      const app = await received();
      const notice = await act(USERS.clerk, app, 'correction-request', { items: [{ problem: '申请书经营项目填写不规范' }] });
      const deadline = new Date(notice.body.notice.deadline as string);
      expect(deadline.toISOString()).toBe(calendar.deadline(clock.now(), 10).toISOString());
      // when the deadline passes
      moveClockTo(new Date(deadline.getTime() + 1000));
      const late = await act(USERS.zhangsan, app, 'correction', { materials: ['safetyRules'] });
      const swept = await sweeper.sweep();
      // then
      expect(late.status).toBe(409);
      expect(late.body.error).toBe(IntakeErrors.code.CorrectionDeadlinePassed);
      expect(swept.correctionLapsed).toContain(app.caseNumber);
      expect(await statusOf(app)).toBe('refused');
      const refused = (await events(app.caseNumber)).find((e) => e.type === 'gov.intake.application.refused');
      expect(ApplicationRefused.parse(refused?.payload.data)).toMatchObject({ grounds: 'correction-not-made', refusedBy: null });
      expect((await history(app)).at(-1)).toMatchObject({ action: 'correction-lapsed', notice: 'refusal', actor: null });
      // and its 不予受理通知书 is recorded, signed by no officer (art. 10 (3))
      expect((await noticesOf(app)).map((n) => n.kind)).toEqual(['receipt', 'correction', 'refusal']);
      expect((await noticesOf(app))[2].data).toMatchObject({ officer: '系统自动（依法产生，无经办人）', reasons: [expect.stringContaining('未在规定时限内补齐材料')] });
      expect((await sweeper.sweep()).correctionLapsed).not.toContain(app.caseNumber);
    });
  });

  describe('deemed acceptance (seed 001 text 10)', () => {
    it('accepts as of the day of receipt when the window stays silent for 5 working days, automatically and recorded', async () => {
      // given
      const app = await received();
      const due = calendar.deadline(new Date(app.receivedAt), 5);
      expect(app.acceptanceDueAt).toBe(due.toISOString());
      // when four working days pass: still the window's
      moveClockTo(calendar.deadline(new Date(app.receivedAt), 4));
      const early = await sweeper.sweep();
      const statusEarly = await statusOf(app);
      // when the fifth working day ends
      moveClockTo(new Date(due.getTime() + 1000));
      const late = await sweeper.sweep();
      // then
      expect(early.deemedAccepted).not.toContain(app.caseNumber);
      expect(statusEarly).toBe('received');
      expect(late.deemedAccepted).toContain(app.caseNumber);
      const [row] = await t.ownerQuery<{ status: string; acceptance_mode: string; accepted_at: Date; accepted_by: string | null; materials_frozen_at: Date | null }>(
        'SELECT status, acceptance_mode, accepted_at, accepted_by, materials_frozen_at FROM applications WHERE id = $1',
        [app.applicationId],
      );
      expect(row).toMatchObject({ status: 'accepted', acceptance_mode: 'deemed', accepted_by: null });
      expect(row.accepted_at.toISOString()).toBe(app.receivedAt);
      expect(row.materials_frozen_at).not.toBeNull();
      const ev = await events(app.caseNumber);
      expect(ev.map((e) => e.type)).toEqual(['gov.intake.application.received', 'gov.intake.application.deemed-accepted', 'gov.intake.application.materials-frozen']);
      expect(ApplicationAccepted.parse(ev[1].payload.data)).toMatchObject({ mode: 'deemed', acceptedBy: null, acceptedAt: app.receivedAt });
      expect((await history(app)).at(-1)).toMatchObject({ action: 'deemed-accepted', notice: 'acceptance', actor: null });
      // and its 受理通知书 says it is deemed, accepted as of the day of receipt
      const acceptance = (await noticesOf(app)).find((n) => n.kind === 'acceptance');
      expect(acceptance?.data).toMatchObject({ deemed: true, acceptedAt: app.receivedAt, officer: '系统自动（依法产生，无经办人）' });
      const progress = await http<{ status: string; acceptanceMode: string; acceptedAt: string }>(`${t.url}/applications/${app.caseNumber}/progress`, { token: tokens[USERS.zhangsan] });
      expect(progress.body).toMatchObject({ status: 'accepted', acceptanceMode: 'deemed', acceptedAt: app.receivedAt });
    });

    it('never deems accepted what the window sent back for correction in time', async () => {
      // given
      const app = await received();
      await act(USERS.clerk, app, 'correction-request', { items: [{ problem: '缺少营业执照' }] });
      // when the window period passes (the correction period is longer)
      moveClockTo(new Date(calendar.deadline(new Date(app.receivedAt), 5).getTime() + 1000));
      const swept = await sweeper.sweep();
      // then
      expect(swept.deemedAccepted).not.toContain(app.caseNumber);
      expect(await statusOf(app)).toBe('correction-requested');
    });

    it('is safe with two replicas and across a restart: each application is deemed accepted exactly once', async () => {
      // given applications whose window has passed, and a second replica started afterwards on the same database
      const apps: Received[] = [];
      for (let i = 0; i < 12; i++) apps.push(await received());
      moveClockTo(new Date(Math.max(...apps.map((a) => Date.parse(a.acceptanceDueAt))) + 1000));
      const replica = await startTestIntake({ DEMO_SEED: 'false' }, clock, { reuseDatabase: t.database });
      try {
        const other = replica.app.get(AcceptanceSweeper, { strict: false });
        // when both sweep at once, twice
        const [a, b] = await Promise.all([sweeper.sweep(), other.sweep()]);
        const [c, d] = await Promise.all([sweeper.sweep(), other.sweep()]);
        // then
        const ours = apps.map((x) => x.caseNumber);
        const byA = a.deemedAccepted.filter((n) => ours.includes(n));
        const byB = b.deemedAccepted.filter((n) => ours.includes(n));
        expect([...byA, ...byB].sort()).toEqual([...ours].sort());
        expect(byA.filter((n) => byB.includes(n))).toEqual([]);
        expect([...c.deemedAccepted, ...d.deemedAccepted].filter((n) => ours.includes(n))).toEqual([]);
        const counts = await t.ownerQuery<{ key: string; n: number }>(
          `SELECT key, count(*)::int AS n FROM outbox WHERE type = 'gov.intake.application.deemed-accepted' AND key = ANY($1) GROUP BY key`,
          [ours],
        );
        expect(counts).toHaveLength(ours.length);
        expect(counts.every((r) => r.n === 1)).toBe(true);
      } finally {
        await replica.close();
      }
    });
  });

  describe('acceptance with missing materials (容缺受理)', () => {
    const commitment = { signedBy: '张三', text: '本人承诺在规定期限内补齐所缺材料，逾期未补齐的，本次申请终止办理。' };
    const within = () => cstDate(calendar.deadline(clock.now(), 3));

    it('accepts with deferrable materials missing on a signed commitment; handing them in meets it', async () => {
      // given
      const app = await received(USERS.zhangsan, applicationBody({ materials: ['businessLicence', 'legalRepId', 'premisesPlan'] }));
      // when
      const accepted = await act(USERS.clerk, app, 'accept-with-missing', { missing: ['safetyRules'], deadline: within(), commitment });
      const statusBetween = await statusOf(app);
      // (only the promised slot stays open for the materials module)
      const owed = await upload(USERS.zhangsan, app, 'safetyRules', 'owed safety rules');
      const notOwed = await upload(USERS.zhangsan, app, 'premisesPlan', 'another plan');
      const delivered = await act(USERS.clerk, app, 'deferred-materials', { materials: ['safetyRules'] });
      // then
      expect(accepted.status).toBe(200);
      expect(accepted.body.notice).toMatchObject({ kind: 'with-missing', missing: [{ key: 'safetyRules', name: '食品安全管理制度' }], commitment: { signedBy: '张三' } });
      expect(new Date(accepted.body.notice.deferredDeadline as string).getTime()).toBeLessThanOrEqual(Date.parse(accepted.body.notice.promisedDeadline as string));
      expect(statusBetween).toBe('accepted-with-missing');
      expect(owed.status).toBe(201);
      expect(notOwed.status).toBe(409);
      expect(notOwed.body.error).toBe(IntakeErrors.code.MaterialsFrozen);
      expect(notOwed.body.message).toMatch(/safetyRules/);
      expect(delivered.status).toBe(200);
      expect(delivered.body.status).toBe('accepted');
      const ev = await events(app.caseNumber);
      expect(ev.map((e) => e.type)).toEqual(['gov.intake.application.received', 'gov.intake.application.accepted-with-missing', 'gov.intake.application.materials-frozen', 'gov.intake.application.deferred-materials-received']);
      // the commitment met in full: supervision's 容缺 rule is satisfied
      expect(ev[3].payload.data).toMatchObject({ materials: [{ key: 'safetyRules' }], complete: true });
      expect(ApplicationAcceptedWithMissing.parse(ev[1].payload.data)).toMatchObject({ mode: 'with-missing', missing: [{ key: 'safetyRules' }] });
      // and its 容缺受理通知书 lists what is missing and the deadline
      const withMissing = (await noticesOf(app)).find((n) => n.kind === 'acceptance-with-missing');
      expect(withMissing?.data).toMatchObject({ missing: [{ material: '食品安全管理制度', form: 'original' }], deadline: within() });
      // and a met commitment is never swept
      moveClockTo(new Date(Date.parse(accepted.body.notice.deferredDeadline as string) + 1000));
      expect((await sweeper.sweep()).terminated).not.toContain(app.caseNumber);
    });

    it('records an upload to an owed slot without meeting the commitment: only the window confirms, and only a slot holding a file', async () => {
      // given an application accepted with two materials owed
      const app = await received(USERS.zhangsan, applicationBody({ materials: ['businessLicence', 'legalRepId', 'premisesPlan'] }));
      const accepted = await act(USERS.clerk, app, 'accept-with-missing', { missing: ['safetyRules', 'healthCertificates'], deadline: within(), commitment });
      expect(accepted.status).toBe(200);
      const view = async () => (await http<{ status: string; deferredMaterials: Array<{ key: string }> }>(`${t.url}/applications/${app.applicationId}`, { token: tokens[USERS.zhangsan] })).body;
      const owedSlots = async () => (await http<{ owed: string[] }>(`${t.url}/applications/${app.caseNumber}/materials`, { token: tokens[USERS.clerk] })).body.owed;
      // when the applicant uploads one owed material, and the window confirms both
      const uploaded = await upload(USERS.zhangsan, app, 'safetyRules', 'owed safety rules, uploaded');
      const afterUpload = await view();
      const owedAfterUpload = await owedSlots();
      const confirmedBoth = await act(USERS.clerk, app, 'deferred-materials', { materials: ['safetyRules', 'healthCertificates'] });
      const afterRefusal = await view();
      // then the upload is recorded but the commitment is unchanged: both slots owed, the deadline standing
      expect(uploaded.status).toBe(201);
      expect(afterUpload.status).toBe('accepted-with-missing');
      expect(afterUpload.deferredMaterials.map((m) => m.key)).toEqual(['safetyRules', 'healthCertificates']);
      expect(owedAfterUpload).toEqual(['safetyRules', 'healthCertificates']);
      // and confirming a slot that holds no file is 409, naming it, and changes nothing
      expect(confirmedBoth.status).toBe(409);
      expect(confirmedBoth.body.error).toBe(IntakeErrors.code.DeferredMaterialNotReceived);
      expect(confirmedBoth.body.message).toMatch(/healthCertificates/);
      expect(confirmedBoth.body.message).not.toMatch(/safetyRules/);
      expect(afterRefusal).toMatchObject({ status: 'accepted-with-missing', deferredMaterials: [{ key: 'safetyRules' }, { key: 'healthCertificates' }] });
      expect((await history(app)).map((h) => h.action)).not.toContain('deferred-delivered');
      // when the window confirms the one that holds a file
      const confirmedOne = await act(USERS.clerk, app, 'deferred-materials', { materials: ['safetyRules'] });
      // then that slot is met, the other still owed with the deadline, and the history names the file confirmed
      expect(confirmedOne.status).toBe(200);
      expect(confirmedOne.body.status).toBe('accepted-with-missing');
      expect(await owedSlots()).toEqual(['healthCertificates']);
      expect((await history(app)).at(-1)).toMatchObject({ action: 'deferred-delivered', data: { files: [{ slotKey: 'safetyRules' }], left: [{ key: 'healthCertificates' }] } });
      // and supervision is told, once, that part of the commitment was kept (not all of it)
      const delivered = (await events(app.caseNumber)).filter((e) => e.type === 'gov.intake.application.deferred-materials-received');
      expect(delivered.map((e) => e.payload.data)).toEqual([expect.objectContaining({ materials: [{ key: 'safetyRules', name: '食品安全管理制度' }], complete: false })]);
      // and an upload of the other, unconfirmed, does not save the case from the deadline
      expect((await upload(USERS.zhangsan, app, 'healthCertificates', 'owed health certificates, never confirmed')).status).toBe(201);
      moveClockTo(new Date(Date.parse(accepted.body.notice.deferredDeadline as string) + 1000));
      expect((await sweeper.sweep()).terminated).toContain(app.caseNumber);
      expect((await view()).status).toBe('terminated');
    });

    it('ends the case when the missing materials do not arrive by the deadline', async () => {
      // given
      const app = await received();
      const accepted = await act(USERS.clerk, app, 'accept-with-missing', { missing: ['safetyRules', 'healthCertificates'], deadline: within(), commitment });
      expect(accepted.status).toBe(200);
      // when
      moveClockTo(new Date(Date.parse(accepted.body.notice.deferredDeadline as string) + 1000));
      const swept = await sweeper.sweep();
      // then
      expect(swept.terminated).toContain(app.caseNumber);
      expect(await statusOf(app)).toBe('terminated');
      const ended = (await events(app.caseNumber)).find((e) => e.type === 'gov.intake.application.terminated');
      expect(ApplicationTerminated.parse(ended?.payload.data).missing.map((m) => m.key)).toEqual(['safetyRules', 'healthCertificates']);
      expect((await history(app)).at(-1)).toMatchObject({ action: 'terminated', notice: 'termination', actor: null });
    });

    it('refuses a material that may not be deferred, and a deadline later than the promised limit', async () => {
      // given
      const app = await received();
      // when
      const notDeferrable = await act(USERS.clerk, app, 'accept-with-missing', { missing: ['legalRepId'], deadline: within(), commitment });
      const tooLate = await act(USERS.clerk, app, 'accept-with-missing', { missing: ['safetyRules'], deadline: cstDate(new Date(calendar.deadline(clock.now(), 7).getTime() + DAY)), commitment });
      const badDate = await act(USERS.clerk, app, 'accept-with-missing', { missing: ['safetyRules'], deadline: '2026-02-30', commitment });
      const noCommitment = await act(USERS.clerk, app, 'accept-with-missing', { missing: ['safetyRules'], deadline: within() });
      // then
      expect([notDeferrable.status, notDeferrable.body.error]).toEqual([422, IntakeErrors.code.NotDeferrable]);
      expect(fieldsNamed(notDeferrable.body)).toContain('missing[0]');
      expect([tooLate.status, tooLate.body.error]).toEqual([422, IntakeErrors.code.DeferredDeadlineInvalid]);
      expect(tooLate.body.message).toMatch(/not be later than the promised limit/);
      expect(badDate.status).toBe(400);
      expect(fieldsNamed(badDate.body)).toContain('deadline');
      expect(noCommitment.status).toBe(400);
      expect(fieldsNamed(noCommitment.body)).toContain('commitment');
      expect(await statusOf(app)).toBe('received');
    });
  });

  describe('withdrawal (art. 11)', () => {
    it('ends an accepted application when the window accepts the withdrawal, telling approval to end the case', async () => {
      // given an application in review
      const app = await received();
      await act(USERS.clerk, app, 'accept');
      // when
      const asked = await act(USERS.zhangsan, app, 'withdrawal', { reason: '需更正申请内容后重新申请' });
      const askedTwice = await act(USERS.zhangsan, app, 'withdrawal', { reason: '再次申请' });
      const granted = await act(USERS.clerk, app, 'withdrawal/accept', {});
      // then
      expect(asked.status).toBe(200);
      expect(askedTwice.status).toBe(409);
      expect(granted.status).toBe(200);
      expect(granted.body.status).toBe('withdrawn');
      const ev = (await events(app.caseNumber)).find((e) => e.type === 'gov.intake.application.withdrawn');
      expect(ApplicationWithdrawn.parse(ev?.payload.data)).toMatchObject({ wasAccepted: true, reason: '需更正申请内容后重新申请' });
      const progress = await http<{ status: string; result: { outcome: string } }>(`${t.url}/applications/${app.caseNumber}/progress`, { token: tokens[USERS.zhangsan] });
      expect(progress.body).toMatchObject({ status: 'withdrawn', result: { outcome: 'withdrawn' } });
    });

    it('refuses to accept a withdrawal nobody asked for, and lets only the window grant one', async () => {
      // given
      const app = await received();
      // when
      const unasked = await act(USERS.clerk, app, 'withdrawal/accept', {});
      await act(USERS.zhangsan, app, 'withdrawal', { reason: '不再需要' });
      const byApplicant = await act(USERS.zhangsan, app, 'withdrawal/accept', {});
      // then
      expect([unasked.status, unasked.body.error]).toEqual([409, IntakeErrors.code.WithdrawalNotRequested]);
      expect(byApplicant.status).toBe(403);
      expect((await events(app.caseNumber)).filter((e) => e.type === 'gov.intake.application.withdrawn')).toEqual([]);
    });
  });

  describe('access and bad input', () => {
    it("lets only the window of the handling organisation decide, and only the applicant see and act on their own", async () => {
      // given
      const app = await received();
      // when
      const byApplicant = await act(USERS.zhangsan, app, 'accept');
      const byOtherClerk = await act(USERS.otherClerk, app, 'accept');
      const byHandler = await act(USERS.handler, app, 'accept');
      const otherApplicant = await act(USERS.lisi, app, 'withdrawal', { reason: '冒名撤回' });
      const otherProgress = await http<Refusal>(`${t.url}/applications/${app.applicationId}/progress`, { token: tokens[USERS.lisi] });
      const clerkProgress = await http(`${t.url}/applications/${app.applicationId}/progress`, { token: tokens[USERS.clerk] });
      // then
      expect([byApplicant.status, byApplicant.body.error]).toEqual([403, IntakeErrors.code.InsufficientRole]);
      expect([byOtherClerk.status, byOtherClerk.body.error]).toEqual([403, IntakeErrors.code.OutsideOrganisation]);
      expect(byHandler.status).toBe(403);
      expect([otherApplicant.status, otherApplicant.body.error]).toEqual([403, IntakeErrors.code.NotOwnApplication]);
      expect([otherProgress.status, otherProgress.body.error]).toEqual([403, IntakeErrors.code.NotOwnApplication]);
      expect(clerkProgress.status).toBe(200);
      expect(await statusOf(app)).toBe('received');
    });

    it('refuses malformed decisions with a 400 naming the field, and changes nothing', async () => {
      // given
      const app = await received();
      // when
      const noReason = await act(USERS.clerk, app, 'refuse', {});
      const noItems = await act(USERS.clerk, app, 'correction-request', { items: [] });
      const badItem = await act(USERS.clerk, app, 'correction-request', { items: [{ material: '../etc', problem: 'x' }] });
      const unknownSlot = await act(USERS.clerk, app, 'correction-request', { items: [{ material: 'noSuchSlot', problem: 'x' }] });
      const nulProblem = await act(USERS.clerk, app, 'correction-request', { items: [{ problem: 'a\u0000b' }] });
      const extra = await act(USERS.clerk, app, 'accept', { decision: 'yes' });
      const hostileItem = await act(USERS.clerk, app, 'correction-request', { items: [{ constructor: 'x', problem: 'p' }] });
      const hostileCommitment = await act(USERS.clerk, app, 'accept-with-missing', { missing: ['safetyRules'], deadline: '2030-01-01', commitment: { constructor: { a: 1 }, signedBy: '张三', text: 't' } });
      const hostileForm = await act(USERS.zhangsan, app, 'correction', { form: { premises: { constructor: 'x' } } });
      const protoForm = await http<Refusal>(`${t.url}/applications/${app.applicationId}/correction`, {
        token: tokens[USERS.zhangsan],
        rawBody: '{"form":{"__proto__":{"x":1}}}',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      });
      const noKey = await http<Refusal>(`${t.url}/applications/${app.applicationId}/accept`, { token: tokens[USERS.clerk], body: {}, headers: { 'idempotency-key': '' } });
      const badRef = await http<Refusal>(`${t.url}/applications/not-a-case/accept`, { token: tokens[USERS.clerk], body: {}, headers: { 'idempotency-key': randomUUID() } });
      // then
      expect(noReason.status).toBe(400);
      expect(fieldsNamed(noReason.body)).toContain('reason');
      expect(noItems.status).toBe(400);
      expect(fieldsNamed(noItems.body)).toContain('items');
      expect(badItem.status).toBe(400);
      expect(fieldsNamed(badItem.body).some((f) => f.startsWith('items'))).toBe(true);
      expect(unknownSlot.status).toBe(400);
      expect(fieldsNamed(unknownSlot.body)).toContain('items[0].material');
      expect(nulProblem.status).toBe(400);
      expect(extra.status).toBe(400);
      expect(hostileItem.status).toBe(400);
      expect(hostileCommitment.status).toBe(400);
      expect(hostileForm.status).toBe(400);
      expect(fieldsNamed(hostileForm.body)).toContain('form.premises.constructor');
      expect(protoForm.status).toBe(400);
      expect(noKey.status).toBe(400);
      expect(noKey.body.error).toBe(IntakeErrors.code.IdempotencyKeyMissing);
      expect(badRef.status).toBe(400);
      expect((await events(app.caseNumber)).map((e) => e.type)).toEqual(['gov.intake.application.received']);
    });

    it('answers a retried decision with the same result, once', async () => {
      // given
      const app = await received();
      const key = randomUUID();
      // when
      const first = await act(USERS.clerk, app, 'accept', {}, key);
      const retry = await act(USERS.clerk, app, 'accept', {}, key);
      // then
      expect(first.status).toBe(200);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect((await events(app.caseNumber)).filter((e) => e.type === 'gov.intake.application.accepted')).toHaveLength(1);
    });
  });
});

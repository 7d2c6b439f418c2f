import { type CaseDecidedData, type CaseEndedData, LicenceRevoked, makeEvent } from '@gov/contracts';
import { InboxContext } from '@gov/messaging';
import { eventually } from '@gov/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { NoticeSealer } from '../notices/notice-sealer';
import { PROGRESS_CONSUMER, ProgressConsumer } from '../progress/progress.consumer';
import { APPLICANT_IDS, type Refusal, decidedData, submitApplication, type TestIntake, USERS, applicationBody, http, publishTestMatter, startTestIntake, tokenOf } from '../testing/test-app';
import { DecisionDocuments } from './decision-documents';

// The decisions beyond 准予/不予 (issue 9 §1/§3, issue 8): a filing receipt (备案回执, no licence, not published), the
// revocation of an approval (撤销行政许可决定书; its licence revoked in the sharing store), a licence revoked by hand
// by its issuing department, and a withdrawal that came through the flow's own message: on a throwaway intake with
// the running identity (seals).

/** A matter whose result is a 营业执照: its licence can stand in for DEMO-SCJG-001's businessLicence slot. */
const BUSINESS_LICENCE_MATTER = 'DEMO-SCJG-090';
const LEADER = 'leader.market';
const OTHER_CHIEF = 'chief.resources';

interface LicenceView {
  licenceNumber: string;
  status: string;
  revocationReason: string | null;
  revocationLegalBasis: string | null;
  revocationDocumentNumber: string | null;
}

describe('filing receipts, revocations and withdrawals through the flow', () => {
  let t: TestIntake;
  let documents: DecisionDocuments;
  let ds: DataSource;
  const tokens: Record<string, string> = {};
  let seq = 0;

  const submit = (as: string, body: Record<string, unknown> = applicationBody()) => submitApplication(t, tokens[as], body);
  const decision = decidedData;
  const decide = (d: CaseDecidedData) => ds.transaction((m) => documents.handle(d, m));
  const kindsOf = async (caseNumber: string) => (await t.ownerQuery<{ kind: string }>(`SELECT kind FROM notices WHERE case_number = $1 ORDER BY kind`, [caseNumber])).map((r) => r.kind);
  const noticeOf = async (caseNumber: string, kind: string) =>
    (await t.ownerQuery<{ id: string; status: string; data: Record<string, unknown>; document_number: string }>(`SELECT id, status, data, document_number FROM notices WHERE case_number = $1 AND kind = $2`, [caseNumber, kind]))[0];
  const outbox = (caseNumber: string, type: string) => t.ownerQuery<{ payload: { data: unknown } }>(`SELECT payload FROM outbox WHERE key = $1 AND type = $2 ORDER BY seq`, [caseNumber, type]);
  const revoke = (licenceNumber: string, as: string, body: unknown, key: string = randomUUID()) =>
    http<LicenceView & Refusal>(`${t.url}/licences/${licenceNumber}/revocation`, { token: tokens[as], body, headers: { 'idempotency-key': key } });
  /** A licence of 营业执照 issued to zhangsan (an approved case of the business-licence matter), sealed. */
  const businessLicence = async () => {
    const a = await submit(USERS.zhangsan, applicationBody({ matterCode: BUSINESS_LICENCE_MATTER, applicant: { kind: 'person', id: APPLICANT_IDS.zhangsan, name: '张三' } }));
    const approval = decision(a.caseNumber);
    await decide(approval);
    await t.app.get(NoticeSealer).sealDue();
    return { caseNumber: a.caseNumber, licenceNumber: `LIC-${a.caseNumber}`, approval };
  };

  beforeAll(async () => {
    t = await startTestIntake({ NOTIFY_DISPATCH_INTERVAL_MS: '0', NOTICE_SEAL_RETRY_INTERVAL_MS: '0', PUBLICITY_INTERVAL_MS: '0' });
    documents = t.app.get(DecisionDocuments);
    ds = t.app.get(DataSource);
    for (const user of [USERS.zhangsan, USERS.clerk, LEADER, OTHER_CHIEF]) tokens[user] = await tokenOf(user);
    await publishTestMatter(t, BUSINESS_LICENCE_MATTER, '449900', { name: '营业执照核发（测试）', result: { name: '营业执照', validityMonths: 120, annualInspection: false }, materials: [] });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('issues a sealed 备案回执 for a filed case, once, with no licence and no publicity, and the progress shows the filing', async () => {
    // given a case of a matter whose result is a licence, filed (备案) rather than approved, announced twice
    const app = await submit(USERS.zhangsan);
    const d = decision(app.caseNumber, { decision: 'filed', documentNumber: `449900-TEST-备〔2026〕${String(++seq).padStart(6, '0')}号` });
    // when
    const first = await decide(d);
    const again = await decide(d);
    await t.app.get(NoticeSealer).sealDue();
    const event = makeEvent({ type: 'gov.approval.case.decided', source: '/approval', subject: app.caseNumber, data: d });
    await ds.transaction((m) => t.app.get(ProgressConsumer).caseDecided(event, new InboxContext(m, PROGRESS_CONSUMER, () => undefined)));
    // then one receipt, sealed, numbered as approval numbered it; no licence, nothing published
    expect(again).toEqual(first);
    expect(await kindsOf(app.caseNumber)).toEqual(['filing-receipt', 'receipt']);
    const receipt = await noticeOf(app.caseNumber, 'filing-receipt');
    expect(receipt).toMatchObject({ status: 'sealed', document_number: d.documentNumber });
    expect(await t.ownerQuery(`SELECT 1 FROM licences WHERE case_number = $1`, [app.caseNumber])).toEqual([]);
    expect(await t.ownerQuery(`SELECT 1 FROM publicity_entries WHERE case_number = $1`, [app.caseNumber])).toEqual([]);
    // and the applicant is told, and sees the result and the document in the progress view
    expect(await t.ownerQuery(`SELECT 1 FROM notifications WHERE dedupe_key = $1`, [`decision:${app.caseNumber}`])).toHaveLength(1);
    const progress = await http<{ result: { outcome: string; documentNumber: string }; documents: Array<{ kind: string }> }>(`${t.url}/applications/${app.caseNumber}/progress`, { token: tokens[USERS.zhangsan] });
    expect(progress.status).toBe(200);
    expect(progress.body.result).toMatchObject({ outcome: 'filed', documentNumber: d.documentNumber });
    expect(progress.body.documents.map((x) => x.kind)).toContain('备案回执');
  });

  it("revokes an approval: the 撤销行政许可决定书 names the revoked decision, the reasons, the record and the remedies; the licence is revoked once and can no longer be reused", async () => {
    // given zhangsan's valid 营业执照
    const { caseNumber, licenceNumber, approval } = await businessLicence();
    // when its approval is revoked for a false commitment (announced twice)
    const revocation = decision(caseNumber, {
      decision: 'revoked',
      documentNumber: `449900-TEST-撤销〔2026〕${String(++seq).padStart(6, '0')}号`,
      revokesDocumentNumber: approval.documentNumber,
      reasons: ['经核查，经营场所未设置承诺的冷藏设施。'],
      creditRecord: '虚假承诺：未设置冷藏设施',
      legalBasis: '《中华人民共和国行政许可法》第六十九条',
    });
    await decide(revocation);
    await decide(revocation);
    await t.app.get(NoticeSealer).sealDue();
    // then the revocation decision, sealed, with what it revokes, why, the record and both remedies
    const doc = await noticeOf(caseNumber, 'revocation-decision');
    expect(doc).toMatchObject({ status: 'sealed', document_number: revocation.documentNumber });
    expect(doc.data).toMatchObject({
      revokesDocumentNumber: approval.documentNumber,
      reasons: ['经核查，经营场所未设置承诺的冷藏设施。'],
      licenceNumber,
      creditRecord: expect.stringContaining('虚假承诺：未设置冷藏设施'),
      reviewBody: '示范市人民政府',
      court: '示范市中级人民法院',
    });
    // and the licence is revoked in the store, announced once
    const view = await http<LicenceView>(`${t.url}/licences/${licenceNumber}`, { token: tokens[USERS.zhangsan] });
    expect(view.body).toMatchObject({ status: 'revoked', revocationDocumentNumber: revocation.documentNumber, revocationLegalBasis: '《中华人民共和国行政许可法》第六十九条' });
    const revoked = (await outbox(caseNumber, 'gov.intake.licence.revoked')).map((r) => LicenceRevoked.parse(r.payload.data));
    expect(revoked).toEqual([expect.objectContaining({ licenceNumber, revokedBy: 'decision', revocationDocumentNumber: revocation.documentNumber })]);
    // and the applicant is told of the revocation apart from the approval
    expect(await t.ownerQuery(`SELECT 1 FROM notifications WHERE dedupe_key = $1`, [`revocation:${caseNumber}`])).toHaveLength(1);
    // and a new application cannot take a material from the revoked licence
    const app = await submit(USERS.zhangsan);
    const reuse = await http<Refusal & { details: { status: string } }>(`${t.url}/applications/${app.caseNumber}/materials/businessLicence/licence`, { method: 'PUT', token: tokens[USERS.zhangsan], body: { licenceNumber } });
    expect([reuse.status, reuse.body.error, reuse.body.details.status]).toEqual([422, 'LicenceNotUsable', 'revoked']);
    expect(await t.ownerQuery(`SELECT 1 FROM material_licence_refs WHERE application_id = $1`, [app.applicationId])).toEqual([]);
  });

  it('lets an officer of the issuing department revoke a licence by hand, with a reason and legal basis, once and audited; others are refused and change nothing', async () => {
    // given zhangsan's valid 营业执照
    const { caseNumber, licenceNumber } = await businessLicence();
    const body = { reason: '持证人以欺骗手段取得许可', legalBasis: '《中华人民共和国行政许可法》第六十九条第二款' };
    // when others try first
    const applicant = await revoke(licenceNumber, USERS.zhangsan, body);
    const clerk = await revoke(licenceNumber, USERS.clerk, body);
    const otherDepartment = await revoke(licenceNumber, OTHER_CHIEF, body);
    const noKey = await revoke(licenceNumber, LEADER, body, '');
    const blank = await revoke(licenceNumber, LEADER, { reason: '  ', legalBasis: body.legalBasis });
    const noBasis = await revoke(licenceNumber, LEADER, { reason: body.reason });
    const unknown = await revoke('LIC-449900-20260101-999999', LEADER, body);
    const badNumber = await revoke('not-a-licence', LEADER, body);
    // then each is refused with a clear 4xx, and the licence is still valid
    expect([applicant.status, applicant.body.error]).toEqual([403, 'InsufficientRole']);
    expect([clerk.status, clerk.body.error]).toEqual([403, 'InsufficientRole']);
    expect([otherDepartment.status, otherDepartment.body.error]).toEqual([403, 'OutsideOrganisation']);
    expect([noKey.status, noKey.body.error]).toEqual([400, 'IdempotencyKeyMissing']);
    expect([blank.status, blank.body.error]).toEqual([400, 'ValidationFailed']);
    expect([noBasis.status, noBasis.body.error]).toEqual([400, 'ValidationFailed']);
    expect([unknown.status, unknown.body.error]).toEqual([404, 'LicenceNotFound']);
    expect([badNumber.status, badNumber.body.error]).toEqual([400, 'InvalidLicenceNumber']);
    expect((await http<LicenceView>(`${t.url}/licences/${licenceNumber}`, { token: tokens[USERS.zhangsan] })).body.status).toBe('valid');
    // when the department's leader revokes it, retries with the same key, and then tries again with another
    const key = randomUUID();
    const done = await revoke(licenceNumber, LEADER, body, key);
    const replay = await revoke(licenceNumber, LEADER, body, key);
    const twice = await revoke(licenceNumber, LEADER, body);
    // then revoked once, the retry answered the same, the second revocation refused
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ licenceNumber, status: 'revoked', revocationReason: body.reason, revocationLegalBasis: body.legalBasis, revocationDocumentNumber: null });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(done.body);
    expect([twice.status, twice.body.error]).toEqual([409, 'LicenceAlreadyRevoked']);
    const events = (await outbox(caseNumber, 'gov.intake.licence.revoked')).map((r) => LicenceRevoked.parse(r.payload.data));
    expect(events).toEqual([expect.objectContaining({ licenceNumber, revokedBy: 'officer', reason: body.reason, legalBasis: body.legalBasis })]);
    const audited = await eventually('the revocation audited', async () => {
      const rows = await t.ownerQuery<{ payload: { data: { action: string; category: string; target: string } } }>(`SELECT payload FROM outbox WHERE type = 'gov.platform.security.recorded'`);
      const hits = rows.map((r) => r.payload.data).filter((e) => e.action === 'licences.revoke' && e.target === licenceNumber);
      return hits.length > 0 ? hits : undefined;
    });
    expect(audited).toEqual([expect.objectContaining({ category: 'administrative-change' })]);
  });

  it('closes an application the flow withdrew (its own withdrawal message) with one 准予撤回, and adds nothing when the window withdrew it first', async () => {
    // given two accepted applications: one the flow withdraws, one the window withdrew already
    const viaFlow = await submit(USERS.zhangsan);
    const viaWindow = await submit(USERS.zhangsan);
    for (const a of [viaFlow, viaWindow]) expect((await http(`${t.url}/applications/${a.applicationId}/accept`, { token: tokens[USERS.clerk], body: {} })).status).toBe(200);
    expect((await http(`${t.url}/applications/${viaWindow.applicationId}/withdrawal`, { token: tokens[USERS.zhangsan], body: { reason: '不再需要' } })).status).toBe(200);
    expect((await http(`${t.url}/applications/${viaWindow.applicationId}/withdrawal/accept`, { token: tokens[USERS.clerk], body: {} })).status).toBe(200);
    const ended = (caseNumber: string): CaseEndedData => ({ caseNumber, processInstanceId: `pi-${caseNumber}`, outcome: 'withdrawn', documentNumber: `449900-TEST-撤〔2026〕${String(++seq).padStart(6, '0')}号`, reason: '申请人主动撤回', endedAt: new Date().toISOString() });
    // when approval announces both ended as withdrawn (the first twice)
    const flowEnded = ended(viaFlow.caseNumber);
    const first = await ds.transaction((m) => documents.ended(flowEnded, m));
    const again = await ds.transaction((m) => documents.ended(flowEnded, m));
    const windowEnded = await ds.transaction((m) => documents.ended(ended(viaWindow.caseNumber), m));
    // then the flow's withdrawal closed its application with one notice; the window's got nothing more
    expect(first).toHaveLength(1);
    expect(again).toBeNull();
    expect(windowEnded).toBeNull();
    const status = async (id: string) => (await t.ownerQuery<{ status: string }>(`SELECT status FROM applications WHERE id = $1`, [id]))[0].status;
    expect(await status(viaFlow.applicationId)).toBe('withdrawn');
    expect(await status(viaWindow.applicationId)).toBe('withdrawn');
    for (const a of [viaFlow, viaWindow]) expect((await kindsOf(a.caseNumber)).filter((k) => k === 'withdrawal')).toHaveLength(1);
    expect((await noticeOf(viaFlow.caseNumber, 'withdrawal')).data).toMatchObject({ reason: '申请人主动撤回' });
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CaseDecidedData, LicenceIssued, PublicityPublished, TOPICS, makeEvent } from '@gov/contracts';
import { STACK, eventually, kafka } from '@gov/testing';
import { DataSource } from 'typeorm';
import { IntakeErrors } from '../errors';
import type { AnyNoticeData } from '../notices/notice-kinds';
import { layoutNotice } from '../notices/notice-layout';
import { NoticeSealer } from '../notices/notice-sealer';
import { PublicityService } from '../publicity/publicity.service';
import { APPLICANT_IDS, type Refusal, decidedData, submitApplication, type TestIntake, USERS, applicationBody, http, publishTestMatter, startTestIntake, tokenOf } from '../testing/test-app';
import { DecisionDocuments } from './decision-documents';

// Decision documents, the licence store and publicity (issue 9 §3; seed 001 text 3 art. 19-21), on a throwaway
// intake with the running identity (seals, verification) and the real Kafka (the decision event's consumer).

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** A matter whose result is a 营业执照 (10 years): its licence can stand in for DEMO-SCJG-001's businessLicence slot. */
const BUSINESS_LICENCE_MATTER = 'DEMO-SCJG-090';

interface LicenceView {
  licenceNumber: string;
  licenceType: string;
  status: string;
  holder: { id: string };
  validFrom: string;
  validTo: string | null;
  document: { verificationCode: string; sealed: boolean; sha256: string | null; downloadPath: string };
}
interface FeedItem {
  caseNumber: string;
  applicantName: string;
  applicantId: string;
  publicityCase: string;
  decision: string;
}

describe('decision documents, licences and publicity (seed 001 text 3 art. 19-21)', () => {
  let t: TestIntake;
  let mailDrop: string;
  let documents: DecisionDocuments;
  const tokens: Record<string, string> = {};

  const submit = (as: string, body: Record<string, unknown> = applicationBody()) => submitApplication(t, tokens[as], body);
  const decision = decidedData;
  const decide = (d: CaseDecidedData) => t.app.get(DataSource).transaction((m) => documents.handle(d, m));
  const noticesOf = (caseNumber: string) =>
    t.ownerQuery<{ id: string; kind: string; status: string; verification_code: string; data: Record<string, unknown>; document_number: string }>(
      `SELECT id, kind, status, verification_code, data, document_number FROM notices WHERE case_number = $1 AND kind IN ('approval-decision','refusal-decision','licence') ORDER BY kind`,
      [caseNumber],
    );
  const pdfOf = async (noticeId: string, token: string) => Buffer.from(await (await fetch(`${t.url}/notices/${noticeId}/pdf`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());

  beforeAll(async () => {
    mailDrop = mkdtempSync(join(tmpdir(), 'mail-drop-'));
    t = await startTestIntake({ NOTIFY_MAIL_DROP_DIR: mailDrop, NOTIFY_DISPATCH_INTERVAL_MS: '0', NOTICE_SEAL_RETRY_INTERVAL_MS: '0', PUBLICITY_INTERVAL_MS: '0' });
    documents = t.app.get(DecisionDocuments);
    for (const user of [USERS.zhangsan, USERS.lisi, USERS.clerk, USERS.otherClerk]) tokens[user] = await tokenOf(user);
    await publishTestMatter(t, BUSINESS_LICENCE_MATTER, '449900', { name: '营业执照核发（测试）', result: { name: '营业执照', validityMonths: 120, annualInspection: false }, materials: [] });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(mailDrop, { recursive: true, force: true });
  });

  it('issues the 准予行政许可决定书 and the licence once each, sealed and verifiable at identity; a tampered copy is refused', async () => {
    // given a decided case of the food licence matter (result 食品经营许可证, 60 months), announced twice
    const app = await submit(USERS.zhangsan);
    const d = decision(app.caseNumber, { decidedAt: '2026-12-03T02:00:00Z', decidedBy: { id: 'u-1', name: '赵六' } });
    // when
    const first = await decide(d);
    const again = await decide(d);
    expect(again).toEqual(first);
    expect(first).toHaveLength(2);
    await t.app.get(NoticeSealer).sealDue();
    // then one document of each kind, sealed by the market bureau, numbered as approval numbered the decision
    const notices = await noticesOf(app.caseNumber);
    expect(notices.map((n) => [n.kind, n.status])).toEqual([
      ['approval-decision', 'sealed'],
      ['licence', 'sealed'],
    ]);
    const [decisionDoc, licenceDoc] = notices;
    expect(decisionDoc.document_number).toBe(d.documentNumber);
    expect(licenceDoc.document_number).toBe(`LIC-${app.caseNumber}`);
    expect(licenceDoc.data).toMatchObject({ licenceType: '食品经营许可证', scope: '热食类食品制售', validFrom: '2026-12-03', validTo: '2031-12-03' });
    for (const n of notices) {
      const pdf = await pdfOf(n.id, tokens[USERS.zhangsan]);
      const tampered = Buffer.from(pdf);
      const at = tampered.indexOf('stream') + 200;
      tampered[at] = tampered[at] ^ 0xff;
      const genuine = await http<{ intact: boolean; signatureValid: boolean }>(`${STACK.identity}/verify/documents`, { body: { documentCode: n.verification_code, sha256: sha256(pdf) } });
      const forged = await http<{ intact: boolean }>(`${STACK.identity}/verify/documents`, { body: { documentCode: n.verification_code, sha256: sha256(tampered) } });
      expect(genuine.body).toMatchObject({ intact: true, signatureValid: true });
      expect(forged.body).toMatchObject({ intact: false });
    }
    // and the licence is in the store, announced once
    const licences = await t.ownerQuery<{ licence_number: string; holder_id: string; valid_to: string }>(`SELECT licence_number, holder_id, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM licences WHERE case_number = $1`, [app.caseNumber]);
    expect(licences).toEqual([{ licence_number: `LIC-${app.caseNumber}`, holder_id: APPLICANT_IDS.zhangsan, valid_to: '2031-12-03' }]);
    const issued = (await t.ownerQuery<{ payload: { data: unknown } }>(`SELECT payload FROM outbox WHERE type = 'gov.intake.licence.issued' AND key = $1`, [app.caseNumber])).map((r) => LicenceIssued.parse(r.payload.data));
    expect(issued).toHaveLength(1);
    // and the applicant is told once, with the decision document and where to get it
    const told = await t.ownerQuery<{ body: string; notice_id: string }>(`SELECT body, notice_id FROM notifications WHERE dedupe_key = $1`, [`decision:${app.caseNumber}`]);
    expect(told).toHaveLength(1);
    expect(told[0].notice_id).toBe(decisionDoc.id);
    expect(told[0].body).toContain(`决定书文号${d.documentNumber}`);
    expect(told[0].body).toContain(`/notices/${decisionDoc.id}/pdf`);
    expect(told[0].body).toContain(`证照编号LIC-${app.caseNumber}`);
  });

  it('issues the 不予许可决定书 with the reasons and the rights to reconsideration (60 days) and litigation (6 months); approval\'s reasons when given, a stated default otherwise', async () => {
    // given two refused cases, one with reasons, one without (approval does not fill them yet)
    const withReasons = await submit(USERS.zhangsan);
    const without = await submit(USERS.zhangsan);
    await decide(decision(withReasons.caseNumber, { decision: 'rejected', reasons: ['经营场所与申请材料所述布局不符。'], legalBasis: '《食品经营许可和备案管理办法》第十二条' }));
    await decide(decision(without.caseNumber, { decision: 'rejected' }));
    await t.app.get(NoticeSealer).sealDue();
    // when
    const [refused] = await noticesOf(withReasons.caseNumber);
    const [defaulted] = await noticesOf(without.caseNumber);
    // then both are sealed, carry the bureau's review body and court, and print the remedies
    for (const n of [refused, defaulted]) {
      expect(n).toMatchObject({ kind: 'refusal-decision', status: 'sealed' });
      expect(n.data).toMatchObject({ reviewBody: '示范市人民政府', court: '示范市中级人民法院' });
      const text = layoutNotice({ kind: 'refusal-decision', data: n.data } as unknown as AnyNoticeData, { documentNumber: n.document_number, departmentName: '示范市市场监督管理局', issuedAt: new Date() })
        .blocks.map((b) => ('text' in b ? b.text : ''))
        .join('\n');
      expect(text).toContain('六十日内向示范市人民政府申请行政复议');
      expect(text).toContain('六个月内依法向示范市中级人民法院提起行政诉讼');
      expect(text).toContain('决定不予行政许可');
    }
    expect(refused.data['reasons']).toEqual(['经营场所与申请材料所述布局不符。']);
    expect((defaulted.data['reasons'] as string[])[0]).toContain('不符合法定条件、标准');
    expect(await t.ownerQuery(`SELECT 1 FROM licences WHERE case_number = ANY($1)`, [[withReasons.caseNumber, without.caseNumber]])).toEqual([]);
  });

  it('serves licences to their holder only, and to officers of any department (the sharing store), with status and verification', async () => {
    // given zhangsan's licence
    const app = await submit(USERS.zhangsan);
    await decide(decision(app.caseNumber));
    await t.app.get(NoticeSealer).sealDue();
    const number = `LIC-${app.caseNumber}`;
    // when
    const own = await http<LicenceView[]>(`${t.url}/licences`, { token: tokens[USERS.zhangsan] });
    const one = await http<LicenceView>(`${t.url}/licences/${number}`, { token: tokens[USERS.zhangsan] });
    const foreign = await http<Refusal>(`${t.url}/licences?holderId=${APPLICANT_IDS.zhangsan}`, { token: tokens[USERS.lisi] });
    const foreignOne = await http<Refusal>(`${t.url}/licences/${number}`, { token: tokens[USERS.lisi] });
    const officer = await http<LicenceView[]>(`${t.url}/licences?holderId=${APPLICANT_IDS.zhangsan}`, { token: tokens[USERS.otherClerk] });
    const officerNoHolder = await http<Refusal>(`${t.url}/licences`, { token: tokens[USERS.otherClerk] });
    const badNumber = await http<Refusal>(`${t.url}/licences/not-a-licence`, { token: tokens[USERS.zhangsan] });
    const anonymous = await http<Refusal>(`${t.url}/licences/${number}`);
    // then
    expect(own.status).toBe(200);
    expect(own.body.map((l) => l.licenceNumber)).toContain(number);
    expect(one.body).toMatchObject({ licenceNumber: number, licenceType: '食品经营许可证', status: 'valid', holder: { id: APPLICANT_IDS.zhangsan }, document: { sealed: true } });
    const verified = await http<{ sha256: string }>(`${STACK.identity}/verify/documents/${encodeURIComponent(one.body.document.verificationCode)}`);
    expect(verified.body.sha256).toBe(one.body.document.sha256);
    expect([foreign.status, foreign.body.error]).toEqual([403, 'NotOwnApplication']);
    expect([foreignOne.status, foreignOne.body.error]).toEqual([403, 'NotOwnApplication']);
    expect(officer.status).toBe(200);
    expect(officer.body.map((l) => l.licenceNumber)).toContain(number);
    // the officer's read is audited (a personal-data read for the sharing purpose), the applicant's own is not
    const audited = await eventually('the officer read audited', async () => {
      const rows = await t.ownerQuery<{ payload: { data: { action: string; category: string; details: { records: number } } } }>(`SELECT payload FROM outbox WHERE type = 'gov.platform.security.recorded'`);
      const reads = rows.map((r) => r.payload.data).filter((e) => e.action === 'licences.list');
      return reads.length > 0 ? reads : undefined;
    });
    expect(audited).toEqual([expect.objectContaining({ category: 'personal-data-export', details: expect.objectContaining({ records: officer.body.length }) })]);
    expect([officerNoHolder.status, officerNoHolder.body.error]).toEqual([400, 'ValidationFailed']);
    expect([badNumber.status, badNumber.body.error]).toEqual([IntakeErrors.status('InvalidLicenceNumber'), 'InvalidLicenceNumber']);
    expect(anonymous.status).toBe(401);
  });

  it('takes a material slot from a valid licence of the applicant\'s own instead of an upload, listed as received on the acceptance notice, and refuses an expired, revoked, unknown, foreign or wrong-slot one', async () => {
    // given licences of 营业执照 for zhangsan (one valid, one expired) and for lisi
    const issue = async (as: string, applicantId: string, name: string) => {
      const a = await submit(as, applicationBody({ matterCode: BUSINESS_LICENCE_MATTER, applicant: { kind: 'person', id: applicantId, name } }));
      await decide(decision(a.caseNumber));
      return `LIC-${a.caseNumber}`;
    };
    const valid = await issue(USERS.zhangsan, APPLICANT_IDS.zhangsan, '张三');
    const expired = await issue(USERS.zhangsan, APPLICANT_IDS.zhangsan, '张三');
    const foreign = await issue(USERS.lisi, APPLICANT_IDS.lisi, '李四');
    const revoked = await issue(USERS.zhangsan, APPLICANT_IDS.zhangsan, '张三');
    await t.app.get(NoticeSealer).sealDue();
    // (time passed for one of them: its validity ended yesterday; another was revoked)
    await t.ownerQuery(`UPDATE licences SET valid_from = current_date - 3650, valid_to = current_date - 1 WHERE licence_number = $1`, [expired]);
    await t.ownerQuery(`UPDATE licences SET revoked_at = now(), revocation_reason = '以欺骗手段取得' WHERE licence_number = $1`, [revoked]);
    const app = await submit(USERS.zhangsan);
    const use = (licenceNumber: string, slot = 'businessLicence', as: string = USERS.zhangsan) =>
      http<Refusal & { slots: Array<{ key: string; licenceNumber: string | null }>; missingRequired: string[] }>(`${t.url}/applications/${app.caseNumber}/materials/${slot}/licence`, { method: 'PUT', token: tokens[as], body: { licenceNumber } });
    const before = await http<{ missingRequired: string[] }>(`${t.url}/applications/${app.caseNumber}/materials`, { token: tokens[USERS.zhangsan] });
    // when
    const refusedExpired = await use(expired);
    const refusedRevoked = await use(revoked);
    const refusedUnknown = await use('LIC-449900-20260101-999999');
    const refusedForeign = await use(foreign);
    const refusedSlot = await use(valid, 'legalRepId');
    const unknownSlot = await use(valid, 'noSuchSlot');
    const refusedOther = await use(valid, 'businessLicence', USERS.lisi);
    const used = await use(valid);
    // then
    expect(before.body.missingRequired).toContain('businessLicence');
    expect([refusedExpired.status, refusedExpired.body.error]).toEqual([422, 'LicenceNotUsable']);
    expect(refusedExpired.body.message).toContain('expired');
    expect([refusedRevoked.status, refusedRevoked.body.error]).toEqual([422, 'LicenceNotUsable']);
    expect(refusedRevoked.body.message).toContain('revoked');
    expect([refusedUnknown.status, refusedUnknown.body.error]).toEqual([404, 'LicenceNotFound']);
    expect([refusedForeign.status, refusedForeign.body.error]).toEqual([422, 'LicenceOfAnotherHolder']);
    expect([refusedSlot.status, refusedSlot.body.error]).toEqual([422, 'LicenceNotAccepted']);
    expect([unknownSlot.status, unknownSlot.body.error]).toEqual([404, 'MaterialSlotNotFound']);
    expect([refusedOther.status, refusedOther.body.error]).toEqual([403, 'NotOwnApplication']);
    expect(used.status).toBe(200);
    expect(used.body.slots.find((s) => s.key === 'businessLicence')?.licenceNumber).toBe(valid);
    expect(used.body.missingRequired).not.toContain('businessLicence');
    // and the refusals changed nothing: only the valid licence is referenced
    expect(await t.ownerQuery(`SELECT licence_number FROM material_licence_refs WHERE application_id = $1`, [app.applicationId])).toEqual([{ licence_number: valid }]);
    // and the acceptance notice's 收件清单 lists the licence as received; after acceptance the slot is frozen
    const accepted = await http(`${t.url}/applications/${app.applicationId}/accept`, { token: tokens[USERS.clerk], body: {} });
    expect(accepted.status).toBe(200);
    const [notice] = await t.ownerQuery<{ data: { materials: Array<{ name: string; fileName?: string; status: string }> } }>(`SELECT data FROM notices WHERE application_id = $1 AND kind = 'acceptance'`, [app.applicationId]);
    expect(notice.data.materials).toContainEqual(expect.objectContaining({ name: '营业执照', fileName: `电子证照 ${valid}`, status: 'received' }));
    const afterAcceptance = await use(valid);
    expect([afterAcceptance.status, afterAcceptance.body.error]).toEqual([409, 'MaterialsFrozen']);
  });

  it('publishes decided cases on the public feed, newest first, with ID numbers masked, and announces each once (art. 21)', async () => {
    // given an approved and a refused case
    const approved = await submit(USERS.zhangsan);
    const refused = await submit(USERS.zhangsan);
    await decide(decision(approved.caseNumber));
    await decide(decision(refused.caseNumber, { decision: 'rejected', reasons: ['不符合条件。'] }));
    await decide(decision(refused.caseNumber, { decision: 'rejected', reasons: ['不符合条件。'] }));
    // when
    const feed = await http<{ items: FeedItem[]; total: number }>(`${t.url}/publicity?limit=100`);
    const bad = await http<Refusal>(`${t.url}/publicity?limit=0`);
    // then both are there (published with the decision: no delay configured), the newest first, no ID number
    expect(feed.status).toBe(200);
    const mine = feed.body.items.filter((i) => [approved.caseNumber, refused.caseNumber].includes(i.caseNumber));
    expect(mine.map((i) => [i.caseNumber, i.publicityCase, i.decision])).toEqual([
      [refused.caseNumber, 'refused', 'rejected'],
      [approved.caseNumber, 'licence-issued', 'approved'],
    ]);
    for (const i of mine) expect(i).toMatchObject({ applicantName: '张*', applicantId: '4499**********0015' });
    expect(JSON.stringify(feed.body)).not.toContain(APPLICANT_IDS.zhangsan);
    expect(bad.status).toBe(400);
    const events = (await t.ownerQuery<{ payload: { data: unknown } }>(`SELECT payload FROM outbox WHERE type = 'gov.intake.publicity.published' AND key = ANY($1)`, [[approved.caseNumber, refused.caseNumber]])).map((r) => PublicityPublished.parse(r.payload.data));
    expect(events.map((e) => e.caseNumber).sort()).toEqual([approved.caseNumber, refused.caseNumber].sort());
    for (const e of events) expect(new Date(e.publishedAt).getTime()).toBeLessThanOrEqual(new Date(e.dueBy).getTime());
  });

  it('counts a 上报件 from the higher authority\'s approval (art. 21 (三))', async () => {
    // given a case the higher authority approved a day after the department decided
    const app = await submit(USERS.zhangsan);
    const decidedAt = new Date(Date.now() - 2 * 24 * 3600_000);
    const higherApprovalAt = new Date(decidedAt.getTime() + 24 * 3600_000);
    // when
    await decide(decision(app.caseNumber, { decidedAt: decidedAt.toISOString(), higherApprovalAt: higherApprovalAt.toISOString() }));
    // then
    const [event] = (await t.ownerQuery<{ payload: { data: unknown } }>(`SELECT payload FROM outbox WHERE type = 'gov.intake.publicity.published' AND key = $1`, [app.caseNumber])).map((r) => PublicityPublished.parse(r.payload.data));
    expect(event).toMatchObject({ publicityCase: 'higher-approved', countsFrom: higherApprovalAt.toISOString(), dueBy: new Date(higherApprovalAt.getTime() + 5 * 24 * 3600_000).toISOString() });
  });

  it('publishes after the configured delay, never later than 5 days after the decision (art. 21 (二))', async () => {
    // given an intake configured to publish a day after an approval
    const delayed = await startTestIntake({ NOTICE_SEAL_RETRY_INTERVAL_MS: '0', NOTIFY_DISPATCH_INTERVAL_MS: '0', PUBLICITY_INTERVAL_MS: '0', PUBLICITY_DELAY_MINUTES: String(24 * 60) });
    try {
      const res = await http<{ caseNumber: string }>(`${delayed.url}/applications`, { token: tokens[USERS.zhangsan], body: applicationBody() });
      const decidedAt = new Date();
      await delayed.app.get(DataSource).transaction((m) => delayed.app.get(DecisionDocuments).handle(decision(res.body.caseNumber, { decidedAt: decidedAt.toISOString() }), m));
      const publisher = delayed.app.get(PublicityService);
      // when the publisher runs now, and a day later
      const now = await publisher.publishDue(new Date());
      const before = await http<{ items: FeedItem[] }>(`${delayed.url}/publicity`);
      const later = await publisher.publishDue(new Date(decidedAt.getTime() + 24 * 3600_000 + 1000));
      const after = await http<{ items: FeedItem[] }>(`${delayed.url}/publicity`);
      // then
      expect([now, later]).toEqual([0, 1]);
      expect(before.body.items.map((i) => i.caseNumber)).not.toContain(res.body.caseNumber);
      expect(after.body.items.map((i) => i.caseNumber)).toContain(res.body.caseNumber);
      const [row] = await delayed.ownerQuery<{ due_by: Date; publish_at: Date }>(`SELECT due_by, publish_at FROM publicity_entries WHERE case_number = $1`, [res.body.caseNumber]);
      expect(row.due_by.getTime() - decidedAt.getTime()).toBe(5 * 24 * 3600_000);
    } finally {
      await delayed.close();
    }
  });

  it('issues the documents when approval\'s decision arrives over the real Kafka topic (inbox consumer)', async () => {
    // given an intake consuming approval.case.v1 under its own consumer group
    const consuming = await startTestIntake({ INTAKE_CONSUMERS: 'true', NOTICE_SEAL_RETRY_INTERVAL_MS: '0', NOTIFY_DISPATCH_INTERVAL_MS: '0', PUBLICITY_INTERVAL_MS: '0' });
    const producer = kafka().producer();
    await producer.connect();
    try {
      const res = await http<{ caseNumber: string }>(`${consuming.url}/applications`, { token: tokens[USERS.zhangsan], body: applicationBody() });
      const event = makeEvent({ type: 'gov.approval.case.decided', source: '/approval', subject: res.body.caseNumber, data: decision(res.body.caseNumber) });
      // when it is published (again on each probe while the group joins; the inbox makes a redelivery a no-op)
      const rows = await eventually(
        'the decision documents recorded',
        async () => {
          await producer.send({ topic: TOPICS.approvalCase.name, messages: [{ key: res.body.caseNumber, value: JSON.stringify(event) }] });
          const r = await consuming.ownerQuery<{ kind: string }>(`SELECT kind FROM notices WHERE case_number = $1 AND kind IN ('approval-decision','licence') ORDER BY kind`, [res.body.caseNumber]);
          return r.length === 2 ? r : undefined;
        },
        60_000,
        1000,
      );
      // then recorded, and sealed right after the inbox commit (this intake's sealer does not run)
      expect(rows.map((r) => r.kind)).toEqual(['approval-decision', 'licence']);
      await eventually('the documents sealed after the commit', async () => {
        const r = await consuming.ownerQuery<{ status: string }>(`SELECT status FROM notices WHERE case_number = $1 AND kind IN ('approval-decision','licence')`, [res.body.caseNumber]);
        return r.length === 2 && r.every((n) => n.status === 'sealed');
      });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await consuming.ownerQuery(`SELECT 1 FROM publicity_entries WHERE case_number = $1`, [res.body.caseNumber])).toHaveLength(1);
    } finally {
      await producer.disconnect();
      await consuming.close();
    }
  });

  it('does nothing for a case this intake does not know (another intake\'s)', async () => {
    expect(await decide(decision('990000-20261203-000001'))).toBeNull();
    expect(await t.ownerQuery(`SELECT 1 FROM publicity_entries WHERE case_number = '990000-20261203-000001'`)).toEqual([]);
  });
});

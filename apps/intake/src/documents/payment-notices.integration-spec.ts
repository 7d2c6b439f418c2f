import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PaymentRequestedData, makeEvent } from '@gov/contracts';
import { InboxContext } from '@gov/messaging';
import { DataSource } from 'typeorm';
import type { AnyNoticeData } from '../notices/notice-kinds';
import { layoutNotice } from '../notices/notice-layout';
import { NoticeSealer } from '../notices/notice-sealer';
import { PROGRESS_CONSUMER, ProgressConsumer } from '../progress/progress.consumer';
import { type TestIntake, USERS, applicationBody, http, startTestIntake, tokenOf } from '../testing/test-app';
import { DecisionDocuments, FLOW_REFUSAL_REASONS } from './decision-documents';
import { PaymentNotices } from './payment-notices';

// The 缴费通知书 (seed 001 text 3 art. 19 (二): "系统自动生成相关缴费通知书 … 通知申请人在规定期限内缴费") and the
// 不予许可决定书 for an unpaid fee (art. 20), on a throwaway intake with the running identity (seals).

const MARKET_DEPT = '11449900000000011B';

describe('the payment notice and the refusal for an unpaid fee (seed 001 text 3 art. 19-20)', () => {
  let t: TestIntake;
  let mailDrop: string;
  let zhangsan: string;

  const submit = async () => {
    const res = await http<{ applicationId: string; caseNumber: string }>(`${t.url}/applications`, { token: zhangsan, body: applicationBody() });
    expect(res.status).toBe(201);
    return res.body;
  };
  const requested = (caseNumber: string, departmentCode: string): PaymentRequestedData => ({
    caseNumber,
    processInstanceId: `pi-${caseNumber}`,
    matterCode: 'DEMO-SCJG-001',
    departmentCode,
    items: [
      { code: 'F1', name: '食品经营许可证工本费', amountFen: 5000, catalogueAmountFen: 5000, basis: '示范省行政事业性收费标准', payment: '政务服务窗口缴纳' },
      { code: 'F2', name: '现场核查检测费', amountFen: 12050, catalogueAmountFen: null, basis: '示范省行政事业性收费标准', payment: '政务服务窗口缴纳' },
    ],
    totalFen: 17050,
    period: 'P15D',
    deadline: '2026-12-18T07:30:00.000Z',
    requestedAt: '2026-12-03T07:30:00.000Z',
  });
  const textOf = (kind: AnyNoticeData['kind'], n: { data: Record<string, unknown>; document_number: string }) =>
    layoutNotice({ kind, data: n.data } as unknown as AnyNoticeData, { documentNumber: n.document_number, departmentName: '示范市市场监督管理局', issuedAt: new Date() })
      .blocks.map((b) => ('text' in b ? b.text : 'rows' in b ? b.rows.map((r) => r.join(' ')).join('\n') : ''))
      .join('\n');

  beforeAll(async () => {
    mailDrop = mkdtempSync(join(tmpdir(), 'mail-drop-'));
    t = await startTestIntake({ NOTIFY_MAIL_DROP_DIR: mailDrop, NOTIFY_DISPATCH_INTERVAL_MS: '0', NOTICE_SEAL_RETRY_INTERVAL_MS: '0', PUBLICITY_INTERVAL_MS: '0' });
    zhangsan = await tokenOf(USERS.zhangsan);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(mailDrop, { recursive: true, force: true });
  });

  it('issues one sealed 缴费通知书 with items, basis, how to pay, deadline and consequence, notifies the applicant and lists it in the progress', async () => {
    // given approval's payment request for the applicant's case, delivered twice
    const app = await submit();
    const [row] = await t.ownerQuery<{ department_code: string }>('SELECT department_code FROM applications WHERE case_number = $1', [app.caseNumber]);
    const data = requested(app.caseNumber, row?.department_code ?? MARKET_DEPT);
    const ds = t.app.get(DataSource);
    const notices = t.app.get(PaymentNotices);
    // when
    const first = await ds.transaction((m) => notices.handle(data, m));
    const again = await ds.transaction((m) => notices.handle(data, m));
    await t.app.get(NoticeSealer).sealDue();
    const event = makeEvent({ type: 'gov.approval.fee.payment-requested', source: '/approval', subject: app.caseNumber, data });
    await ds.transaction((m) => t.app.get(ProgressConsumer).paymentRequested(event, new InboxContext(m, PROGRESS_CONSUMER, () => undefined)));
    // then one notice, sealed, with what art. 19 (二) and 20 ask the applicant to know
    expect(again).toBe(first);
    const issued = await t.ownerQuery<{ id: string; status: string; data: Record<string, unknown>; document_number: string }>(`SELECT id, status, data, document_number FROM notices WHERE case_number = $1 AND kind = 'payment-notice'`, [app.caseNumber]);
    expect(issued.map((n) => [n.id, n.status])).toEqual([[first, 'sealed']]);
    expect(issued[0].document_number).toBe(`缴字〔2026〕${app.caseNumber}号`);
    const text = textOf('payment-notice', issued[0]);
    for (const part of ['缴费通知书', '食品经营许可证工本费', '50.00元', '120.50元', '170.50元', '示范省行政事业性收费标准', '政务服务窗口缴纳', '2026年12月18日15:30', '逾期未缴纳的，本机关将依法作出不予行政许可的决定']) {
      expect(text).toContain(part);
    }
    // and the applicant is told, with the amount and the deadline
    const told = await t.ownerQuery<{ body: string; reason: string }>(`SELECT body, reason FROM notifications WHERE notice_id = $1 AND channel = 'mail-drop'`, [first]);
    expect(told).toHaveLength(1);
    expect(told[0].reason).toBe('payment-notice');
    expect(told[0].body).toContain('需缴纳费用170.50元，请于2026年12月18日前缴纳');
    // and the progress lists the notice among the case's documents
    const progress = await http<{ documents: Array<{ kind: string; documentNumber: string | null }> }>(`${t.url}/applications/${app.applicationId}/progress`, { token: zhangsan });
    expect(progress.status).toBe(200);
    expect(progress.body.documents).toEqual(expect.arrayContaining([{ kind: '缴费通知书', documentNumber: `缴字〔2026〕${app.caseNumber}号`, issuedAt: data.requestedAt }]));
  });

  it('gives the unpaid fee as the reason of the 不予许可决定书 when the flow refused for it', async () => {
    // given a case the payment deadline's timer refused (approval carries the flow's refusalReason)
    const app = await submit();
    const ds = t.app.get(DataSource);
    // when
    await ds.transaction((m) =>
      t.app.get(DecisionDocuments).handle({ caseNumber: app.caseNumber, processInstanceId: `pi-${app.caseNumber}`, decision: 'rejected', documentNumber: `449900-TEST-不许〔2026〕900001-${app.caseNumber}号`, decidedAt: new Date().toISOString(), refusalReason: 'fee-unpaid' }, m),
    );
    await t.app.get(NoticeSealer).sealDue();
    // then
    const [refusal] = await t.ownerQuery<{ status: string; data: Record<string, unknown>; document_number: string }>(`SELECT status, data, document_number FROM notices WHERE case_number = $1 AND kind = 'refusal-decision'`, [app.caseNumber]);
    expect(refusal?.status).toBe('sealed');
    expect(refusal?.data.reasons).toEqual([FLOW_REFUSAL_REASONS['fee-unpaid']]);
    expect(textOf('refusal-decision', refusal)).toContain('未在缴费通知书规定的期限内缴纳依法应当缴纳的费用');
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { fixtures } from '@gov/storage/testing';
import { PDFDocument } from 'pdf-lib';
import { STACK, eventually } from '@gov/testing';
import { DEMO_MATTER, type Refusal, type TestIntake, USERS, applicationBody, http, startTestIntake, tokenOf } from '../testing/test-app';

// Every step of the acceptance regime gives its notice (seed 001 text 3 art. 10: 受理通知书 / 一次性告知补正材料通知书;
// text 10: "当场或者在5个工作日内书面一次性告知申请人需要补正的全部内容"), sealed by the department at identity and
// answered by identity's public document verification under the code printed on it.

interface Notice {
  id: string;
  kind: string;
  caseNumber: string;
  documentNumber: string;
  verificationCode: string;
  status: 'sealing' | 'sealed';
  sha256: string | null;
  seal: { orgCode: string } | null;
}
interface Transition {
  applicationId: string;
  caseNumber: string;
  status: string;
  notice: Record<string, unknown> & { kind: string | null; noticeId?: string };
}
interface Verification {
  documentCode: string;
  sha256: string;
  signatureValid: boolean;
  sealedBy: { orgCode: string };
}

const MARKET_BUREAU = '114499000000000119';
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('the notices of the acceptance regime (real identity, PostgreSQL)', () => {
  let t: TestIntake;
  const tokens: Record<string, string> = {};

  const act = (as: string, app: { applicationId: string }, step: string, body: unknown) =>
    http<Transition & Refusal>(`${t.url}/applications/${app.applicationId}/${step}`, { token: tokens[as], body, headers: { 'idempotency-key': randomUUID() } });
  const notice = async (id: string) => (await http<Notice & Refusal>(`${t.url}/notices/${id}`, { token: tokens[USERS.zhangsan] })).body;
  const pdfOf = async (id: string) => {
    const res = await fetch(`${t.url}/notices/${id}/pdf`, { headers: { authorization: `Bearer ${tokens[USERS.zhangsan]}` } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  const noticeRows = (applicationId: string) =>
    t.ownerQuery<{ id: string; kind: string; data: Record<string, unknown> }>(
      'SELECT id, kind, data FROM notices WHERE application_id = $1 ORDER BY issued_at, document_number',
      [applicationId],
    );

  beforeAll(async () => {
    t = await startTestIntake({ NOTIFY_DISPATCH_INTERVAL_MS: '0', NOTICE_SEAL_RETRY_INTERVAL_MS: '0' });
    for (const user of [USERS.zhangsan, USERS.clerk]) tokens[user] = await tokenOf(user);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives receive → correction → correction → accept its receipt, two correction notices (rounds 1 and 2) and the acceptance notice, each sealed and verified at identity', async () => {
    // given an application received online, with a file uploaded before the window decides
    const received = await http<{ applicationId: string; caseNumber: string; receipt: { noticeId?: string } } & Refusal>(`${t.url}/applications`, {
      token: tokens[USERS.zhangsan],
      body: applicationBody({ materials: ['businessLicence', 'legalRepId'] }),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(received.status).toBe(201);
    const app = received.body;
    const uploaded = await http<Refusal>(`${t.url}/applications/${app.caseNumber}/materials/businessLicence`, {
      token: tokens[USERS.zhangsan],
      rawBody: fixtures.pdf('营业执照'),
      headers: { 'content-type': 'application/pdf', 'idempotency-key': randomUUID() },
    });
    expect(uploaded.status).toBe(201);
    // when
    const first = await act(USERS.clerk, app, 'correction-request', { items: [{ material: 'premisesPlan', problem: '缺少经营场所平面布局图' }] });
    const corrected = await act(USERS.zhangsan, app, 'correction', { materials: ['premisesPlan'] });
    const second = await act(USERS.clerk, app, 'correction-request', {
      items: [{ material: 'safetyRules', problem: '食品安全管理制度未签章' }, { problem: '经营范围填写不规范' }],
    });
    const again = await act(USERS.zhangsan, app, 'correction', { materials: ['safetyRules'] });
    const accepted = await act(USERS.clerk, app, 'accept', { note: '材料齐全' });
    // then every transition succeeded and names its notice
    expect([first.status, corrected.status, second.status, again.status, accepted.status]).toEqual([200, 200, 200, 200, 200]);
    expect(accepted.body.status).toBe('accepted');
    const ids = [app.receipt.noticeId, first.body.notice.noticeId, second.body.notice.noticeId, accepted.body.notice.noticeId];
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(4);
    expect(corrected.body.notice.noticeId).toBeUndefined();
    // the notices recorded, in order, with the data the transitions built
    const rows = await noticeRows(app.applicationId);
    expect(rows.map((r) => r.kind)).toEqual(['receipt', 'correction', 'correction', 'acceptance']);
    expect(rows.map((r) => r.id)).toEqual(ids);
    // (the receipt is given on submission, before any file arrived: the declared slots are marked not received)
    expect(rows[0].data).toMatchObject({
      caseNumber: app.caseNumber,
      officer: '网上办事大厅（自动接件）',
      materials: [
        { name: '营业执照', status: 'not-received', copies: 0 },
        { name: '法定代表人（负责人）身份证明', status: 'not-received', copies: 0 },
      ],
    });
    expect(rows[1].data).toMatchObject({ round: 1, items: [{ material: '经营场所平面布局图', problem: '缺少经营场所平面布局图' }] });
    expect(rows[2].data).toMatchObject({
      round: 2,
      items: [{ material: '食品安全管理制度' }, { material: '申请书及其他材料', problem: '经营范围填写不规范' }],
    });
    // the acceptance notice's 收件清单 lists the file uploaded (materials' receipt), and the declared slots without one as not received
    expect(rows[3].data).toMatchObject({
      deemed: false,
      materials: [
        { name: '营业执照', fileName: 'businessLicence', status: 'received', copies: 1 },
        { name: '法定代表人（负责人）身份证明', status: 'not-received' },
        { name: '经营场所平面布局图', status: 'not-received' },
        { name: '食品安全管理制度', status: 'not-received' },
      ],
      promisedWorkingDays: expect.any(Number),
    });
    // each sealed by the market bureau and answered by identity's verification with the hash of its PDF
    for (const id of ids as string[]) {
      const n = await eventually(`notice ${id} sealed`, async () => {
        const got = await notice(id);
        return got.status === 'sealed' ? got : null;
      });
      expect(n.seal?.orgCode).toBe(MARKET_BUREAU);
      const pdf = await pdfOf(id);
      expect(sha256(pdf)).toBe(n.sha256);
      const verified = await http<Verification>(`${STACK.identity}/verify/documents`, { body: { documentCode: n.verificationCode, sha256: sha256(pdf) } });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({
        documentCode: n.verificationCode,
        sha256: sha256(pdf),
        signatureValid: true,
        sealedBy: { orgCode: MARKET_BUREAU },
      });
    }
    const numbers = await Promise.all((ids as string[]).map(async (id) => (await notice(id)).documentNumber));
    expect(numbers[1]).toMatch(new RegExp(`^补字〔\\d{4}〕${app.caseNumber}号$`));
    expect(numbers[2]).toMatch(new RegExp(`^补字〔\\d{4}〕${app.caseNumber}-2号$`));
  });

  it('lists in the 收件清单 each file received with its slot and file name, and the declared slots with no file as not received', async () => {
    // given an application declaring three materials, two files uploaded for one slot, one for another, none for the third
    const received = await http<{ applicationId: string; caseNumber: string } & Refusal>(`${t.url}/applications`, {
      token: tokens[USERS.zhangsan],
      body: applicationBody({ materials: ['businessLicence', 'legalRepId', 'premisesPlan'] }),
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(received.status).toBe(201);
    const app = received.body;
    const twoPages = await PDFDocument.create();
    twoPages.addPage();
    twoPages.addPage();
    twoPages.setTitle(`设备布局图 ${randomUUID()}`);
    const put = (slot: string, fileName: string, body: Buffer) =>
      http<Refusal>(`${t.url}/applications/${app.caseNumber}/materials/${slot}?fileName=${encodeURIComponent(fileName)}`, {
        token: tokens[USERS.zhangsan],
        rawBody: body,
        headers: { 'content-type': 'application/pdf', 'idempotency-key': randomUUID() },
      });
    // the premises plan may be an OFD too (GB/T 33190: OFD.xml → Doc_0/Document.xml → one page)
    await t.ownerQuery(
      `UPDATE matter_versions SET elements = jsonb_set(elements, '{materials}', (SELECT jsonb_agg(CASE WHEN m->>'key' = 'premisesPlan' THEN m || '{"contentTypes": ["application/pdf", "application/ofd"]}'::jsonb ELSE m END) FROM jsonb_array_elements(elements->'materials') m)) WHERE code = $1`,
      [DEMO_MATTER],
    );
    for (const [slot, name, body] of [
      ['premisesPlan', '平面布局图.ofd', fixtures.ofd()],
      ['businessLicence', '营业执照副本.pdf', fixtures.pdf('licence')],
      ['premisesPlan', '设备布局图.pdf', Buffer.from(await twoPages.save())],
    ] as const) {
      expect((await put(slot, name, body)).status).toBe(201);
    }
    // when the window accepts it
    const accepted = await act(USERS.clerk, app, 'accept', {});
    // then the acceptance notice lists the three files (in the matter's slot order, each under its slot's name) and the
    // declared slot without a file, marked as such
    expect(accepted.status).toBe(200);
    const acceptance = (await noticeRows(app.applicationId)).find((r) => r.kind === 'acceptance');
    expect(acceptance?.data.materials).toEqual([
      { name: '营业执照', fileName: '营业执照副本.pdf', form: 'copy', copies: 1, pages: 1, status: 'received' },
      { name: '经营场所平面布局图', fileName: '平面布局图.ofd', form: 'original', copies: 1, pages: 1, status: 'received' },
      { name: '经营场所平面布局图', fileName: '设备布局图.pdf', form: 'original', copies: 1, pages: 2, status: 'received' },
      { name: '法定代表人（负责人）身份证明', form: 'copy', copies: 0, status: 'not-received' },
    ]);
    // (the page count is the materials module's: a PDF's page tree, an OFD's Pages)
    const listed = await http<{ slots: Array<{ key: string; files: Array<{ fileName: string; pages: number | null }> }> }>(`${t.url}/applications/${app.caseNumber}/materials`, { token: tokens[USERS.clerk] });
    expect(listed.body.slots.find((s) => s.key === 'premisesPlan')?.files.map((f) => [f.fileName, f.pages])).toEqual([
      ['平面布局图.ofd', 1],
      ['设备布局图.pdf', 2],
    ]);
  });

  it('marks in the 容缺受理通知书 the materials owed under the commitment as deferred, beside the files received', async () => {
    // given an application with one file received
    const received = await http<{ applicationId: string; caseNumber: string } & Refusal>(`${t.url}/applications`, {
      token: tokens[USERS.zhangsan],
      body: applicationBody({ materials: ['businessLicence'] }),
      headers: { 'idempotency-key': randomUUID() },
    });
    const app = received.body;
    const uploaded = await http<Refusal>(`${t.url}/applications/${app.caseNumber}/materials/businessLicence?fileName=${encodeURIComponent('营业执照.pdf')}`, {
      token: tokens[USERS.zhangsan],
      rawBody: fixtures.pdf('licence for 容缺'),
      headers: { 'content-type': 'application/pdf', 'idempotency-key': randomUUID() },
    });
    expect(uploaded.status).toBe(201);
    // when the window accepts it with the food safety rules owed
    const within = new Date(Date.now() + 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const accepted = await act(USERS.clerk, app, 'accept-with-missing', { missing: ['safetyRules'], deadline: within, commitment: { signedBy: '张三', text: '本人承诺在规定期限内补齐所缺材料。' } });
    // then
    expect(accepted.status).toBe(200);
    const notice = (await noticeRows(app.applicationId)).find((r) => r.kind === 'acceptance-with-missing');
    expect(notice?.data.materials).toEqual([
      { name: '营业执照', fileName: '营业执照.pdf', form: 'copy', copies: 1, pages: 1, status: 'received' },
      { name: '食品安全管理制度', form: 'original', copies: 0, status: 'deferred' },
    ]);
  });

  it('gives a refusal notice naming the reason and the bureau’s review body and court', async () => {
    // given
    const received = await http<{ applicationId: string } & Refusal>(`${t.url}/applications`, {
      token: tokens[USERS.zhangsan],
      body: applicationBody(),
      headers: { 'idempotency-key': randomUUID() },
    });
    // when
    const refused = await act(USERS.clerk, received.body, 'refuse', { reason: '申请事项不属于本机关职责范围' });
    // then
    expect(refused.status).toBe(200);
    const rows = await noticeRows(received.body.applicationId);
    expect(rows.map((r) => r.kind)).toEqual(['receipt', 'refusal']);
    expect(rows[1].data).toMatchObject({ reasons: ['申请事项不属于本机关职责范围'], reviewBody: '示范市人民政府', court: '示范市中级人民法院' });
  });

  it('gives a withdrawal decision (准予撤回) when the window accepts the withdrawal', async () => {
    // given
    const received = await http<{ applicationId: string } & Refusal>(`${t.url}/applications`, {
      token: tokens[USERS.zhangsan],
      body: applicationBody(),
      headers: { 'idempotency-key': randomUUID() },
    });
    await act(USERS.clerk, received.body, 'accept', {});
    const asked = await act(USERS.zhangsan, received.body, 'withdrawal', { reason: '需更正申请内容' });
    // when
    const withdrawn = await act(USERS.clerk, received.body, 'withdrawal/accept', {});
    // then
    expect(asked.status).toBe(200);
    expect(withdrawn.status).toBe(200);
    const rows = await noticeRows(received.body.applicationId);
    expect(rows.map((r) => r.kind)).toEqual(['receipt', 'acceptance', 'withdrawal']);
    expect(rows[2].data).toMatchObject({ reason: '需更正申请内容', officer: expect.any(String) });
  });
});

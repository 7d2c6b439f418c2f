import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoticeIssued } from '@gov/contracts';
import { STACK, startTestService } from '@gov/testing';
import { PDFDocument } from 'pdf-lib';
import { IntakeModule } from '../app.module';
import { loadIntakeConfig } from '../config';
import { INTAKE_MIGRATIONS } from '../migrations';
import { type TestIntake, USERS, applicationBody, http, startTestIntake, tokenOf } from '../testing/test-app';
import { sampleNoticeData } from './notice-fixtures';
import { type IssuedNotice, NoticeIssuer } from './notice-issuer.service';
import type { NoticeKind } from './notice-kinds';
import { NoticeSealer } from './notice-sealer';

// The city market bureau's registration section handles the demo matter; the bureau (its department) seals notices.
const MARKET_BUREAU = { code: '114499000000000119', name: '示范市市场监督管理局' };

interface Verification {
  documentCode: string;
  sealedBy: { orgCode: string; orgName: string; sealSerial: string };
  sealedAt: string;
  sha256: string;
  signatureValid: boolean;
  certificateStatus: string;
  intact: boolean | null;
}

async function download(url: string, token?: string): Promise<{ status: number; bytes: Buffer; headers: Headers; json?: Record<string, unknown> }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>) : undefined;
  return { status: res.status, bytes, headers: res.headers, json };
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('notices: sealed PDFs verified through identity (real identity, PostgreSQL)', () => {
  let t: TestIntake;
  let mailDrop: string;
  const tokens: Record<string, string> = {};
  let application: { applicationId: string; caseNumber: string };
  let issuer: NoticeIssuer;
  let samples: ReturnType<typeof sampleNoticeData>;

  beforeAll(async () => {
    mailDrop = mkdtempSync(join(tmpdir(), 'mail-drop-'));
    t = await startTestIntake({ NOTIFY_MAIL_DROP_DIR: mailDrop, NOTIFY_DISPATCH_INTERVAL_MS: '0', NOTICE_SEAL_RETRY_INTERVAL_MS: '0' });
    for (const user of [USERS.zhangsan, USERS.lisi, USERS.clerk, USERS.otherClerk]) tokens[user] = await tokenOf(user);
    const res = await http<{ applicationId: string; caseNumber: string }>(`${t.url}/applications`, { token: tokens[USERS.zhangsan], body: applicationBody() });
    expect(res.status).toBe(201);
    application = res.body;
    issuer = t.app.get(NoticeIssuer);
    samples = sampleNoticeData(application);
  });
  afterAll(async () => {
    await t.close();
    rmSync(mailDrop, { recursive: true, force: true });
  });

  describe('an acceptance notice', () => {
    let notice: IssuedNotice;
    let pdf: Buffer;

    beforeAll(async () => {
      notice = await issuer.issue('acceptance', samples.acceptance);
      const res = await download(`${t.url}/notices/${notice.id}/pdf`, tokens[USERS.zhangsan]);
      expect(res.status).toBe(200);
      pdf = res.bytes;
    });

    it('is sealed by the department at identity and downloadable by the applicant as a PDF with the sealed hash', async () => {
      expect(notice).toMatchObject({ kind: 'acceptance', status: 'sealed', caseNumber: application.caseNumber, seal: { orgCode: MARKET_BUREAU.code, orgName: MARKET_BUREAU.name } });
      expect(notice.documentNumber).toBe(`受字〔2026〕${application.caseNumber}号`);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(sha256(pdf)).toBe(notice.sha256);
      const doc = await PDFDocument.load(pdf);
      expect(doc.getKeywords()).toBe(notice.verificationCode);
      expect(pdf.includes(Buffer.from('/FontFile2'))).toBe(true);
    });

    it("is answered by identity's public verification under the code printed on it (hash, seal, department, date)", async () => {
      // when
      const res = await http<Verification>(`${STACK.identity}/verify/documents/${encodeURIComponent(notice.verificationCode)}`);
      // then
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ documentCode: notice.verificationCode, sha256: sha256(pdf), signatureValid: true, certificateStatus: 'good', sealedBy: { orgCode: MARKET_BUREAU.code, orgName: MARKET_BUREAU.name } });
      expect(res.body.sealedAt).toBe(notice.seal?.sealedAt);
      expect(notice.verifyUrl).toBe(`${STACK.identity}/verify/documents/${notice.verificationCode}`);
    });

    it('is found intact by identity, and a tampered copy is refused', async () => {
      // given a copy with one byte of its content changed
      const tampered = Buffer.from(pdf);
      const at = tampered.indexOf('stream') + 200;
      tampered[at] = tampered[at] ^ 0xff;
      // when
      const genuine = await http<Verification>(`${STACK.identity}/verify/documents`, { body: { documentCode: notice.verificationCode, sha256: sha256(pdf) } });
      const forged = await http<Verification>(`${STACK.identity}/verify/documents`, { body: { documentCode: notice.verificationCode, sha256: sha256(tampered) } });
      const forgedByHash = await http(`${STACK.identity}/verify/documents?sha256=${sha256(tampered)}`);
      // then
      expect(genuine.body).toMatchObject({ intact: true, signatureValid: true });
      expect(forged.body).toMatchObject({ intact: false });
      expect(forgedByHash.status).toBe(404);
    });

    it('is issued once: issuing it again returns the same notice and no second event', async () => {
      // when
      const again = await issuer.issue('acceptance', samples.acceptance);
      // then
      expect(again).toEqual(notice);
      const rows = await t.ownerQuery(`SELECT id FROM notices WHERE application_id = $1 AND kind = 'acceptance'`, [application.applicationId]);
      const events = await t.ownerQuery<{ payload: { data: unknown } }>(`SELECT payload FROM outbox WHERE type = 'gov.intake.notice.issued' AND key = $1`, [application.caseNumber]);
      expect(rows).toHaveLength(1);
      expect(events.map((e) => NoticeIssued.parse(e.payload.data)).filter((e) => e.noticeId === notice.id)).toHaveLength(1);
    });

    it("is listed for the applicant and the organisation's clerk, and refused to others", async () => {
      // when
      const own = await download(`${t.url}/notices/${notice.id}/pdf`, tokens[USERS.zhangsan]);
      const clerk = await download(`${t.url}/notices/${notice.id}/pdf`, tokens[USERS.clerk]);
      const otherApplicant = await download(`${t.url}/notices/${notice.id}/pdf`, tokens[USERS.lisi]);
      const otherClerk = await download(`${t.url}/notices/${notice.id}/pdf`, tokens[USERS.otherClerk]);
      const anonymous = await download(`${t.url}/notices/${notice.id}/pdf`);
      const list = await http<IssuedNotice[]>(`${t.url}/notices?case=${application.caseNumber}`, { token: tokens[USERS.zhangsan] });
      const listByOther = await http(`${t.url}/notices?case=${application.caseNumber}`, { token: tokens[USERS.lisi] });
      // then
      expect(own.status).toBe(200);
      expect(own.headers.get('content-type')).toBe('application/pdf');
      expect(own.headers.get('x-document-sha256')).toBe(notice.sha256);
      expect(clerk.status).toBe(200);
      expect(clerk.bytes.equals(own.bytes)).toBe(true);
      expect(otherApplicant.status).toBe(403);
      expect(otherApplicant.json?.['error']).toBe('NotOwnApplication');
      expect(otherClerk.status).toBe(403);
      expect(otherClerk.json?.['error']).toBe('OutsideOrganisation');
      expect(anonymous.status).toBe(401);
      expect(list.status).toBe(200);
      expect(list.body.map((n) => n.id)).toContain(notice.id);
      expect(listByOther.status).toBe(403);
    });

    it('answers malformed and unknown ids with a 4xx naming the parameter', async () => {
      const bad = await download(`${t.url}/notices/not-a-uuid/pdf`, tokens[USERS.zhangsan]);
      const unknown = await download(`${t.url}/notices/3f2b8c1e-8d4a-4c3b-9e1f-2a6b7c8d9e0f/pdf`, tokens[USERS.zhangsan]);
      const badCase = await http(`${t.url}/notices?case=%27%3B--`, { token: tokens[USERS.zhangsan] });
      const noCase = await http(`${t.url}/notices`, { token: tokens[USERS.zhangsan] });
      const twoCases = await http(`${t.url}/notices?case=${application.caseNumber}&case=${application.caseNumber}`, { token: tokens[USERS.zhangsan] });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.json)).toContain('id');
      expect(unknown.status).toBe(404);
      expect(unknown.json?.['error']).toBe('NoticeNotFound');
      expect(badCase.status).toBe(400);
      expect(noCase.status).toBe(400);
      expect(JSON.stringify(noCase.body)).toContain('case');
      expect(twoCases.status).toBe(400);
    });
  });

  it.each(['receipt', 'refusal', 'correction', 'acceptance-with-missing', 'withdrawal'] as NoticeKind[])('seals and verifies a %s notice', async (kind) => {
    // when
    const notice = await issuer.issue(kind, samples[kind]);
    const pdf = await download(`${t.url}/notices/${notice.id}/pdf`, tokens[USERS.clerk]);
    const verified = await http<Verification>(`${STACK.identity}/verify/documents`, { body: { documentCode: notice.verificationCode, sha256: sha256(pdf.bytes) } });
    // then
    expect(notice.status).toBe('sealed');
    expect(verified.body).toMatchObject({ intact: true, signatureValid: true, sealedBy: { orgName: MARKET_BUREAU.name } });
  });

  it('refuses notice data that breaks its shape, naming the field, and records nothing', async () => {
    const before = await t.ownerQuery<{ n: number }>('SELECT count(*)::int AS n FROM notices');
    await expect(issuer.issue('refusal', { ...samples.refusal, reasons: [] })).rejects.toMatchObject({ code: 'InvalidNoticeData', status: 422 });
    expect(await t.ownerQuery<{ n: number }>('SELECT count(*)::int AS n FROM notices')).toEqual(before);
  });

  it('records a notice while identity is unreachable and seals it, once, when identity is back', async () => {
    // given a replica of intake whose identity is down (nothing listens on port 9)
    const down = await startTestService({
      service: 'intake',
      loadConfig: loadIntakeConfig,
      databaseKey: 'INTAKE_DB',
      migrations: INTAKE_MIGRATIONS,
      module: (config, logger) => IntakeModule.forRoot(config, logger),
      env: { INTAKE_PORT: '3002', INTAKE_RELAY_ENABLED: 'false', IDENTITY_ISSUER: 'http://127.0.0.1:9', NOTICE_VERIFY_BASE_URL: `${STACK.identity}/verify/documents/`, NOTIFY_DISPATCH_INTERVAL_MS: '0', NOTICE_SEAL_RETRY_INTERVAL_MS: '0', NOTIFY_MAIL_DROP_DIR: mailDrop },
      reuseDatabase: t.database,
    });
    let pending: IssuedNotice;
    try {
      // when
      pending = await down.app.get(NoticeIssuer).issue('correction', { ...samples.correction, round: 2 });
    } finally {
      await down.close();
    }
    // then it is recorded, not sealed, and cannot be downloaded yet
    expect(pending.status).toBe('sealing');
    const [row] = await t.ownerQuery<{ last_error: string; seal_attempts: number }>('SELECT last_error, seal_attempts FROM notices WHERE id = $1', [pending.id]);
    expect(row.seal_attempts).toBe(1);
    expect(row.last_error).toMatch(/fetch failed|ECONNREFUSED/);
    expect((await download(`${t.url}/notices/${pending.id}/pdf`, tokens[USERS.zhangsan])).json?.['error']).toBe('NoticeNotSealed');
    expect(await t.ownerQuery(`SELECT 1 FROM notifications WHERE notice_id = $1`, [pending.id])).toHaveLength(0);
    // when the retry is due and identity answers
    await t.ownerQuery(`UPDATE notices SET next_seal_at = now() WHERE id = $1`, [pending.id]);
    const sealed = await t.app.get(NoticeSealer).sealDue();
    const again = await t.app.get(NoticeSealer).sealDue();
    // then
    expect(sealed).toBeGreaterThanOrEqual(1);
    expect(again).toBe(0);
    const pdf = await download(`${t.url}/notices/${pending.id}/pdf`, tokens[USERS.zhangsan]);
    expect(pdf.status).toBe(200);
    const verified = await http<Verification>(`${STACK.identity}/verify/documents`, { body: { documentCode: pending.verificationCode, sha256: sha256(pdf.bytes) } });
    expect(verified.body).toMatchObject({ intact: true, signatureValid: true });
    expect(await t.ownerQuery(`SELECT 1 FROM outbox WHERE type = 'gov.intake.notice.issued' AND payload->'data'->>'noticeId' = $1`, [pending.id])).toHaveLength(1);
    expect(await t.ownerQuery(`SELECT 1 FROM notifications WHERE notice_id = $1`, [pending.id])).toHaveLength(1);
  });
});

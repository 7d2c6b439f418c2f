import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotificationSent } from '@gov/contracts';
import { InboxTransport } from '@gov/messaging';
import { SERVICE_TRANSPORTS } from '@gov/service-kit';
import { DataSource } from 'typeorm';
import { type TestService, eventually, startTestService } from '@gov/testing';
import { IntakeModule } from '../app.module';
import { type IntakeConfig, loadIntakeConfig } from '../config';
import { INTAKE_MIGRATIONS } from '../migrations';
import { sampleNoticeData } from '../notices/notice-fixtures';
import { NoticeIssuer } from '../notices/notice-issuer.service';
import { type TestIntake, USERS, applicationBody, http, startTestIntake, tokenOf } from '../testing/test-app';
import { MailDropChannel } from './channels/mail-drop.channel';
import { DecisionDocuments } from '../documents/decision-documents';
import { NoticeSealer } from '../notices/notice-sealer';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationsRepository } from './notifications.repository';
import { SuspensionNotifications } from './suspension-notifications';

interface Row {
  id: string;
  channel: string;
  status: string;
  attempts: number;
  reason: string;
  address: string;
}

describe('notifications: the delivery outbox delivers each notice once per channel, across restarts', () => {
  let t: TestIntake;
  let mailDrop: string;
  let env: Record<string, string>;
  let sms: { server: ReturnType<typeof createServer>; received: Array<{ key: string; to: string }>; status: number };
  let samples: ReturnType<typeof sampleNoticeData>;
  let caseNumber: string;
  const later = (ms: number) => () => new Date(Date.now() + ms);

  const rows = (noticeId: string) => t.ownerQuery<Row>('SELECT id, channel, status, attempts, reason, address FROM notifications WHERE notice_id = $1 ORDER BY channel', [noticeId]);
  const sentEvents = async (notificationId: string) =>
    (await t.ownerQuery<{ payload: { data: unknown } }>(`SELECT payload FROM outbox WHERE type = 'gov.intake.notification.sent'`)).map((r) => NotificationSent.parse(r.payload.data)).filter((e) => e.notificationId === notificationId);
  const replica = (): Promise<TestService<IntakeConfig>> =>
    startTestService({ service: 'intake', loadConfig: loadIntakeConfig, databaseKey: 'INTAKE_DB', migrations: INTAKE_MIGRATIONS, module: (c, l) => IntakeModule.forRoot(c, l), env, reuseDatabase: t.database });

  beforeAll(async () => {
    sms = { server: createServer(), received: [], status: 200 };
    sms.server.on('request', (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        if (sms.status === 200) sms.received.push({ key: String(req.headers['idempotency-key']), to: (JSON.parse(body) as { to: string }).to });
        res.writeHead(sms.status, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sms-${sms.received.length}` }));
      });
    });
    await new Promise<void>((r) => sms.server.listen(0, '127.0.0.1', r));
    mailDrop = mkdtempSync(join(tmpdir(), 'mail-drop-'));
    env = {
      INTAKE_PORT: '3002',
      INTAKE_RELAY_ENABLED: 'false',
      NOTIFY_MAIL_DROP_DIR: mailDrop,
      NOTIFY_DISPATCH_INTERVAL_MS: '0',
      NOTICE_SEAL_RETRY_INTERVAL_MS: '0',
      NOTIFY_CHANNELS: 'mail-drop,sms',
      SMS_ENDPOINT: `http://127.0.0.1:${(sms.server.address() as AddressInfo).port}/send`,
      SMS_TOKEN: 'sms-test-token',
    };
    t = await startTestIntake(env);
    const res = await http<{ applicationId: string; caseNumber: string }>(`${t.url}/applications`, { token: await tokenOf(USERS.zhangsan), body: applicationBody() });
    expect(res.status).toBe(201);
    caseNumber = res.body.caseNumber;
    samples = sampleNoticeData(res.body);
    // The submission's own 接件凭证 is sealed after the commit and queues its notifications: deliver them first, so
    // each test starts from an empty delivery queue.
    await eventually('the receipt notice sealed and queued', async () => {
      const queued = await t.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM notifications n JOIN notices o ON o.id = n.notice_id WHERE o.case_number = $1 AND o.kind = 'receipt'`, [caseNumber]);
      return (queued[0]?.n ?? 0) > 0;
    });
    await t.app.get(NotificationDispatcher).drain();
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => sms.server.close(r));
    rmSync(mailDrop, { recursive: true, force: true });
  });

  it('queues a sealed notice for the mail drop and SMS and delivers it once on each, with one event each', async () => {
    // given
    const notice = await t.app.get(NoticeIssuer).issue('acceptance', { ...samples.acceptance, contact: { phone: '+8613800000001' } });
    const queued = await rows(notice.id);
    expect(queued.map((r) => [r.channel, r.status, r.reason])).toEqual([
      ['mail-drop', 'pending', 'acceptance'],
      ['sms', 'pending', 'acceptance'],
    ]);
    // when
    const first = await t.app.get(NotificationDispatcher).drain();
    const second = await t.app.get(NotificationDispatcher).drain();
    // then
    expect([first, second]).toEqual([2, 0]);
    expect((await rows(notice.id)).map((r) => r.status)).toEqual(['sent', 'sent']);
    const mail = queued.find((r) => r.channel === 'mail-drop')!;
    const eml = readFileSync(join(mailDrop, `${mail.id}.eml`), 'utf8');
    expect(eml).toContain('Content-Type: application/pdf');
    expect(eml).toContain(`X-Case-Number: ${caseNumber}`);
    expect(sms.received.filter((m) => m.key === queued.find((r) => r.channel === 'sms')!.id)).toEqual([{ key: queued[1].id, to: '+8613800000001' }]);
    for (const r of queued) expect(await sentEvents(r.id)).toHaveLength(1);
  });

  it('delivers exactly once when the process died between delivering and confirming, and after a restart', async () => {
    // given a notice whose mail-drop notification was leased and written, and then the process died
    const notice = await t.app.get(NoticeIssuer).issue('refusal', samples.refusal);
    const [row] = await rows(notice.id);
    const [leased] = await t.app.get(NotificationsRepository).claimDue(new Date(), 60, 1);
    expect(leased.id).toBe(row.id);
    await new MailDropChannel(mailDrop).deliver({ ...leased, attachment: undefined });
    const written = readFileSync(join(mailDrop, `${row.id}.eml`));
    // when a restarted replica drains before the lease ran out, then after it
    const restarted = await replica();
    let early: number;
    let late: number;
    try {
      early = await restarted.app.get(NotificationDispatcher).drain();
      late = await restarted.app.get(NotificationDispatcher).drain(later(61_000));
    } finally {
      await restarted.close();
    }
    // and another restart drains again
    const again = await replica();
    let last: number;
    try {
      last = await again.app.get(NotificationDispatcher).drain(later(120_000));
    } finally {
      await again.close();
    }
    // then the message was delivered once, confirmed once, announced once
    expect([early, late, last]).toEqual([0, 1, 0]);
    expect(readdirSync(mailDrop).filter((f) => f.startsWith(row.id))).toEqual([`${row.id}.eml`]);
    expect(readFileSync(join(mailDrop, `${row.id}.eml`)).equals(written)).toBe(true);
    expect(await rows(notice.id)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
    expect(await sentEvents(row.id)).toHaveLength(1);
  });

  it('keeps a notification the provider could not take and delivers it on a later round', async () => {
    // given the SMS gateway is down
    sms.status = 503;
    const notice = await t.app.get(NoticeIssuer).issue('correction', { ...samples.correction, contact: { phone: '+8613800000002' } });
    const first = await t.app.get(NotificationDispatcher).drain();
    const smsRow = (await rows(notice.id)).find((r) => r.channel === 'sms')!;
    expect(first).toBe(1);
    expect(smsRow).toMatchObject({ status: 'pending', attempts: 1 });
    // when it is back and the retry is due
    sms.status = 200;
    const soon = await t.app.get(NotificationDispatcher).drain();
    const retried = await t.app.get(NotificationDispatcher).drain(later(11_000));
    // then
    expect([soon, retried]).toEqual([0, 1]);
    expect((await rows(notice.id)).map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(sms.received.filter((m) => m.key === smsRow.id)).toHaveLength(1);
  });

  it('tells the applicant about the decision of their case once, with its document, however often approval announces it', async () => {
    // given approval decided the case (gov.approval.case.decided, delivered twice by the inbox)
    const decided = { caseNumber, processInstanceId: 'p-1', decision: 'approved' as const, documentNumber: '示市监许〔2026〕101号', decidedAt: '2026-12-10T02:00:00Z' };
    const ds = t.app.get(DataSource);
    const handler = t.app.get(DecisionDocuments);
    // when the documents recorded with it are sealed (the sealer, after the commit)
    const first = await ds.transaction((m) => handler.handle(decided, m));
    const second = await ds.transaction((m) => handler.handle(decided, m));
    const unknown = await ds.transaction((m) => handler.handle({ ...decided, caseNumber: '990000-20261210-000001' }, m));
    await t.app.get(NoticeSealer).sealDue();
    const sent = await t.app.get(NotificationDispatcher).drain();
    // then
    expect([first, second, unknown].map((ids) => ids?.length ?? null)).toEqual([2, 2, null]);
    const queued = await t.ownerQuery<Row & { body: string }>(`SELECT id, channel, status, reason, body FROM notifications WHERE dedupe_key = $1`, [`decision:${caseNumber}`]);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ channel: 'mail-drop', status: 'sent', reason: 'decision' });
    expect(queued[0].body).toContain('作出准予行政许可的决定');
    expect(queued[0].body).toContain('决定书文号示市监许〔2026〕101号');
    expect(readFileSync(join(mailDrop, `${queued[0].id}.eml`), 'utf8')).toContain('Content-Type: application/pdf');
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(readdirSync(mailDrop)).toContain(`${queued[0].id}.eml`);
  });

  it('tells the applicant in writing when a special procedure stops the clock, how long it should take, and when it ends; once each (seed 001 text 3 art. 14)', async () => {
    // given approval suspended the case for an expert review and later resumed it, each announced twice
    const suspensionId = `s-${caseNumber}`;
    const suspended = { caseNumber, suspensionId, stepId: null, reason: 'expert-review', statedWorkingDays: 10, suspendedAt: '2026-12-11T02:00:00Z' };
    const resumed = { caseNumber, suspensionId, resumedAt: '2026-12-20T02:00:00Z' };
    const ds = t.app.get(DataSource);
    const handler = t.app.get(SuspensionNotifications);
    // when
    const results = [
      await ds.transaction((m) => handler.suspended(suspended, m)),
      await ds.transaction((m) => handler.suspended(suspended, m)),
      await ds.transaction((m) => handler.resumed(resumed, m)),
      await ds.transaction((m) => handler.resumed(resumed, m)),
      await ds.transaction((m) => handler.suspended({ ...suspended, caseNumber: '990000-20261211-000001' }, m)),
    ];
    await t.app.get(NotificationDispatcher).drain();
    // then one notification for each end, for this case's applicant, nothing for a case intake does not know
    expect(results).toEqual([true, true, true, true, false]);
    const queued = await t.ownerQuery<Row & { body: string; subject: string; dedupe_key: string }>(
      `SELECT id, channel, status, reason, body, subject, dedupe_key FROM notifications WHERE dedupe_key IN ($1, $2) AND channel = 'mail-drop' ORDER BY dedupe_key`,
      [`suspension:${suspensionId}`, `resumption:${suspensionId}`],
    );
    expect(queued.map((q) => [q.dedupe_key, q.reason, q.status])).toEqual([
      [`resumption:${suspensionId}`, 'resumption', 'sent'],
      [`suspension:${suspensionId}`, 'suspension', 'sent'],
    ]);
    const [end, start] = queued;
    expect(start.body).toContain(`申办编号${caseNumber}`);
    expect(start.body).toContain('需要专家评审，自2026年12月11日起进入特殊程序，审批时限暂停计算，预计需要10个工作日');
    expect(start.body).toContain('不计入办理时限');
    expect(end.body).toContain('特殊程序已于2026年12月20日结束，审批时限恢复计算');
    expect(readdirSync(mailDrop)).toEqual(expect.arrayContaining([`${start.id}.eml`, `${end.id}.eml`]));
  });

  it('serves the decision consumer through the inbox transport when INTAKE_CONSUMERS=true, and stays ready', async () => {
    // given
    const consuming = await startTestService({ service: 'intake', loadConfig: loadIntakeConfig, databaseKey: 'INTAKE_DB', migrations: INTAKE_MIGRATIONS, module: (c, l) => IntakeModule.forRoot(c, l), env: { ...env, INTAKE_CONSUMERS: 'true' }, reuseDatabase: t.database });
    try {
      // when
      const transports = consuming.app.get<unknown[]>(SERVICE_TRANSPORTS);
      const ready = await http<{ status: string }>(`${consuming.url}/health/ready`);
      // then
      expect(transports).toHaveLength(1);
      expect(transports[0]).toBeInstanceOf(InboxTransport);
      expect(ready.status).toBe(200);
    } finally {
      await consuming.close();
    }
    expect(t.app.get<unknown[]>(SERVICE_TRANSPORTS)).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import { type Socket, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DeliveryError, type OutgoingNotification } from './channel';
import { EmailChannel } from './email.channel';
import { MailDropChannel } from './mail-drop.channel';
import { SMS_MAX_CHARS, SmsChannel, smsRequestOf } from './sms.channel';

const message = (over: Partial<OutgoingNotification> = {}): OutgoingNotification => ({
  id: '6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11',
  channel: 'mail-drop',
  caseNumber: '449900-20261202-000001',
  recipientId: '449901198503120015',
  recipientName: '张三',
  address: '449901198503120015',
  subject: '【示范市市场监督管理局】受理通知书',
  body: '张三：您申办的食品经营许可已予以受理。',
  attachment: { filename: '受字〔2026〕449900-20261202-000001号.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7 test') },
  ...over,
});

describe('mail-drop channel (the local default notifier)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drop-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one MIME message per notification with the notice attached', async () => {
    // when
    const receipt = await new MailDropChannel(dir).deliver(message());
    // then
    expect(readdirSync(dir)).toEqual(['6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11.eml']);
    const eml = readFileSync(receipt.providerRef, 'utf8');
    expect(eml).toContain('Message-ID: <6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11@intake.notifications>');
    expect(eml).toContain(`Subject: =?UTF-8?B?${Buffer.from('【示范市市场监督管理局】受理通知书').toString('base64')}?=`);
    expect(eml).toContain('Content-Type: application/pdf');
    expect(eml).toContain(Buffer.from('%PDF-1.7 test').toString('base64'));
  });

  it('delivers a notification at most once: a second delivery of the same id leaves the first file alone', async () => {
    // given
    const channel = new MailDropChannel(dir);
    const first = await channel.deliver(message());
    const before = statSync(first.providerRef).mtimeMs;
    // when
    const second = await channel.deliver(message({ body: 'changed' }));
    // then
    expect(second.providerRef).toBe(first.providerRef);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(statSync(first.providerRef).mtimeMs).toBe(before);
    expect(readFileSync(first.providerRef, 'utf8')).not.toContain(Buffer.from('changed').toString('base64'));
  });

  it('refuses an id that is not a UUID (no path tricks in file names)', async () => {
    await expect(new MailDropChannel(dir).deliver(message({ id: '../../etc/passwd' }))).rejects.toThrow(/UUID/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('SMS channel (provider-neutral HTTP request)', () => {
  let received: Array<{ headers: IncomingHttpHeaders; body: Record<string, unknown> }>;
  let answer: { status: number; body: string };
  let server: ReturnType<typeof createServer>;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(data) as Record<string, unknown> });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  });
  beforeEach(() => {
    received = [];
    answer = { status: 200, body: '{"id":"sms-42"}' };
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('posts the documented request with the bearer token and the notification id as idempotency key', async () => {
    // when
    const receipt = await new SmsChannel(url, 'sms-token-123', 'SFGOV').deliver(message({ channel: 'sms', address: '+8613800000000' }));
    // then
    expect(receipt.providerRef).toBe('sms-42');
    expect(received).toHaveLength(1);
    expect(received[0].headers['authorization']).toBe('Bearer sms-token-123');
    expect(received[0].headers['idempotency-key']).toBe('6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11');
    expect(received[0].body).toEqual({
      messageId: '6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11',
      to: '+8613800000000',
      sender: 'SFGOV',
      text: '【示范市市场监督管理局】受理通知书：张三：您申办的食品经营许可已予以受理。',
      reference: '449900-20261202-000001',
    });
  });

  it('cuts long texts to the documented length', () => {
    expect([...smsRequestOf(message({ body: '长'.repeat(1000) }), 'S').text]).toHaveLength(SMS_MAX_CHARS);
  });

  it('treats a 4xx as permanent and a 5xx or 429 as worth retrying', async () => {
    const channel = new SmsChannel(url, 'sms-token-123', 'SFGOV');
    answer = { status: 400, body: '{"error":"bad number"}' };
    await expect(channel.deliver(message())).rejects.toMatchObject({ permanent: true });
    answer = { status: 503, body: 'busy' };
    await expect(channel.deliver(message())).rejects.toMatchObject({ permanent: false });
    answer = { status: 429, body: 'slow down' };
    await expect(channel.deliver(message())).rejects.toMatchObject({ permanent: false });
  });

  it('treats an unreachable gateway as a transient failure', async () => {
    const error = await new SmsChannel('http://127.0.0.1:9/sms', 'sms-token-123', 'S', 1000).deliver(message()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(false);
  });
});

/** A minimal SMTP server (RFC 5321 happy path) that records what it is sent and can refuse recipients. */
function smtpServer(refuseRecipient: boolean) {
  const messages: Array<{ from: string; to: string[]; data: string }> = [];
  const server = createTcpServer((socket: Socket) => {
    let buffer = '';
    let inData = false;
    let current = { from: '', to: [] as string[], data: '' };
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(current);
            current = { from: '', to: [], data: '' };
            socket.write('250 OK queued\r\n');
          } else current.data += `${line}\r\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-test\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') {
          current.from = line;
          socket.write('250 OK\r\n');
        } else if (verb === 'RCPT') {
          if (refuseRecipient) socket.write('550 no such user\r\n');
          else {
            current.to.push(line);
            socket.write('250 OK\r\n');
          }
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else if (verb === 'RSET' || verb === 'NOOP') socket.write('250 OK\r\n');
        else socket.write('502 not implemented\r\n');
      }
    });
  });
  return { server, messages };
}

describe('e-mail channel (SMTP through nodemailer)', () => {
  async function withServer(refuse: boolean, fn: (url: string, messages: Array<{ from: string; to: string[]; data: string }>) => Promise<void>) {
    const { server, messages } = smtpServer(refuse);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await fn(`smtp://127.0.0.1:${(server.address() as AddressInfo).port}/?ignoreTLS=true`, messages);
    } finally {
      await new Promise((r) => server.close(r));
    }
  }

  it('sends the message over SMTP with the notification id as Message-ID and the notice attached', async () => {
    await withServer(false, async (url, messages) => {
      // given
      const channel = new EmailChannel(url, '示范市政务服务 <noreply@gov.example>');
      // when
      const receipt = await channel.deliver(message({ channel: 'email', address: 'zhangsan@example.com' }));
      channel.close();
      // then
      expect(receipt.providerRef).toBe('<6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11@intake.notifications>');
      expect(messages).toHaveLength(1);
      expect(messages[0].from).toContain('noreply@gov.example');
      expect(messages[0].to[0]).toContain('zhangsan@example.com');
      expect(messages[0].data).toContain('Message-ID: <6f1c2b1e-6a55-4c9f-9a52-7d1f3f1a0b11@intake.notifications>');
      expect(messages[0].data).toContain('Content-Type: application/pdf');
    });
  });

  it('reports a refused recipient (5xx) as permanent', async () => {
    await withServer(true, async (url) => {
      const channel = new EmailChannel(url, 'noreply@gov.example');
      await expect(channel.deliver(message({ channel: 'email', address: 'nobody@example.com' }))).rejects.toMatchObject({ permanent: true });
      channel.close();
    });
  });
});

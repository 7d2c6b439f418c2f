import { constants } from 'node:fs';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeliveryReceipt, NotificationChannel, OutgoingNotification } from './channel';

/** RFC 2047 encoded-word for non-ASCII header values. */
function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function base64Lines(b: Buffer): string {
  return (b.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/**
 * The local default notifier: each notification becomes `<dir>/<id>.eml`, a MIME message a person or a mail client can
 * open (the notice PDF attached). Written to a temporary name and renamed, so a reader never sees half a file; a file
 * already there means it was delivered before (a retry after a crash), and it is left as it is.
 */
export class MailDropChannel implements NotificationChannel {
  readonly name = 'mail-drop' as const;

  constructor(private readonly dir: string) {}

  async deliver(m: OutgoingNotification): Promise<DeliveryReceipt> {
    if (!/^[0-9a-f-]{36}$/.test(m.id)) throw new Error('notification id must be a UUID');
    const file = join(this.dir, `${m.id}.eml`);
    try {
      await access(file, constants.F_OK);
      return { providerRef: file };
    } catch {
      // not delivered yet
    }
    await mkdir(this.dir, { recursive: true });
    const boundary = `=_notice_${m.id}`;
    const headers = [
      `Message-ID: <${m.id}@intake.notifications>`,
      `To: ${encodeHeader(m.recipientName)} <${m.address}>`,
      `Subject: ${encodeHeader(m.subject)}`,
      `X-Case-Number: ${m.caseNumber}`,
      'MIME-Version: 1.0',
    ];
    const text = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', base64Lines(Buffer.from(m.body, 'utf8'))];
    const parts = m.attachment
      ? [
          `Content-Type: multipart/mixed; boundary="${boundary}"`,
          '',
          `--${boundary}`,
          ...text,
          `--${boundary}`,
          `Content-Type: ${m.attachment.contentType}; name="${encodeHeader(m.attachment.filename)}"`,
          `Content-Disposition: attachment; filename="${encodeHeader(m.attachment.filename)}"`,
          'Content-Transfer-Encoding: base64',
          '',
          base64Lines(m.attachment.content),
          `--${boundary}--`,
        ]
      : text;
    const tmp = join(this.dir, `.${m.id}.tmp`);
    await writeFile(tmp, [...headers, ...parts, ''].join('\r\n'));
    await rename(tmp, file);
    return { providerRef: file };
  }
}

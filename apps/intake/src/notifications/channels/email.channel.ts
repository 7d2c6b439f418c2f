import type { Transporter } from 'nodemailer';
import { createTransport } from 'nodemailer';
import { DeliveryError, type DeliveryReceipt, type NotificationChannel, type OutgoingNotification } from './channel';

/**
 * E-mail over SMTP (nodemailer), configured by SMTP_URL (smtp://user:pass@host:587 with STARTTLS, smtps:// for TLS)
 * and SMTP_FROM. The Message-ID is the notification id, so a resend after a crash is recognisable as the same message.
 * A 5xx reply from the server is permanent; connection problems and 4xx are retried.
 */
export class EmailChannel implements NotificationChannel {
  readonly name = 'email' as const;
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    transport?: Transporter,
  ) {
    this.transport = transport ?? createTransport(smtpUrl);
  }

  async deliver(m: OutgoingNotification): Promise<DeliveryReceipt> {
    try {
      const info = (await this.transport.sendMail({
        from: this.from,
        to: { name: m.recipientName, address: m.address },
        subject: m.subject,
        text: m.body,
        messageId: `<${m.id}@intake.notifications>`,
        headers: { 'X-Case-Number': m.caseNumber },
        ...(m.attachment ? { attachments: [{ filename: m.attachment.filename, content: m.attachment.content, contentType: m.attachment.contentType }] } : {}),
      })) as { messageId?: string };
      return { providerRef: info.messageId ?? m.id };
    } catch (e) {
      const code = (e as { responseCode?: number }).responseCode;
      throw new DeliveryError(`SMTP: ${e instanceof Error ? e.message : String(e)}`, typeof code === 'number' && code >= 500);
    }
  }

  close(): void {
    this.transport.close();
  }
}

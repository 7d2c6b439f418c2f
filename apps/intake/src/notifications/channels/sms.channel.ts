import { DeliveryError, type DeliveryReceipt, type NotificationChannel, type OutgoingNotification } from './channel';

/**
 * The provider-neutral SMS request this adapter sends (a small gateway maps it onto a carrier's or an SMS vendor's API):
 *
 *     POST <SMS_ENDPOINT>
 *     Authorization: Bearer <SMS_TOKEN>
 *     Content-Type: application/json
 *     Idempotency-Key: <notification id>
 *
 *     { "messageId": "<notification id>", "to": "+8613800000000", "sender": "<SMS_SENDER>",
 *       "text": "<subject>：<body, first 300 characters>", "reference": "<case number>" }
 *
 * The gateway answers 2xx with `{ "id": "<provider message id>" }` and treats a repeated Idempotency-Key as the same
 * message (answering as before, sending nothing). 4xx other than 408/429 is permanent; 408, 429, 5xx and network
 * failures are retried.
 */
export interface SmsRequest {
  messageId: string;
  to: string;
  sender: string;
  text: string;
  reference: string;
}

export const SMS_MAX_CHARS = 300;

export function smsRequestOf(m: OutgoingNotification, sender: string): SmsRequest {
  const text = `${m.subject}：${m.body}`.replace(/\s+/g, ' ').trim();
  return { messageId: m.id, to: m.address, sender, text: [...text].slice(0, SMS_MAX_CHARS).join(''), reference: m.caseNumber };
}

export class SmsChannel implements NotificationChannel {
  readonly name = 'sms' as const;

  constructor(
    private readonly endpoint: string,
    private readonly token: string,
    private readonly sender: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async deliver(m: OutgoingNotification): Promise<DeliveryReceipt> {
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'idempotency-key': m.id },
        body: JSON.stringify(smsRequestOf(m, this.sender)),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new DeliveryError(`SMS gateway unreachable: ${e instanceof Error ? e.message : String(e)}`);
    }
    const text = await res.text();
    if (!res.ok) {
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      throw new DeliveryError(`SMS gateway HTTP ${res.status}: ${text.slice(0, 200)}`, permanent);
    }
    let id: unknown;
    try {
      id = (JSON.parse(text) as { id?: unknown }).id;
    } catch {
      id = undefined;
    }
    return { providerRef: typeof id === 'string' && id ? id : m.id };
  }
}

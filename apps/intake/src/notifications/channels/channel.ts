import type { NotificationChannelName } from '@gov/contracts';

/** One message to deliver. `id` is the notification's id: every channel uses it to deliver at most once. */
export interface OutgoingNotification {
  id: string;
  channel: NotificationChannelName;
  caseNumber: string;
  recipientId: string;
  recipientName: string;
  /** E-mail address, phone number, or the applicant's id (mail drop). */
  address: string;
  subject: string;
  body: string;
  attachment?: { filename: string; contentType: string; content: Buffer };
}

export interface DeliveryReceipt {
  /** The provider's id of the message (SMTP message id, SMS provider id, the mail-drop file). */
  providerRef: string;
}

/** A transient failure (retry later) unless `permanent` (the provider refused the message itself). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** The notifier interface: every channel adapter delivers one message and is idempotent per `OutgoingNotification.id`. */
export interface NotificationChannel {
  readonly name: NotificationChannelName;
  deliver(message: OutgoingNotification): Promise<DeliveryReceipt>;
}

export const NOTIFICATION_CHANNELS_TOKEN = Symbol('NOTIFICATION_CHANNELS');

import { makeEvent } from '@gov/contracts';
import { enqueueEvent } from '@gov/messaging';
import { LOGGER } from '@gov/service-kit';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { DeliveryError, NOTIFICATION_CHANNELS_TOKEN, type NotificationChannel, type OutgoingNotification } from './channels/channel';
import type { Notification } from './notification.entity';
import { NotificationsRepository } from './notifications.repository';

const BATCH = 20;

/** Retry after 10 s, 20 s, 40 s ... capped at 30 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30 * 60_000, 10_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Drains the delivery outbox: lease due rows (short statement), deliver each outside any transaction, then confirm
 * `sent` with the `gov.intake.notification.sent` event in one transaction. A crash between delivery and confirmation
 * leaves the lease to run out; the retry reaches a channel that recognises the notification id and does not deliver
 * it a second time.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private readonly byName: Map<string, NotificationChannel>;

  constructor(
    @Inject(INTAKE_CONFIG) private readonly config: IntakeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(NOTIFICATION_CHANNELS_TOKEN) channels: NotificationChannel[],
    private readonly repo: NotificationsRepository,
    private readonly ds: DataSource,
  ) {
    this.byName = new Map(channels.map((c) => [c.name, c]));
  }

  onApplicationBootstrap(): void {
    if (this.config.NOTIFY_DISPATCH_INTERVAL_MS > 0) {
      this.timer = setInterval(() => void this.drain().catch((e: unknown) => this.logger.warn({ err: e }, 'notification dispatch round failed')), this.config.NOTIFY_DISPATCH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Delivers everything due now; one round at a time per process. Resolves to the number sent. */
  drain(now: () => Date = () => new Date()): Promise<number> {
    this.running ??= this.drainAll(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drainAll(now: () => Date): Promise<number> {
    let sent = 0;
    for (;;) {
      const due = await this.repo.claimDue(now(), this.config.NOTIFY_LEASE_SECONDS, BATCH);
      if (due.length === 0) return sent;
      for (const n of due) if (await this.deliverOne(n, now)) sent++;
    }
  }

  private async deliverOne(n: Notification, now: () => Date): Promise<boolean> {
    const channel = this.byName.get(n.channel);
    try {
      if (!channel) throw new DeliveryError(`channel ${n.channel} is not configured (NOTIFY_CHANNELS)`);
      const attachment = n.noticeId ? await this.repo.attachmentOf(n.noticeId) : null;
      const message: OutgoingNotification = {
        id: n.id,
        channel: n.channel,
        caseNumber: n.caseNumber,
        recipientId: n.recipientId,
        recipientName: n.recipientName,
        address: n.address,
        subject: n.subject,
        body: n.body,
        ...(attachment ? { attachment: { filename: `${attachment.documentNumber}.pdf`, contentType: 'application/pdf', content: attachment.pdf } } : {}),
      };
      const receipt = await channel.deliver(message);
      const sentAt = now();
      await this.ds.transaction(async (m) => {
        if (!(await this.repo.markSent(m, n.id, receipt.providerRef, sentAt))) return;
        await enqueueEvent(
          m,
          makeEvent({
            type: 'gov.intake.notification.sent',
            source: '/intake',
            subject: n.caseNumber,
            correlationId: n.id,
            data: { notificationId: n.id, noticeId: n.noticeId, caseNumber: n.caseNumber, channel: n.channel, reason: n.reason, sentAt: sentAt.toISOString() },
          }),
        );
      });
      return true;
    } catch (e) {
      const permanent = e instanceof DeliveryError && e.permanent;
      const giveUp = permanent || n.attempts >= this.config.NOTIFY_MAX_ATTEMPTS;
      const message = e instanceof Error ? e.message : String(e);
      this.logger.warn({ notification: n.id, channel: n.channel, attempts: n.attempts, giveUp, err: message }, 'notification delivery failed');
      await this.repo.markFailedAttempt(n.id, message, new Date(now().getTime() + retryDelayMs(n.attempts)), giveUp);
      return false;
    }
  }
}

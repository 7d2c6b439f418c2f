import { LOGGER } from '@gov/service-kit';
import { Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { NOTIFICATION_CHANNELS_TOKEN, type NotificationChannel } from './channels/channel';
import { EmailChannel } from './channels/email.channel';
import { MailDropChannel } from './channels/mail-drop.channel';
import { SmsChannel } from './channels/sms.channel';
import { NotificationDispatcher } from './notification-dispatcher';
import { SuspensionEventsConsumer, SuspensionNotifications } from './suspension-notifications';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/** The channels NOTIFY_CHANNELS turns on; the mail drop is always there (the local default and the record). */
export function channelsOf(config: IntakeConfig, logger: Logger): NotificationChannel[] {
  const channels: NotificationChannel[] = [new MailDropChannel(config.NOTIFY_MAIL_DROP_DIR)];
  if (config.NOTIFY_CHANNELS.includes('email') && config.SMTP_URL) channels.push(new EmailChannel(config.SMTP_URL, config.SMTP_FROM));
  if (config.NOTIFY_CHANNELS.includes('sms') && config.SMS_ENDPOINT && config.SMS_TOKEN) channels.push(new SmsChannel(config.SMS_ENDPOINT, config.SMS_TOKEN, config.SMS_SENDER));
  logger.info({ channels: channels.map((c) => c.name) }, 'notification channels');
  return channels;
}

/** Applicant notifications: the delivery outbox, the notifier channels, the dispatcher, clock suspensions from approval (decisions: documents/). */
@Module({
  controllers: [SuspensionEventsConsumer],
  providers: [
    SuspensionNotifications,
    NotificationsRepository,
    NotificationsService,
    NotificationDispatcher,
    { provide: NOTIFICATION_CHANNELS_TOKEN, useFactory: channelsOf, inject: [INTAKE_CONFIG, LOGGER] },
  ],
  exports: [NotificationsService, NotificationsRepository, NotificationDispatcher, SuspensionNotifications],
})
export class NotificationsModule {}

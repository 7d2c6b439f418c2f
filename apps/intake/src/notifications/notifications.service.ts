import { randomUUID } from 'node:crypto';
import type { NotificationChannelName } from '@gov/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { INTAKE_CONFIG, type IntakeConfig } from '../config';
import { Notification } from './notification.entity';
import { NotificationsRepository } from './notifications.repository';

/** What to tell an applicant, and where they can be reached beside the mail drop. */
export interface NotificationRequest {
  /** What makes it unique: `notice:<id>` for a notice, `decision:<case number>` for a decision. */
  dedupeKey: string;
  noticeId: string | null;
  caseNumber: string;
  /** The notice kind or `decision`. */
  reason: string;
  recipient: { id: string; name: string };
  contact?: { email?: string; phone?: string };
  subject: string;
  body: string;
}

/**
 * Queues applicant notifications in the caller's transaction (the delivery outbox): one row per channel that applies
 * (the mail drop always; e-mail and SMS when enabled and the applicant gave an address). The dispatcher delivers them.
 */
@Injectable()
export class NotificationsService {
  private readonly channels: ReadonlySet<string>;

  constructor(
    @Inject(INTAKE_CONFIG) config: IntakeConfig,
    private readonly repo: NotificationsRepository,
  ) {
    this.channels = new Set(config.NOTIFY_CHANNELS);
  }

  async enqueue(manager: EntityManager, req: NotificationRequest, now: Date): Promise<number> {
    const targets: Array<[NotificationChannelName, string]> = [['mail-drop', req.recipient.id]];
    if (this.channels.has('email') && req.contact?.email) targets.push(['email', req.contact.email]);
    if (this.channels.has('sms') && req.contact?.phone) targets.push(['sms', req.contact.phone]);
    const rows = targets.map(([channel, address]) =>
      Object.assign(new Notification(), {
        id: randomUUID(),
        dedupeKey: req.dedupeKey,
        noticeId: req.noticeId,
        caseNumber: req.caseNumber,
        reason: req.reason,
        channel,
        recipientId: req.recipient.id,
        recipientName: req.recipient.name,
        address,
        subject: req.subject,
        body: req.body,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        lockedUntil: null,
        lastError: null,
        providerRef: null,
        createdAt: now,
        sentAt: null,
      }),
    );
    return this.repo.enqueue(manager, rows);
  }

  /**
   * Queues a message about a case for its applicant, worded from the case's applicant and matter; false (nothing
   * queued) when intake does not know the case (another intake's). For the consumers of approval's events.
   */
  async enqueueForCase(
    manager: EntityManager,
    caseNumber: string,
    message: { dedupeKey: string; reason: string; noticeId?: string; text: (app: { applicantName: string; matterName: string }) => { subject: string; body: string } },
    now: Date,
  ): Promise<boolean> {
    const app = await this.repo.applicationOfCase(manager, caseNumber);
    if (!app) return false;
    const { subject, body } = message.text(app);
    await this.enqueue(manager, { dedupeKey: message.dedupeKey, noticeId: message.noticeId ?? null, caseNumber, reason: message.reason, recipient: { id: app.applicantId, name: app.applicantName }, subject, body }, now);
    return true;
  }
}

import { NOTIFICATION_CHANNELS, type NotificationChannelName } from '@gov/contracts';
import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type NotificationStatus = 'pending' | 'sent' | 'failed';

/**
 * The delivery outbox of applicant notifications: written in the transaction that confirms a notice, delivered by
 * the dispatcher. Unique per notice (or reason) and channel, so a notice is never queued, and so never sent, twice.
 * A row is leased (`locked_until`) while it is being sent; a lease that expires (a crash mid-send) is taken again and
 * the channel's own idempotency (the mail drop's file name, the e-mail Message-ID, the SMS idempotency key, all the
 * notification id) keeps the second attempt from delivering twice.
 */
@Entity('notifications')
@Unique('notifications_once', ['dedupeKey', 'channel'])
@Index('notifications_due', ['nextAttemptAt'], { where: `status = 'pending'` })
@Index('notifications_case', ['caseNumber'])
@Check('notifications_channel_check', `channel IN (${NOTIFICATION_CHANNELS.map((c) => `'${c}'`).join(',')})`)
@Check('notifications_status_check', `status IN ('pending','sent','failed')`)
export class Notification {
  @PrimaryColumn('uuid') id!: string;
  /** `notice:<notice id>` or `decision:<case number>`. */
  @Column('text', { name: 'dedupe_key' }) dedupeKey!: string;
  @Column('uuid', { name: 'notice_id', nullable: true }) noticeId!: string | null;
  @Column('text', { name: 'case_number' }) caseNumber!: string;
  @Column('text') reason!: string;
  @Column('text') channel!: NotificationChannelName;
  @Column('text', { name: 'recipient_id' }) recipientId!: string;
  @Column('text', { name: 'recipient_name' }) recipientName!: string;
  /** E-mail address or phone number; the applicant's id for the mail drop. */
  @Column('text') address!: string;
  @Column('text') subject!: string;
  @Column('text') body!: string;
  @Column('text') status!: NotificationStatus;
  @Column('int', { default: 0 }) attempts!: number;
  @Column('timestamptz', { name: 'next_attempt_at' }) nextAttemptAt!: Date;
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil!: Date | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError!: string | null;
  @Column('text', { name: 'provider_ref', nullable: true }) providerRef!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt!: Date | null;
}

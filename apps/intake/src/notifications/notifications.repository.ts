import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Notification } from './notification.entity';

interface Row {
  id: string;
  dedupe_key: string;
  notice_id: string | null;
  case_number: string;
  reason: string;
  channel: Notification['channel'];
  recipient_id: string;
  recipient_name: string;
  address: string;
  subject: string;
  body: string;
  status: Notification['status'];
  attempts: number;
  next_attempt_at: Date;
  locked_until: Date | null;
  last_error: string | null;
  provider_ref: string | null;
  created_at: Date;
  sent_at: Date | null;
}

function toEntity(r: Row): Notification {
  return Object.assign(new Notification(), {
    id: r.id,
    dedupeKey: r.dedupe_key,
    noticeId: r.notice_id,
    caseNumber: r.case_number,
    reason: r.reason,
    channel: r.channel,
    recipientId: r.recipient_id,
    recipientName: r.recipient_name,
    address: r.address,
    subject: r.subject,
    body: r.body,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lockedUntil: r.locked_until,
    lastError: r.last_error,
    providerRef: r.provider_ref,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  });
}

@Injectable()
export class NotificationsRepository {
  constructor(private readonly ds: DataSource) {}

  /** Queues notifications in the caller's transaction; one already queued for the same key and channel stays as it is. */
  async enqueue(manager: EntityManager, rows: Notification[]): Promise<number> {
    if (rows.length === 0) return 0;
    const res = await manager.getRepository(Notification).createQueryBuilder().insert().values(rows).orIgnore().returning('id').execute();
    return (res.raw as unknown[]).length;
  }

  /**
   * Leases up to `limit` due notifications in one statement (SKIP LOCKED: replicas never take the same row) and counts
   * the attempt. A lease that ran out (the sender died mid-send) makes the row due again.
   */
  async claimDue(now: Date, leaseSeconds: number, limit: number): Promise<Notification[]> {
    const [rows] = await this.ds.query<[Row[], number]>(
      `UPDATE notifications n SET locked_until = $1::timestamptz + make_interval(secs => $2), attempts = n.attempts + 1
        WHERE n.id IN (SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until < $1)
                       ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING n.*`,
      [now, leaseSeconds, limit],
    );
    return rows.map(toEntity);
  }

  /** Marks a notification sent, once; says whether this call did. */
  async markSent(manager: EntityManager, id: string, providerRef: string, sentAt: Date): Promise<boolean> {
    const [rows] = await manager.query<[unknown[], number]>(
      `UPDATE notifications SET status = 'sent', sent_at = $2, provider_ref = $3, locked_until = NULL, last_error = NULL WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, sentAt, providerRef],
    );
    return rows.length > 0;
  }

  async markFailedAttempt(id: string, error: string, nextAttemptAt: Date, giveUp: boolean): Promise<void> {
    await this.ds.query(`UPDATE notifications SET status = $4, last_error = $2, next_attempt_at = $3, locked_until = NULL WHERE id = $1 AND status = 'pending'`, [
      id,
      error.slice(0, 1000),
      nextAttemptAt,
      giveUp ? 'failed' : 'pending',
    ]);
  }

  /** The sealed PDF a notification carries. */
  async attachmentOf(noticeId: string): Promise<{ pdf: Buffer; documentNumber: string } | null> {
    const rows = await this.ds.query<Array<{ pdf: Buffer; document_number: string }>>(`SELECT pdf, document_number FROM notices WHERE id = $1 AND status = 'sealed'`, [noticeId]);
    return rows[0] ? { pdf: rows[0].pdf, documentNumber: rows[0].document_number } : null;
  }

  /** Who applied for a case and for what (the applications and matters tables of this service). */
  async applicationOfCase(manager: EntityManager, caseNumber: string): Promise<{ applicantId: string; applicantName: string; matterName: string } | null> {
    const rows = await manager.query<Array<{ applicant_id: string; applicant_name: string; matter_name: string }>>(
      `SELECT a.applicant_id, a.applicant_name, m.name AS matter_name FROM applications a JOIN matters m ON m.code = a.matter_code WHERE a.case_number = $1`,
      [caseNumber],
    );
    return rows[0] ? { applicantId: rows[0].applicant_id, applicantName: rows[0].applicant_name, matterName: rows[0].matter_name } : null;
  }

  byCase(caseNumber: string): Promise<Notification[]> {
    return this.ds.getRepository(Notification).find({ where: { caseNumber }, order: { createdAt: 'ASC', channel: 'ASC' } });
  }
}

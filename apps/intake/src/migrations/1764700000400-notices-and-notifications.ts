import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sealed notices (PDF and seal) and the applicant notification delivery outbox (issue 8, section 4). */
export class NoticesAndNotifications1764700000400 implements MigrationInterface {
  name = 'NoticesAndNotifications1764700000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notices (
        id uuid PRIMARY KEY,
        issue_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        application_id uuid NOT NULL,
        case_number text NOT NULL,
        applicant_id text NOT NULL,
        department_code text NOT NULL,
        seal_org_code text,
        seal_org_name text,
        document_number text NOT NULL UNIQUE,
        verification_code text NOT NULL UNIQUE,
        data jsonb NOT NULL,
        issued_at timestamptz NOT NULL,
        pdf bytea,
        sha256 character(64),
        status text NOT NULL,
        seal_serial text,
        seal_jws text,
        sealed_at timestamptz,
        seal_attempts int NOT NULL DEFAULT 0,
        next_seal_at timestamptz NOT NULL,
        last_error text,
        CONSTRAINT notices_kind_check CHECK (kind IN ('receipt','acceptance','refusal','correction','acceptance-with-missing','withdrawal')),
        CONSTRAINT notices_status_check CHECK (status IN ('sealing','sealed'))
      );
      CREATE INDEX notices_application ON notices (application_id);
      CREATE INDEX notices_sealing_due ON notices (next_seal_at) WHERE status = 'sealing';
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        dedupe_key text NOT NULL,
        notice_id uuid,
        case_number text NOT NULL,
        reason text NOT NULL,
        channel text NOT NULL,
        recipient_id text NOT NULL,
        recipient_name text NOT NULL,
        address text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        status text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        locked_until timestamptz,
        last_error text,
        provider_ref text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        CONSTRAINT notifications_once UNIQUE (dedupe_key, channel),
        CONSTRAINT notifications_channel_check CHECK (channel IN ('mail-drop','email','sms')),
        CONSTRAINT notifications_status_check CHECK (status IN ('pending','sent','failed'))
      );
      CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX notifications_case ON notifications (case_number);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications, notices');
  }
}

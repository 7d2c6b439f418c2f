import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The acceptance regime (issue 8, section 3): an application is received (接件) first and accepted, refused, sent back
 * for correction or deemed accepted later; its history holds every step with the data of the notice it gives; the
 * progress read model follows approval's and supervision's events. Existing rows were accepted at once: they keep
 * status `accepted`, received at the moment they were accepted, by the window.
 */
export class AcceptanceRegime1764700000200 implements MigrationInterface {
  name = 'AcceptanceRegime1764700000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE applications
        ADD COLUMN received_at timestamptz,
        ADD COLUMN channel text NOT NULL DEFAULT 'online',
        ADD COLUMN registered_by text,
        ADD COLUMN acceptance_due_at timestamptz,
        ADD COLUMN acceptance_mode text,
        ADD COLUMN accepted_by text,
        ADD COLUMN time_limit_working_days int NOT NULL DEFAULT 1,
        ADD COLUMN promised_deadline timestamptz,
        ADD COLUMN correction_deadline timestamptz,
        ADD COLUMN materials jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN deferred_materials jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN deferred_deadline timestamptz,
        ADD COLUMN materials_frozen_at timestamptz,
        ADD COLUMN withdrawal_requested_at timestamptz,
        ADD COLUMN withdrawal_reason text,
        ADD COLUMN closed_at timestamptz;
      UPDATE applications a SET received_at = a.accepted_at, acceptance_mode = 'window', materials_frozen_at = a.accepted_at,
        time_limit_working_days = m.time_limit_working_days FROM matters m WHERE m.code = a.matter_code;
      ALTER TABLE applications ALTER COLUMN received_at SET NOT NULL, ALTER COLUMN accepted_at DROP NOT NULL;
      ALTER TABLE applications ADD CONSTRAINT applications_status_check CHECK (status IN ('received','correction-requested','corrected','accepted','accepted-with-missing','refused','withdrawn','terminated','decided'));
      ALTER TABLE applications ADD CONSTRAINT applications_channel_check CHECK (channel IN ('online','window'));
      ALTER TABLE applications ADD CONSTRAINT applications_acceptance_mode_check CHECK (acceptance_mode IS NULL OR acceptance_mode IN ('window','with-missing','deemed'));
      CREATE INDEX applications_status_due ON applications (status, acceptance_due_at);
      CREATE INDEX applications_received ON applications (received_at, id);

      CREATE TABLE application_history (
        id uuid PRIMARY KEY,
        application_id uuid NOT NULL,
        action text NOT NULL,
        notice text,
        actor text,
        at timestamptz NOT NULL,
        data jsonb NOT NULL,
        CONSTRAINT application_history_application_id_fkey FOREIGN KEY (application_id) REFERENCES applications(id)
      );
      CREATE INDEX application_history_application ON application_history (application_id, at);

      CREATE TABLE application_progress (
        case_number text PRIMARY KEY,
        process_instance_id text,
        started_at timestamptz,
        current_step text,
        current_step_name text,
        current_groups jsonb NOT NULL DEFAULT '[]',
        step_opened_at timestamptz,
        step_limit_working_days double precision,
        steps jsonb NOT NULL DEFAULT '[]',
        suspensions jsonb NOT NULL DEFAULT '[]',
        documents jsonb NOT NULL DEFAULT '[]',
        light text,
        result jsonb,
        updated_at timestamptz NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE application_progress, application_history;
      DROP INDEX applications_status_due; DROP INDEX applications_received;
      ALTER TABLE applications DROP CONSTRAINT applications_status_check, DROP CONSTRAINT applications_channel_check, DROP CONSTRAINT applications_acceptance_mode_check;
      DELETE FROM applications WHERE accepted_at IS NULL;
      ALTER TABLE applications ALTER COLUMN accepted_at SET NOT NULL;
      ALTER TABLE applications DROP COLUMN received_at, DROP COLUMN channel, DROP COLUMN registered_by, DROP COLUMN acceptance_due_at,
        DROP COLUMN acceptance_mode, DROP COLUMN accepted_by, DROP COLUMN time_limit_working_days, DROP COLUMN promised_deadline,
        DROP COLUMN correction_deadline, DROP COLUMN materials, DROP COLUMN deferred_materials, DROP COLUMN deferred_deadline,
        DROP COLUMN materials_frozen_at, DROP COLUMN withdrawal_requested_at, DROP COLUMN withdrawal_reason, DROP COLUMN closed_at;
    `);
  }
}

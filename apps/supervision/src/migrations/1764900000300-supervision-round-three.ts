import { appendOnlySql } from '@gov/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-supervision round three (issue 10): lights for whole cases, the deadlines the time-driven anomaly rules watch,
 * complaint escalations, and the statistics counters of case lights and consultations.
 *
 * Each time-driven check is a due-time column with a partial index (the durable scheduler the step lights use): a
 * scan reads only rows that fell due and are still open, never the whole table, and the ledger's or the stream's
 * unique keys make each alert fire once across restarts.
 */
export class SupervisionRoundThree1764900000300 implements MigrationInterface {
  name = 'SupervisionRoundThree1764900000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A case light's ledger entry names its clock in step_id ('case:statutory:<case number>'), so no step row backs it.
      ALTER TABLE alerts DROP CONSTRAINT alerts_step_id_fkey;

      ALTER TABLE cases ADD COLUMN statutory_yellow_at timestamptz, ADD COLUMN promised_yellow_at timestamptz;
      UPDATE cases SET statutory_yellow_at = GREATEST(accepted_at, statutory_deadline - interval '24 hours'),
        promised_yellow_at = GREATEST(accepted_at, promised_deadline - interval '24 hours');
      CREATE INDEX cases_open_statutory ON cases (statutory_deadline) WHERE decided_at IS NULL;
      CREATE INDEX cases_open_statutory_yellow ON cases (statutory_yellow_at) WHERE decided_at IS NULL;
      CREATE INDEX cases_open_promised ON cases (promised_deadline) WHERE decided_at IS NULL AND promised_deadline IS NOT NULL;
      CREATE INDEX cases_open_promised_yellow ON cases (promised_yellow_at) WHERE decided_at IS NULL AND promised_deadline IS NOT NULL;
      -- decided after a deadline (red at decision when no scan saw it overdue)
      CREATE INDEX cases_decided_late ON cases (decided_at) WHERE decided_at > statutory_deadline OR decided_at > promised_deadline;

      -- Where each fact came from (the ingestion seam writes '/supervision/ingestion/<system>').
      ALTER TABLE case_facts ADD COLUMN source text;

      -- Deadlines the anomaly rules watch over time (a 容缺 commitment, a decision owed publicity, a suspension's stated
      -- duration, an ingested case awaiting its native application): one row per rule, case and key; met_at when the
      -- expected action came, fired_at when the scan raised (or, the rule disabled, dropped) the anomaly.
      CREATE TABLE rule_deadlines (
        rule text NOT NULL,
        case_number text NOT NULL,
        key text NOT NULL,
        org_code text,
        tenant_id text,
        due_at timestamptz NOT NULL,
        met_at timestamptz,
        fired_at timestamptz,
        evidence jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (rule, case_number, key)
      );
      CREATE INDEX rule_deadlines_due ON rule_deadlines (due_at) WHERE met_at IS NULL AND fired_at IS NULL;

      -- A complaint stage left past its deadline: escalated once per complaint and stage (append-only).
      CREATE TABLE complaint_escalations (
        id uuid PRIMARY KEY,
        complaint_id uuid NOT NULL,
        stage text NOT NULL,
        deadline timestamptz NOT NULL,
        escalated_at timestamptz NOT NULL,
        UNIQUE (complaint_id, stage)
      );
      ${appendOnlySql('complaint_escalations')}
      CREATE INDEX complaints_stage_due ON complaints (stage_deadline) WHERE stage_deadline IS NOT NULL;

      ALTER TABLE stats_rollups ADD COLUMN case_reds int NOT NULL DEFAULT 0, ADD COLUMN case_yellows int NOT NULL DEFAULT 0,
        ADD COLUMN consultations int NOT NULL DEFAULT 0, ADD COLUMN consultations_overdue int NOT NULL DEFAULT 0;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE stats_rollups DROP COLUMN case_reds, DROP COLUMN case_yellows, DROP COLUMN consultations, DROP COLUMN consultations_overdue;
      DROP INDEX complaints_stage_due;
      DROP TABLE complaint_escalations, rule_deadlines;
      ALTER TABLE case_facts DROP COLUMN source;
      DROP INDEX cases_decided_late, cases_open_promised_yellow, cases_open_promised, cases_open_statutory_yellow, cases_open_statutory;
      ALTER TABLE cases DROP COLUMN statutory_yellow_at, DROP COLUMN promised_yellow_at;
      ALTER TABLE alerts ADD CONSTRAINT alerts_step_id_fkey FOREIGN KEY (step_id) REFERENCES steps(step_id);
    `);
  }
}

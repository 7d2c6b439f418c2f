import { appendOnlySql } from '@gov/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-supervision proper (issue 10, sections 1-4 and 7): the officer on each step, case clocks (statutory and promised
 * limits), suspensions, the facts rules look at, the alert stream (append-only; the SSE and Kafka feed), per-bureau
 * rule settings, tally flags and supervision orders (督办).
 */
export class SupervisionClocks1764700000500 implements MigrationInterface {
  name = 'SupervisionClocks1764700000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE steps ADD COLUMN assignee text, ADD COLUMN yellow_at timestamptz;
      -- steps written before: yellow 24 hours before the deadline (the former rule)
      UPDATE steps SET yellow_at = deadline - interval '24 hours' WHERE deadline IS NOT NULL;
      CREATE INDEX steps_open_yellow ON steps (yellow_at) WHERE closed_at IS NULL;
      -- steps closed after their deadline (red at close): a small partial index, so the red scan never reads all steps
      CREATE INDEX steps_closed_late ON steps (deadline) WHERE closed_at > deadline;

      CREATE TABLE cases (
        case_number text PRIMARY KEY,
        tenant_id text,
        department_code text,
        matter_code text,
        process_key text,
        submitted_at timestamptz,
        accepted_at timestamptz NOT NULL,
        statutory_limit_working_days int NOT NULL,
        promised_limit_working_days int,
        statutory_deadline timestamptz NOT NULL,
        promised_deadline timestamptz,
        deadline_provisional boolean NOT NULL DEFAULT false,
        decided_at timestamptz,
        decision text
      );
      CREATE INDEX cases_open_provisional ON cases (accepted_at) WHERE deadline_provisional AND decided_at IS NULL;

      CREATE TABLE suspensions (
        suspension_id text PRIMARY KEY,
        case_number text NOT NULL,
        step_id text,
        reason text,
        stated_working_days int,
        suspended_at timestamptz NOT NULL,
        resumed_at timestamptz
      );
      CREATE INDEX suspensions_case ON suspensions (case_number);

      -- What supervision has seen of each case (the rules' evidence), one row per event.
      CREATE TABLE case_facts (
        event_id uuid PRIMARY KEY,
        case_number text NOT NULL,
        type text NOT NULL,
        data jsonb NOT NULL,
        at timestamptz NOT NULL
      );
      CREATE INDEX case_facts_case ON case_facts (case_number, at);

      -- The alert stream: every light, anomaly, order, escalation, tally flag and dead letter, in order (seq is the SSE id).
      CREATE TABLE alert_stream (
        seq bigserial PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('light', 'anomaly', 'supervision-order', 'escalation', 'tally-flag', 'dead-letter', 'calendar')),
        level text NOT NULL,
        rule text NOT NULL,
        rule_version int NOT NULL DEFAULT 1,
        dedupe_key text NOT NULL UNIQUE,
        case_number text,
        step_id text,
        officer text,
        org_code text,
        evidence jsonb NOT NULL DEFAULT '{}',
        raised_at timestamptz NOT NULL
      );
      CREATE INDEX alert_stream_case ON alert_stream (case_number);
      ${appendOnlySql('alert_stream')}

      -- Per-bureau rule settings; org_code '*' is the default for every bureau.
      CREATE TABLE rule_settings (
        org_code text NOT NULL,
        rule text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        params jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (org_code, rule)
      );

      -- Consequences of the annual red tallies (seed 001 text 3 art. 22), with the reds that caused them.
      CREATE TABLE tally_flags (
        id uuid PRIMARY KEY,
        year int NOT NULL,
        scope text NOT NULL CHECK (scope IN ('person', 'section', 'department')),
        subject text NOT NULL,
        consequence text NOT NULL CHECK (consequence IN ('no-commendation', 'reassignment', 'section-no-commendation')),
        red_alert_ids uuid[] NOT NULL,
        raised_at timestamptz NOT NULL,
        UNIQUE (year, scope, subject, consequence)
      );
      ${appendOnlySql('tally_flags')}

      -- Supervision orders (督办): to an officer, a section or a department about a case, with a response deadline.
      CREATE TABLE supervision_orders (
        id uuid PRIMARY KEY,
        -- 督办 (supervision) or 整改通知 (rectification notice to a department, seed 004 art. 27, tracked to closure)
        kind text NOT NULL DEFAULT 'supervision' CHECK (kind IN ('supervision', 'rectification')),
        case_number text NOT NULL,
        step_id text,
        target_kind text NOT NULL CHECK (target_kind IN ('officer', 'section', 'department')),
        target text NOT NULL,
        level int NOT NULL DEFAULT 1,
        reason text NOT NULL,
        issued_by text NOT NULL,
        issued_at timestamptz NOT NULL,
        respond_by timestamptz NOT NULL,
        response text,
        responded_by text,
        responded_at timestamptz,
        escalated_to uuid,
        parent_id uuid,
        closed_at timestamptz,
        closed_by text
      );
      CREATE INDEX supervision_orders_due ON supervision_orders (respond_by) WHERE responded_at IS NULL AND escalated_to IS NULL;
      CREATE UNIQUE INDEX supervision_orders_one_auto ON supervision_orders (step_id, level) WHERE issued_by = 'system';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supervision_orders, tally_flags, rule_settings, alert_stream, case_facts, suspensions, cases;
      DROP INDEX steps_closed_late, steps_open_yellow; ALTER TABLE steps DROP COLUMN assignee, DROP COLUMN yellow_at`);
  }
}

import { appendOnlySql } from '@gov/service-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SupervisionInitial1763800000300 implements MigrationInterface {
  name = 'SupervisionInitial1763800000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE steps (
        step_id text PRIMARY KEY,
        case_number text NOT NULL,
        process_instance_id text NOT NULL,
        task_definition_key text NOT NULL,
        name text,
        candidate_groups text[] NOT NULL DEFAULT '{}',
        tenant_id text,
        opened_at timestamptz NOT NULL,
        time_limit_working_days int,
        deadline timestamptz,
        closed_at timestamptz,
        close_reason text,
        version int NOT NULL DEFAULT 1
      );
      CREATE INDEX steps_case ON steps (case_number);
      CREATE INDEX steps_open_deadline ON steps (deadline) WHERE closed_at IS NULL;

      -- The alert ledger: append-only, hash-chained, one alert per step and level.
      CREATE TABLE alerts (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        step_id text NOT NULL REFERENCES steps(step_id),
        case_number text NOT NULL,
        level text NOT NULL CHECK (level IN ('yellow', 'red')),
        deadline timestamptz NOT NULL,
        raised_at timestamptz NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE,
        UNIQUE (step_id, level)
      );
      CREATE INDEX alerts_case ON alerts (case_number);
      ${appendOnlySql('alerts')}

      -- Corrections to the published holiday schedule (each year's is announced in November).
      CREATE TABLE calendar_overrides (
        day date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name text
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE calendar_overrides, alerts, steps; DROP FUNCTION refuse_change()');
  }
}

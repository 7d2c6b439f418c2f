import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The officers' worklist read model (issue 9 §2): `open_steps`, one row per open user task, fed by the step events
 * approval relays (opened inserts, completed/cancelled delete) and reconciled against the engine's task list;
 * `closed_steps`, the tombstones of closed steps, so a late catch-up or a replayed `opened` never brings a closed
 * step back. Deadlines are stored (working days from @gov/calendar, suspensions excluded) so the light filters and
 * the counts are index range scans; the candidate groups are GIN-indexed for the visibility filter.
 */
export class OpenSteps1764900000200 implements MigrationInterface {
  name = 'OpenSteps1764900000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE open_steps (
        task_id text PRIMARY KEY,
        case_number text,
        process_instance_id text NOT NULL,
        process_definition_id text NOT NULL,
        step_key text NOT NULL,
        step_name text,
        candidate_groups text[] NOT NULL,
        assignee text,
        opened_at timestamptz NOT NULL,
        time_limit_working_days int,
        deadline timestamptz,
        yellow_at timestamptz,
        suspended_at timestamptz,
        matter_code text,
        matter_name text,
        organisation text,
        tenant_id text,
        synced_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX open_steps_groups ON open_steps USING gin (candidate_groups);
      CREATE INDEX open_steps_deadline ON open_steps (deadline, task_id);
      CREATE INDEX open_steps_opened ON open_steps (opened_at, task_id);
      CREATE INDEX open_steps_case ON open_steps (case_number);
      CREATE INDEX open_steps_process_instance ON open_steps (process_instance_id);
      CREATE INDEX open_steps_matter ON open_steps (matter_code, deadline);
      CREATE TABLE closed_steps (
        task_id text PRIMARY KEY,
        closed_at timestamptz NOT NULL
      );
      CREATE INDEX closed_steps_closed_at ON closed_steps (closed_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE closed_steps; DROP TABLE open_steps;`);
  }
}

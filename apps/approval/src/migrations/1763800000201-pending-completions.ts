import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Step completions in two phases: recorded before the engine is called, confirmed (opinion appended) after. */
export class PendingCompletions1763800000201 implements MigrationInterface {
  name = 'PendingCompletions1763800000201';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pending_completions (
        id uuid PRIMARY KEY,
        task_id text NOT NULL,
        case_number text NOT NULL,
        process_instance_id text NOT NULL,
        idempotency_scope text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        task_definition_key text NOT NULL,
        step_name text,
        officer_id text NOT NULL,
        officer_label text NOT NULL,
        outcome text NOT NULL,
        opinion text NOT NULL,
        opinion_at timestamptz NOT NULL,
        status text NOT NULL,
        result jsonb,
        reason text,
        attempts int NOT NULL DEFAULT 0,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz
      );
      CREATE UNIQUE INDEX pending_completions_task_live ON pending_completions (task_id) WHERE status <> 'abandoned';
      CREATE UNIQUE INDEX pending_completions_key_live ON pending_completions (idempotency_scope, idempotency_key) WHERE status <> 'abandoned';
      CREATE INDEX pending_completions_pending ON pending_completions (created_at) WHERE status = 'pending';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE pending_completions');
  }
}

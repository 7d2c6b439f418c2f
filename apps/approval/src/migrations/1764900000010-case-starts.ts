import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cases start on the engine after the inbox transaction that recorded them commits, never inside it: `start_spec`
 * holds what the start needs (variables, the matter's step limits, trace), `start_lease_until` the lease of the one
 * starter asking the engine, and a partial index finds the cases still waiting (the reconciler's scan).
 */
export class CaseStarts1764900000010 implements MigrationInterface {
  name = 'CaseStarts1764900000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN start_spec jsonb, ADD COLUMN start_lease_until timestamptz, ADD COLUMN start_attempts integer NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX cases_awaiting_start ON cases (accepted_at) WHERE status = 'accepted' AND process_instance_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_awaiting_start`);
    await q.query(`ALTER TABLE cases DROP COLUMN start_spec, DROP COLUMN start_lease_until, DROP COLUMN start_attempts`);
  }
}

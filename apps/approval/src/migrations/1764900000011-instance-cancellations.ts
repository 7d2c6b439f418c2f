import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case ended on intake's word (withdrawn, terminated) has its process instance deleted after the ending commits,
 * never inside that transaction: `instance_cancel_reason` is set with the ending and cleared once the engine has
 * no instance left, and the reconciler finds the ones an engine outage or a crash left through a partial index.
 */
export class InstanceCancellations1764900000011 implements MigrationInterface {
  name = 'InstanceCancellations1764900000011';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN instance_cancel_reason text`);
    await q.query(`CREATE INDEX cases_instance_to_cancel ON cases (case_number) WHERE instance_cancel_reason IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_instance_to_cancel`);
    await q.query(`ALTER TABLE cases DROP COLUMN instance_cancel_reason`);
  }
}

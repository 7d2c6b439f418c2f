import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Opinions looked up by case and step (a case's opinions; whether a step's opinion was appended when a completion is
 * confirmed) use an index rather than a scan of every opinion. The table stays append-only; an index changes no row.
 */
export class OpinionsByCase1764700000600 implements MigrationInterface {
  name = 'OpinionsByCase1764700000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS opinions_case_task ON opinions (case_number, task_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS opinions_case_task`);
  }
}

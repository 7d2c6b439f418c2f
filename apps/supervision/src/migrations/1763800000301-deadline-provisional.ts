import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A deadline computed across a year whose holiday schedule is not known yet is provisional, and says so. */
export class DeadlineProvisional1763800000301 implements MigrationInterface {
  name = 'DeadlineProvisional1763800000301';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE steps ADD COLUMN deadline_provisional boolean NOT NULL DEFAULT false`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE steps DROP COLUMN deadline_provisional`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 上报件 (issue 9 §1, seed 003): the higher-level tenant and department a case is reported to, from the accepted
 * event's `reportsTo`. Its officers work the called flow's steps and see the case (case view, case detail) beside the
 * handling organisation's; null for every other case.
 */
export class CaseReportsTo1764900000800 implements MigrationInterface {
  name = 'CaseReportsTo1764900000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN reports_to_tenant_id text, ADD COLUMN reports_to_department_code text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases DROP COLUMN reports_to_department_code, DROP COLUMN reports_to_tenant_id`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The handling organisation is fixed on the application at acceptance, whatever later happens to the matter. */
export class ApplicationDepartment1763800000101 implements MigrationInterface {
  name = 'ApplicationDepartment1763800000101';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE applications ADD COLUMN department_code text;
      UPDATE applications a SET department_code = m.department_code FROM matters m WHERE m.code = a.matter_code;
      ALTER TABLE applications ALTER COLUMN department_code SET NOT NULL;
      CREATE INDEX applications_department ON applications (department_code);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX applications_department; ALTER TABLE applications DROP COLUMN department_code');
  }
}

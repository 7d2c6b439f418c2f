import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Joint window (联合受理, seed 003): one application for a bundle matter fans out on acceptance into one application
 * per department's matter, each with its own case, all pointing at the bundle application.
 */
export class JointWindow1764700000201 implements MigrationInterface {
  name = 'JointWindow1764700000201';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE applications ADD COLUMN bundle_id uuid;
      ALTER TABLE applications ADD CONSTRAINT applications_bundle_id_fkey FOREIGN KEY (bundle_id) REFERENCES applications(id);
      CREATE INDEX applications_bundle ON applications (bundle_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX applications_bundle; ALTER TABLE applications DROP CONSTRAINT applications_bundle_id_fkey, DROP COLUMN bundle_id');
  }
}

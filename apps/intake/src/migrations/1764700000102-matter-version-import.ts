import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Versions drafted by one catalogue import share its id, so the procedure's steps can be taken for the whole import. */
export class MatterVersionImport1764700000102 implements MigrationInterface {
  name = 'MatterVersionImport1764700000102';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE matter_versions ADD COLUMN import_id uuid;
      CREATE INDEX matter_versions_import ON matter_versions (import_id) WHERE import_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX matter_versions_import; ALTER TABLE matter_versions DROP COLUMN import_id');
  }
}

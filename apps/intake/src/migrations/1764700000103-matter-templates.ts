import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Template files officers upload for the guide (material templates, commitment letters), by file name. A name is
 * written once: new content is a new name, which a matter takes up through a new version (the change procedure).
 */
export class MatterTemplates1764700000103 implements MigrationInterface {
  name = 'MatterTemplates1764700000103';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE matter_templates (
        file text PRIMARY KEY,
        content_type text NOT NULL,
        bytes bytea NOT NULL,
        sha256 char(64) NOT NULL,
        size int NOT NULL CHECK (size > 0),
        uploaded_by text NOT NULL,
        uploaded_by_name text NOT NULL,
        uploaded_at timestamptz NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE matter_templates');
  }
}

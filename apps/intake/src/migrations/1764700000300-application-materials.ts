import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Materials received per application and slot (files by SHA-256 in the object store), and the freeze at acceptance. */
export class ApplicationMaterials1764700000300 implements MigrationInterface {
  name = 'ApplicationMaterials1764700000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE application_materials (
        id uuid PRIMARY KEY,
        application_id uuid NOT NULL CONSTRAINT application_materials_application_fkey REFERENCES applications(id),
        slot_key text NOT NULL,
        slot_name text NOT NULL,
        sha256 text NOT NULL CONSTRAINT application_materials_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        size int NOT NULL,
        content_type text NOT NULL CONSTRAINT application_materials_type_check CHECK (content_type IN ('application/pdf','image/jpeg','image/png','image/tiff','application/ofd')),
        file_name text NOT NULL,
        uploaded_by text NOT NULL,
        uploaded_by_name text NOT NULL,
        uploaded_at timestamptz NOT NULL,
        state text NOT NULL CONSTRAINT application_materials_state_check CHECK (state IN ('received','frozen','removed')),
        removed_at timestamptz
      );
      CREATE INDEX application_materials_slot ON application_materials (application_id, slot_key);
      CREATE INDEX application_materials_object ON application_materials (sha256);
      CREATE UNIQUE INDEX application_materials_once ON application_materials (application_id, sha256) WHERE state <> 'removed';
      CREATE TABLE material_freezes (
        application_id uuid PRIMARY KEY CONSTRAINT material_freezes_application_fkey REFERENCES applications(id),
        frozen_at timestamptz NOT NULL,
        reason text NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE material_freezes; DROP TABLE application_materials');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One record of the materials freeze (seed 001 text 3 art. 11): `applications.materials_frozen_at`, set by
 * `MaterialsService.freeze` in the accepting transaction. The materials module's own `material_freezes` table goes;
 * a freeze recorded only there is carried over to the application first (the earlier of the two stands).
 */
export class OneMaterialsFreeze1764700000900 implements MigrationInterface {
  name = 'OneMaterialsFreeze1764700000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE applications a SET materials_frozen_at = LEAST(COALESCE(a.materials_frozen_at, f.frozen_at), f.frozen_at)
        FROM material_freezes f WHERE f.application_id = a.id;
      UPDATE application_materials m SET state = 'frozen'
        FROM applications a WHERE a.id = m.application_id AND a.materials_frozen_at IS NOT NULL AND m.state = 'received';
      DROP TABLE material_freezes;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE material_freezes (
        application_id uuid PRIMARY KEY CONSTRAINT material_freezes_application_fkey REFERENCES applications(id),
        frozen_at timestamptz NOT NULL,
        reason text NOT NULL
      );
      INSERT INTO material_freezes (application_id, frozen_at, reason)
        SELECT id, materials_frozen_at, COALESCE(acceptance_mode, 'accepted') FROM applications WHERE materials_frozen_at IS NOT NULL;
    `);
  }
}

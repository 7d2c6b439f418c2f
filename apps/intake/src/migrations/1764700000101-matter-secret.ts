import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The catalogue row also carries whether the version in force is secret, so public lookups leave secret matters out. */
export class MatterSecret1764700000101 implements MigrationInterface {
  name = 'MatterSecret1764700000101';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE matters ADD COLUMN secret boolean NOT NULL DEFAULT false;
      UPDATE matters m SET secret = COALESCE((v.elements->>'secret')::boolean, false)
        FROM matter_versions v WHERE v.code = m.code AND v.version = m.current_version;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE matters DROP COLUMN secret');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pages of a received file where intake can tell (a PDF's page count), for the 收件清单 of the receipt and
 * acceptance notices ("份数/页数"). Null: not known (an image, an OFD, a PDF whose page tree cannot be read).
 */
export class MaterialPages1764800000300 implements MigrationInterface {
  name = 'MaterialPages1764800000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE application_materials ADD COLUMN pages integer`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE application_materials DROP COLUMN pages`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case can end without a decision on the merits: withdrawn (准予撤回, seed 001 text 3 art. 11) or terminated (a 容缺
 * commitment not kept). The decision row records the 准予撤回 / 终止 document; the case's status says how it ended.
 */
export class CaseEndings1764700000250 implements MigrationInterface {
  name = 'CaseEndings1764700000250';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE decisions DROP CONSTRAINT decisions_decision_check;
      ALTER TABLE decisions ADD CONSTRAINT decisions_decision_check CHECK (decision IN ('approved', 'rejected', 'withdrawn', 'terminated'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE decisions DROP CONSTRAINT decisions_decision_check;
      ALTER TABLE decisions ADD CONSTRAINT decisions_decision_check CHECK (decision IN ('approved', 'rejected'));
    `);
  }
}

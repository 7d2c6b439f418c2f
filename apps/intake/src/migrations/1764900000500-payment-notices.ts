import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The 缴费通知书 as a notice kind (issue 9 §3 "Fees"; seed 001 text 3 art. 19 (二)). */
export class PaymentNotices1764900000500 implements MigrationInterface {
  name = 'PaymentNotices1764900000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
      ALTER TABLE notices ADD CONSTRAINT notices_kind_check CHECK (kind IN ('receipt','acceptance','refusal','correction','acceptance-with-missing','withdrawal','approval-decision','refusal-decision','licence','payment-notice'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM notices WHERE kind = 'payment-notice';
      ALTER TABLE notices DROP CONSTRAINT notices_kind_check;
      ALTER TABLE notices ADD CONSTRAINT notices_kind_check CHECK (kind IN ('receipt','acceptance','refusal','correction','acceptance-with-missing','withdrawal','approval-decision','refusal-decision','licence'));
    `);
  }
}
